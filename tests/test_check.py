"""`build.py check`: the bundled content passes; each broken fixture gets its exact path:line message."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from connections.cli import main
from tests.conftest import FIXTURES, REPO, Result, run_build

BROKEN = FIXTURES / "broken"
REQUIRED = ("preparation, welcome, check-in, review, key-messages, activity-1, activity-2, grounding, closing, "
            "handout, handout-discreet, facilitator-notes")
W2 = "content/en/week-2.md"
PHONE_HOW = ("write a Canadian number such as 1-800-668-6868 or 555-010-0111 (an extension as 'ext. 12'), a 3-digit "
             "line such as 211, 811, 988 or 911, or a text line such as 'text CONNECT to 686868'")

# fixture file -> (where it goes in the minimal project, the exact error lines `check` must print)
CASES: dict[str, tuple[str, list[str]]] = {
    "yaml-syntax-error.md": (W2, [f"{W2}:6: YAML syntax error: did not find expected ',' or ']'; check the "
                                  "brackets, quotes, colons and indentation on this line and the one before (quote "
                                  "text that holds ': ' or '#')"]),
    "unknown-field.md": (W2, [f"{W2}:5: unknown field 'colour' in the front matter; expected one of: week, title, "
                              "duration, discreet_title, objectives, key_messages, participant_key_messages, "
                              "materials, agenda, extra_sections, translated_from"]),
    "missing-field.md": (W2, [f"{W2}:2: missing field 'materials' in the front matter"]),
    "participant-messages-missing.md": (W2, [
        f"{W2}:2: missing field 'participant_key_messages' in the front matter (the key messages in plain words for "
        "participants, one per key message, in the same order)"]),
    "participant-messages-count.md": (W2, [
        f"{W2}:11: participant_key_messages has 1 item, but key_messages has 2 items; write one plain-language "
        "participant message for each key message, in the same order"]),
    "agenda-break-does-not-add-up.md": (W2, [
        f"{W2}:4: agenda minutes add up to 145 but duration is 120; change the minutes or the duration so they match",
        f"{W2}:27: agenda entry 'snack' does not match any section; expected one of: {REQUIRED}, break, reunion"]),
    "wrong-type.md": (W2, [f"{W2}:4: field 'duration' should be a whole number of minutes from 30 to 600 (the "
                           "session length in minutes, e.g. 120), not 'two hours'"]),
    "agenda-does-not-add-up.md": (W2, [f"{W2}:4: agenda minutes add up to 130 but duration is 120; change the "
                                       "minutes or the duration so they match"]),
    "agenda-unknown-section.md": (W2, [f"{W2}:23: agenda entry 'breathing' does not match any section; expected "
                                       f"one of: {REQUIRED}, break, reunion"]),
    "missing-section.md": (W2, [
        f"{W2}:4: agenda minutes add up to 115 but duration is 120; change the minutes or the duration so they match",
        f"{W2}:60: missing section 'grounding'; expected a heading '## ... {{#grounding}}' before line 60 "
        f"('closing'). Required sections, in order: {REQUIRED}"]),
    "heading-without-id.md": (W2, [
        f"{W2}:23: agenda entry 'grounding' does not match any section; expected one of: "
        + REQUIRED.replace(" grounding,", "") + ", break, reunion",
        f"{W2}:61: section heading has no id; expected '## Heading text {{#section-id}}'",
        f"{W2}:65: missing section 'grounding'; expected a heading '## ... {{#grounding}}' before line 65 "
        f"('closing'). Required sections, in order: {REQUIRED}"]),
    "duplicate-section-id.md": (W2, [f"{W2}:65: section id 'grounding' is used twice (first on line 61); give each "
                                     "section its own id"]),
    "week-number-mismatch.md": (W2, [f"{W2}:2: this file is week-2.md but says 'week: 3'; expected 'week: 2'"]),
    "key-messages-count-differs.md": ("content/fr/week-2.md", [
        "content/fr/week-2.md:8: 3 key messages, but the English source has 2; keep one per source message, "
        "in the same order"]),
    "section-id-differs.md": ("content/fr/week-3.md", [
        "content/fr/week-3.md:35: unexpected section id 'tour-de-table'; expected one of: "
        f"{REQUIRED} — or declare it in the front matter with 'extra_sections: [tour-de-table]'",
        "content/fr/week-3.md:39: missing section 'check-in'; expected a heading '## ... {#check-in}' before line 39 "
        f"('review'). Required sections, in order: {REQUIRED}"]),
    "key-message-subheadings.md": (W2, [f"{W2}:43: the key-messages section has 1 '### ' sub-headings but the front "
                                        "matter lists 2 key messages; expected one sub-heading each"]),
    "review-in-week-1.md": ("content/en/week-1.md", [
        "content/en/week-1.md:38: week 1 has no 'review' section (there is no earlier week to review)"]),
    "remote-image.md": (W2, [f"{W2}:63: remote or external resource 'https://example.org/lake.png' is not allowed; "
                             "the site and PDFs must work offline and fetch nothing. Copy the file into the project "
                             "and link to it by path"]),
    "file-url.md": (W2, [f"{W2}:63: remote or external resource 'file:///etc/hostname' is not allowed; the site and "
                         "PDFs must work offline and fetch nothing. Copy the file into the project and link to it "
                         "by path"]),
    "out-of-tree-link.md": (W2, [f"{W2}:63: path '../../../../etc/passwd' leaves the project folder; link only to "
                                 "files inside it"]),
    "missing-local-file.md": (W2, [f"{W2}:63: link or image 'images/lake.png' points at a file that does not exist"]),
    "script-tag.md": (W2, [f"{W2}:63: <script> is not allowed in content; remove it (the site and PDFs run no code "
                           "from content)"]),
    "iframe.md": (W2, [
        f"{W2}:63: <iframe> is not allowed in content; remove it (the site and PDFs run no code from content)",
        f"{W2}:63: link or image 'video.html' points at a file that does not exist"]),
    "event-handler.md": (W2, [f"{W2}:63: inline event handler 'onclick=' is not allowed in content; remove it"]),
    "unknown-placeholder.md": (W2, [f"{W2}:80: unknown placeholder '[[agency.police]]'; expected one of: "
                                    "[[agency.name]], [[agency.child_welfare]], [[agency.child_welfare_phone]], "
                                    "[[agency.phone]], "
                                    "[[agency.province]]"]),
    "bad-locale.yml": ("content/en/variant.yml", [
        "content/en/variant.yml:2: locale 'xx_YY' is not known to Babel; use one such as en_CA, fr_CA, iu or csw"]),
    "agency-missing-field.yml": ("agency.yml", [
        "agency.yml:1: missing field 'child_welfare' in the agency configuration (the local child-welfare "
        "agency's name and phone, written child_welfare: {name: …, phone: …})",
        "agency.yml:4: missing field 'number' in the help line"]),
    "duplicate-key.md": (W2, [f"{W2}:4: duplicate key 'title' on line 4; it was first given on line 3 — keep one"]),
    "agency-duplicate-key.yml": ("agency.yml", [
        "agency.yml:5: duplicate key 'phone' on line 5; it was first given on line 3 — keep one"]),
    "agency-bad-values.yml": ("agency.yml", [
        f"agency.yml:6: number 'call us maybe' is not a phone number; {PHONE_HOW}",
        f"agency.yml:7: number '12' is not a phone number; {PHONE_HOW}",
        "agency.yml:10: last_verified 2199-01-01 is in the future (today is "
        f"{dt.date.today().isoformat()}); write the date it was done, today or earlier"]),
    "huge-duration.md": (W2, [
        f"{W2}:4: field 'duration' should be a whole number of minutes from 30 to 600 (the session length in minutes, "
        "e.g. 120), not 1000000000000",
        f"{W2}:17: field 'minutes' should be a whole number of minutes from 1 to 600 (e.g. 10), not 999999999890"]),
    "variant-same-lang.yml": ("content/fr/variant.yml", [
        "content/fr/variant.yml:3: lang 'en' is already the language of variant 'en' (content/en/variant.yml:3); give "
        "each translation its own language tag (e.g. fr-CA and fr-FR), or write 'relation: adaptation' if this "
        "variant adapts the program for a community in the same language"]),
}


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> Result:
    """`build.py check` run in this process (what it prints and returns; the interpreter's start-up and the
    project's import are the same for every case: test_bundled_content_passes runs the real command line)."""
    capsys.readouterr()
    code = main(["--project", str(project), "check"])
    out, err = capsys.readouterr()
    return Result(code, out, err)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("check: ")]


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_reports_path_line_and_fix(minimal: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    dest, expected = CASES[name]
    shutil.copy(BROKEN / name, minimal / dest)
    result = check(minimal, capsys)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert error_lines(result.err) == expected
    n = len(expected)
    assert f"check: {n} error{'s' if n != 1 else ''}" in result.err


def test_minimal_project_passes(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = check(minimal, capsys)
    assert result.code == 0, result.err
    assert "2 variants, 14 files" in result.out


def test_bundled_content_passes() -> None:
    result = run_build("check", project=REPO)
    assert result.code == 0, result.err + result.out
    assert result.err == ""
    assert "3 variants, 21 files" in result.out


def test_every_problem_reported_not_only_the_first(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(BROKEN / "wrong-type.md", minimal / W2)
    shutil.copy(BROKEN / "script-tag.md", minimal / "content/en/week-3.md")
    (minimal / "content/fr/week-6.md").unlink()
    result = check(minimal, capsys)
    assert result.code == 1
    lines = error_lines(result.err)
    assert any(line.startswith(f"{W2}:4: field 'duration'") for line in lines)
    assert any(line.startswith("content/en/week-3.md:") and "<script>" in line for line in lines)
    assert "content/fr/week-6.md: missing file; every variant needs week-1.md to week-6.md (week 6 is missing)" in lines


def test_unexpected_module_file(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(minimal / "content/en/week-6.md", minimal / "content/en/week-7.md")
    result = check(minimal, capsys)
    assert result.code == 1
    assert error_lines(result.err) == [
        "content/en/week-7.md: unexpected module file; a variant holds program.md and week-1.md to week-6.md, "
        "once each"]


def test_not_utf8(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (minimal / W2).write_bytes((minimal / W2).read_text().replace("Section text.", "Très bien.").encode("cp1252"))
    result = check(minimal, capsys)
    assert result.code == 1
    assert error_lines(result.err)[0] == (f"{W2}:29: the file is not UTF-8 text (invalid continuation byte at byte 585,"
                                          " 0xe8); save it as UTF-8 (in most editors: Save As, encoding UTF-8)")


def test_byte_order_mark_is_accepted(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Some Windows editors save UTF-8 with a BOM first: the front matter still starts the file."""
    (minimal / W2).write_bytes(b"\xef\xbb\xbf" + (minimal / W2).read_bytes())
    result = check(minimal, capsys)
    assert result.code == 0, result.err
    assert "expected the file to start" not in result.err + result.out


def test_content_folder_without_variant_yml_is_a_warning(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (minimal / "content/de").mkdir()
    shutil.copy(minimal / "content/en/week-1.md", minimal / "content/de/week-1.md")
    result = check(minimal, capsys)
    assert result.code == 0, result.err
    assert ("content/de: warning: this folder has no variant.yml, so it is ignored (nothing in it is checked or "
            "built); to make it a variant, copy content/en/variant.yml into it and edit label, locale, lang, relation "
            "and source — or move the folder out of content/") in result.out.splitlines()


def test_module_linked_from_outside_the_project_is_refused(minimal: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elsewhere" / "week-3.md"
    outside.parent.mkdir()
    shutil.move(minimal / "content/en/week-3.md", outside)
    os.symlink(outside, minimal / "content/en/week-3.md")
    # `check` in this process; a build refusing it, through the real command line
    for result in (check(minimal, capsys), run_build("handouts", "--variant", "en", project=minimal)):
        assert result.code == 1 and "Traceback" not in result.err
        assert (f"content/en/week-3.md: this file is a link to {outside.resolve()}, outside the project folder; "
                "content must live in the project: replace the link with a copy of the file") in result.err


@pytest.mark.parametrize(("target", "why"), [
    ("a%00b.png", "holds a NUL character (\\0), which no file name can hold"),
    ("a" * 300 + ".png", "has a name part of 304 bytes; file systems allow at most 255"),
    ("abcdefghi/" * 450 + "x.png", "is 4505 bytes long; a file path holds at most 4000"),
])
def test_link_with_an_impossible_file_name(minimal: Path, target: str, why: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with (minimal / W2).open("a", encoding="utf-8") as f:
        f.write(f"\n[a picture]({target})\n")
    line = len((minimal / W2).read_text(encoding="utf-8").splitlines())
    result = check(minimal, capsys)
    assert result.code == 1 and "Traceback" not in result.err
    assert error_lines(result.err) == [f"{W2}:{line}: link or image '{target}' {why}; link to a file of the project by "
                                       "its real name"]


def test_huge_module_and_long_section_are_refused_before_slow_work(minimal: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = (minimal / W2).read_text(encoding="utf-8")
    line = text.splitlines().index("## Handout {#handout}") + 1
    words = " ".join(["word"] * 5_001)
    heading = "## Handout {#handout}\n\n"
    (minimal / W2).write_text(text.replace(heading + "Section text.", heading + words), encoding="utf-8")
    huge = "\n\n".join(["A sentence with several words in it, repeated to make a long handout."] * 70_000)
    w3 = "content/en/week-3.md"
    (minimal / w3).write_text((minimal / w3).read_text(encoding="utf-8").replace("Section text.", huge, 1),
                              encoding="utf-8")
    start = time.monotonic()
    result = check(minimal, capsys)
    assert time.monotonic() - start < 10  # was 15 s for the 5 MB file alone
    assert result.code == 1 and "Traceback" not in result.err
    assert error_lines(result.err) == [
        f"{W2}:{line}: section 'handout' has 5,001 words; a section holds at most 5,000 (about ten printed pages): "
        "shorten it or split it into sections",
        f"{w3}:1: the file is 5.0 MB; a module file holds at most 200 KB (the longest bundled one is about 30 KB): "
        "shorten it, or move long reading into a separate document"]


def test_glossary_of_the_wrong_shape(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (minimal / "glossary.yml").write_text("source: en\nterms: 5\nprotected: Mothercraft\n", encoding="utf-8")
    result = check(minimal, capsys)
    assert result.code == 1 and "Traceback" not in result.err
    assert error_lines(result.err) == [
        "glossary.yml:2: 'terms' should be a list, one '- ' entry per line such as - {en: key message, fr: [message "
        "clé]}, not 5",
        "glossary.yml:3: 'protected' should be a list, one '- ' entry per line such as - Mothercraft, not "
        "'Mothercraft'"]
