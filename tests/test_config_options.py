"""Typed configuration options: each checks its own value; a file's problems are all collected, each with its line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from connections import config_options as co
from connections.errors import Problems
from connections.yamlfile import YamlSyntaxError, load_yaml

try:  # tests/ as a package (with tests/__init__.py) or as a plain folder
    from tests.conftest import REPO, run_cli
except ModuleNotFoundError:
    from tests.conftest import REPO, run_cli

TODAY = dt.date(2026, 11, 25)


def run(fields: dict[str, co.Option], text: str, root: Path) -> tuple[dict | None, list[str]]:
    path = root / "settings.yml"
    path.write_text(text, encoding="utf-8")
    problems = Problems(root)
    ctx = co.Context(path, load_yaml(text), problems, root, today=TODAY)
    return co.validate(fields, ctx, "settings"), [str(p) for p in problems.items]


def test_every_problem_is_collected_with_its_line(tmp_path: Path) -> None:
    fields = {
        "name": co.Text(required=True),
        "when": co.Date(not_future=True),
        "start": co.Time(),
        "size": co.Choice(("letter", "a4")),
        "people": co.ListOf(co.Text(), min_items=1),
        "line": co.SubConfig({"number": co.Phone(required=True), "open": co.Boolean()}, "help line"),
    }
    data, problems = run(fields, "when: 2027-01-01\nstart: 25:00\nsize: legal\npeople: [Ann, '', Bo]\n"
                         "line: {number: '12', open: sometimes}\ncolour: red\n", tmp_path)
    assert problems == [
        "settings.yml:1: when 2027-01-01 is in the future (today is 2026-11-25); write the date it was done, today "
        "or earlier",
        "settings.yml:2: start '25:00' is not a clock time; write it as \"HH:MM\" in quotes, from \"00:00\" to "
        "\"23:59\", e.g. start: \"18:00\"",
        "settings.yml:3: size should be one of letter, a4, not 'legal'",
        "settings.yml:4: field 'people' should be a non-empty text, not ''",
        "settings.yml:5: number '12' is not a phone number; write a Canadian number such as 1-800-668-6868 or "
        "555-010-0111 (an extension as 'ext. 12'), a 3-digit line such as 211, 811, 988 or 911, or a text line such "
        "as 'text CONNECT to 686868'",
        "settings.yml:5: field 'open' should be true or false, not 'sometimes'",
        "settings.yml:6: unknown field 'colour' in the settings; expected one of: name, when, start, size, people, "
        "line",
        "settings.yml:1: missing field 'name' in the settings",
    ]
    assert data == {"line": {}}  # wrong values are left out, never half-used


def test_good_values_are_typed(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    fields = {"start": co.Time(), "size": co.Choice(("letter", "a4")), "logo": co.File(image=True),
              "tz": co.TimeZone(), "minutes": co.Integer(30, 600), "when": co.Date(not_future=True)}
    data, problems = run(fields, 'start: "18:30"\nsize: Letter\nlogo: logo.png\ntz: America/Winnipeg\nminutes: 90\n'
                         "when: 2026-11-25\n", tmp_path)
    assert problems == []
    assert data == {"start": dt.time(18, 30), "size": "letter", "logo": tmp_path / "logo.png",
                    "tz": "America/Winnipeg", "minutes": 90, "when": TODAY}


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff\xe0", "JPEG"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"), (b"\xef\xbb\xbf<svg/>", "SVG"),
    (b"GIF89a", None), (b"%PDF-1.7", None), (b"just text, <svg> later", None),
])
def test_image_kind_reads_the_bytes(tmp_path: Path, head: bytes, kind: str | None) -> None:
    f = tmp_path / "logo.png"
    f.write_bytes(head + bytes(8))
    assert co.image_kind(f) == kind


def test_file_must_stay_inside_the_project(tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    project = tmp_path / "project"
    project.mkdir()
    _, problems = run({"logo": co.File(inside_project=True, image=True, what="logo file")}, "logo: ../outside.png\n",
                      project)
    assert problems == ["settings.yml:1: the logo must be a file inside the project folder"]


@pytest.mark.parametrize("name", ["America", "America/", "Nowhere/City", "../etc/passwd", ""])
def test_time_zone_that_is_no_zone(tmp_path: Path, name: str) -> None:
    _, problems = run({"tz": co.TimeZone()}, f'tz: "{name}"\n', tmp_path)
    assert problems == [f"settings.yml:1: unknown time zone {name!r}; use a name such as America/Toronto, "
                        "America/Winnipeg, America/Edmonton, America/Vancouver, America/Halifax or America/St_Johns"]


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(YamlSyntaxError) as exc:
        load_yaml("name: A\nhelp_lines:\n  - number: 555-0101\n    hours: 24/7\n    number: 555-0102\n")
    assert (exc.value.line, exc.value.message) == (5, "duplicate key 'number' on line 5; it was first given on "
                                                      "line 3 — keep one")


def test_front_matter_lines_count_from_the_file() -> None:
    with pytest.raises(YamlSyntaxError) as exc:
        load_yaml("title: A\ntitle: B\n", line_offset=1)
    assert exc.value.line == 3 and "first given on line 2" in exc.value.message


def test_the_same_key_in_two_mappings_is_fine() -> None:
    assert load_yaml("a: {name: x}\nb: {name: y}\n").data == {"a": {"name": "x"}, "b": {"name": "y"}}


def test_aliases_are_walked_once() -> None:
    """A chain of aliases (the 'billion laughs') neither loops nor blows up."""
    text = "a: &a [x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n"
                                      for i in range(20))
    assert load_yaml(text).line("u") == 21


def test_mkdocs_tags_are_read_as_nothing_but_duplicates_still_refused() -> None:
    text = ("site_name: S\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:x.y\n"
            "home: !ENV HOME\n")
    assert load_yaml(text, mkdocs=True).data["home"] is None
    with pytest.raises(YamlSyntaxError) as exc:
        load_yaml(text + "site_name: T\n", mkdocs=True)
    assert exc.value.message == "duplicate key 'site_name' on line 6; it was first given on line 1 — keep one"


def site_project(minimal: Path, mkdocs: str | bytes) -> Path:
    target = minimal / "mkdocs.yml"
    if isinstance(mkdocs, bytes):
        target.write_bytes(mkdocs)
    else:
        target.write_text(mkdocs, encoding="utf-8")
    return minimal


MKDOCS = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
CONNECTIONS = '  connections:\n    start_time: "18:00"'


def line_of(text: str, marker: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if marker in t)


@pytest.mark.parametrize(("text", "marker", "expected"), [
    (MKDOCS.replace(CONNECTIONS, "  connections: [start_time, quick_exit]").replace(
        "    quick_exit: participant ", "    # "), "connections:",
     "'extra.connections' should be a set of 'key: value' lines, not ['start_time', 'quick_exit']; indent them "
     "under it, e.g. 'start_time: \"18:00\"' and 'quick_exit: participant' under 'connections:', itself under "
     "'extra:'"),
    (MKDOCS.replace('start_time: "18:00"', 'start_time: "18:00"\n    start_time: "19:00"'), '"19:00"',
     "duplicate key 'start_time' on line {line}; it was first given on line {first} — keep one"),
    (MKDOCS.replace("quick_exit: participant", "quick_exit: none"), "quick_exit:",
     "quick_exit should be one of participant, all, not 'none' (participant: handout pages; all: every page)"),
])
def test_mkdocs_settings_mistakes(minimal: Path, text: str, marker: str, expected: str) -> None:
    root = site_project(minimal, text)
    line = line_of(text, marker)
    expected = expected.format(line=line, first=line_of(text, "start_time"))
    for command in ("check", "site"):
        result = run_cli(command, project=root)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert f"mkdocs.yml:{line}: {expected}" in result.err.splitlines()
    assert not (root / "dist" / "site").exists()


def test_mkdocs_yml_not_utf8(minimal: Path) -> None:
    text = MKDOCS.replace("site_name: Connections", "site_name: Connexions café").encode("cp1252")
    root = site_project(minimal, text)
    line = next(i for i, t in enumerate(MKDOCS.splitlines(), 1) if t.startswith("site_name"))
    for command in ("check", "site"):
        result = run_cli(command, project=root)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert any(e.startswith(f"mkdocs.yml:{line}: the file is not UTF-8 text") for e in result.err.splitlines())


def test_bundled_mkdocs_settings_pass(minimal: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", minimal / "mkdocs.yml")
    assert run_cli("check", project=minimal).code == 0


def test_merge_keys_are_not_duplicates() -> None:
    """'<<: *base' then a key of the base written again overrides it, as YAML means: no error."""
    loc = load_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n")
    assert loc.data["other"] == {"x": 3, "y": 2} and loc.line("other", "x") == 4
