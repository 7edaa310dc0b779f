"""Translator workflow: `status` finds what is out of date, `--diff` shows what changed, `mark-current` clears it."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from connections.cli import main
from connections.errors import Problems
from connections.project import Project
from connections.translation import store
from connections.translation.frontmatter import read_translated_from
from connections.validate import load_bundle
from tests.conftest import MINIMAL, copy_project, run_cli

CHANGED = "Section text, now with a gentler opening question."


def cli(capsys, project: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (fast); returns exit code, stdout, stderr."""
    code = main(["--project", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def add_adaptation(project: Path) -> None:
    """An Indigenous-community adaptation of the minimal English, with an extra section in week 3."""
    d = project / "content" / "indigenous"
    shutil.copytree(project / "content" / "en", d)
    (d / "variant.yml").write_text("label: Indigenous communities\nlocale: en_CA\nlang: en\nrelation: adaptation\n"
                                   "source: en\ndiscreet_name: Circle notes\ncontent_date: 2026-11-23\n",
                                   encoding="utf-8")
    week = d / "week-3.md"
    text = week.read_text(encoding="utf-8").replace("week: 3\n", "week: 3\nextra_sections: [local-teachings]\n")
    text = text.replace("## Activity 1 {#activity-1}", "## Local teachings {#local-teachings}\n\n"
                        "!!! note \"For a local Elder or Knowledge Keeper\"\n    Kept for a local teaching.\n\n"
                        "## Activity 1 {#activity-1}")
    week.write_text(text, encoding="utf-8")


def change_source_section(project: Path, slug: str, section: str) -> None:
    """Edit one English section the way an author would."""
    path = project / "content" / "en" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    head = text.index(f"{{#{section}}}")
    end = text.find("\n## ", head)
    body = text[head:end if end > 0 else len(text)]
    if "Section text." in body:
        new_body = body.replace("Section text.", CHANGED, 1)
    else:  # real content: add a sentence at the end of the section
        new_body = body.rstrip("\n") + " " + CHANGED + "\n\n"
    path.write_text(text[:head] + new_body + text[head + len(body):], encoding="utf-8")


def review_set(status_json: dict) -> set[tuple[str, str, str]]:
    return {(v["variant"], Path(f["file"]).stem, s["id"]) for v in status_json["variants"] for f in v["files"]
            for s in f["sections"] if s["state"] == "needs review"}


def main_in(project: Path, *args: str) -> tuple[int, str, str]:
    """The command line in this process, for module-scoped fixtures (capsys is per test)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project), *args])
    return code, out.getvalue(), err.getvalue()


def snapshots(project: Path) -> list[str]:
    return sorted(p.stem for p in store.store_dir(Project.at(project)).glob("*.txt"))


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> Iterator[dict]:
    """One walk through the whole workflow on the minimal project plus an adaptation; each step recorded."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", "200")  # a wide terminal: each change stays on one line of the diff
        yield _walk(tmp_path_factory)


def _walk(tmp_path_factory) -> dict:
    project = copy_project(tmp_path_factory.mktemp("wf") / "p", MINIMAL)
    add_adaptation(project)

    def run(*args: str) -> tuple[int, str, str]:
        return main_in(project, *args)

    steps: dict = {"project": project}
    steps["before"] = json.loads(run("status", "--json")[1])
    steps["gate_before"] = run("status", "--fail-under", "50")
    steps["mark_all"] = run("mark-current", "fr", "indigenous")
    steps["after_mark"] = json.loads(run("status", "--json")[1])
    steps["gate_after"] = run("status", "--fail-under", "100")
    steps["snapshots_after_mark"] = snapshots(project)
    steps["fr_week3_after_mark"] = (project / "content" / "fr" / "week-3.md").read_text(encoding="utf-8")
    change_source_section(project, "week-3", "check-in")
    steps["after_change"] = json.loads(run("status", "--json")[1])
    steps["text_after_change"] = run("status")
    steps["gate_changed"] = run("status", "--fail-under", "100")
    clone = copy_project(tmp_path_factory.mktemp("clone") / "p", project)  # only what a git clone holds
    steps["diff_in_clone"] = main_in(clone, "status", "--diff", "fr/week-3")
    steps["diff_json"] = json.loads(run("status", "--diff", "fr/week-3", "--json")[1])
    steps["mark_one"] = run("mark-current", "fr/week-3#check-in")
    steps["after_one"] = json.loads(run("status", "--json")[1])
    steps["mark_file"] = run("mark-current", "indigenous/week-3")
    steps["after_file"] = json.loads(run("status", "--json")[1])
    steps["snapshots_end"] = snapshots(project)
    return steps


def by_id(status_json: dict, vid: str) -> dict:
    return next(v for v in status_json["variants"] if v["variant"] == vid)


def test_never_marked_translations_need_review_and_fail_the_gate(workflow) -> None:
    fr = by_id(workflow["before"], "fr")
    assert fr["counts"]["current"] == 0 and fr["percent"] == 0
    assert fr["counts"]["needs review"] == fr["tracked"] > 0
    code, _, err = workflow["gate_before"]
    assert code == 1
    assert "status: fr is 0% current, under the required 50%" in err


def test_mark_current_whole_variants_makes_them_100_percent(workflow) -> None:
    code, out, _ = workflow["mark_all"]
    assert code == 0
    assert "content/fr/week-3.md: 13 sections marked current" in out
    for vid in ("fr", "indigenous"):
        v = by_id(workflow["after_mark"], vid)
        assert v["percent"] == 100 and v["counts"]["needs review"] == 0 and v["counts"]["missing"] == 0
    assert by_id(workflow["after_mark"], "indigenous")["counts"]["extra"] == 1  # local-teachings
    assert workflow["gate_after"][0] == 0
    # Each recorded hash has its source text stored, so a diff works later.
    project = Project.at(workflow["project"])
    recorded = read_translated_from(workflow["fr_week3_after_mark"])
    assert set(recorded.values()) <= set(workflow["snapshots_after_mark"])
    assert store.load(project, recorded["check-in"]).startswith("## Check in\n\nSection text.")


def test_changing_one_english_section_flags_exactly_that_section(workflow) -> None:
    assert review_set(workflow["after_change"]) == {("fr", "week-3", "check-in"),
                                                    ("indigenous", "week-3", "check-in")}
    assert by_id(workflow["after_change"], "fr")["percent"] < 100
    code, _, err = workflow["gate_changed"]
    assert code == 1 and "status: fr is" in err and "under the required 100%" in err


def test_status_text_names_the_section_its_line_and_the_next_commands(workflow) -> None:
    project = Project.at(workflow["project"])
    bundle = load_bundle(project, Problems(project.root))
    line = bundle.contents["fr"].weeks[3].sections["check-in"].line
    code, out, _ = workflow["text_after_change"]
    assert code == 0
    assert f"needs review: check-in (line {line})" in out
    assert "python build.py status --diff fr/week-3" in out
    assert "python build.py mark-current fr/week-3#check-in" in out


def test_diff_in_a_fresh_copy_shows_the_english_before_and_now_with_changes_marked(workflow) -> None:
    code, out, _ = workflow["diff_in_clone"]
    assert code == 0
    assert "content/fr/week-3.md:" in out and "#check-in  needs review" in out
    assert "English when translated" in out and "English now" in out
    assert "{+, now with a gentler opening question+}" in out
    old_side = [line.split("│")[0] for line in out.splitlines() if "│" in line]
    assert any("Section text." in s for s in old_side)
    assert "python build.py mark-current fr/week-3#check-in" in out
    # Only the changed section is shown.
    assert "#welcome" not in out and "#closing" not in out


def test_diff_json_gives_both_texts(workflow) -> None:
    (d,) = workflow["diff_json"]["diff"]
    assert d["section"] == "check-in" and d["state"] == "needs review"
    assert "Section text." in d["source_before"] and CHANGED not in d["source_before"]
    assert CHANGED in d["source_now"]


def test_mark_current_one_section_then_a_file_clears_it_and_prunes_old_snapshots(workflow) -> None:
    assert workflow["mark_one"][0] == 0
    assert "content/fr/week-3.md: 1 section marked current (1 out of date" in workflow["mark_one"][1]
    assert review_set(workflow["after_one"]) == {("indigenous", "week-3", "check-in")}
    assert by_id(workflow["after_one"], "fr")["percent"] == 100
    assert review_set(workflow["after_file"]) == set()
    assert by_id(workflow["after_file"], "indigenous")["percent"] == 100
    # The store holds exactly the texts some translation refers to: the new check-in text was added,
    # nothing unreferenced is kept.
    assert workflow["snapshots_end"] == sorted(store.referenced(Project.at(workflow["project"])))
    assert set(workflow["snapshots_end"]) - set(workflow["snapshots_after_mark"])


def test_mark_current_rewrites_only_its_block_byte_for_byte(minimal: Path, capsys) -> None:
    path = minimal / "content" / "fr" / "week-1.md"
    original = path.read_text(encoding="utf-8").replace("title: Semaine 1", "title: 'Semaine 1'   # titre court")
    original = original.replace("\n", "\r\n")  # a file saved on Windows
    path.write_bytes(original.encode("utf-8"))
    assert cli(capsys, minimal, "mark-current", "fr/week-1#check-in")[0] == 0
    once = path.read_bytes().decode("utf-8")
    assert once.count("translated_from:") == 1
    block = once[once.index("translated_from:"):once.index("---", once.index("translated_from:"))]
    assert once.replace(block, "") == original
    assert block.endswith('\r\n') and '\n  check-in: "' in block and "preparation" not in block
    assert cli(capsys, minimal, "mark-current", "content/fr/week-1.md")[0] == 0
    twice = path.read_bytes().decode("utf-8")
    assert read_translated_from(twice)["check-in"] == read_translated_from(once)["check-in"]
    assert len(read_translated_from(twice)) == 12  # front matter + 11 sections of week 1
    assert cli(capsys, minimal, "mark-current", "fr/week-1")[0] == 0
    assert path.read_bytes().decode("utf-8") == twice  # nothing changed: no rewrite
    assert cli(capsys, minimal, "check")[0] == 0


@pytest.mark.parametrize(("what", "message"), [
    ("en", "content/en: 'en' is the source variant; it is not translated from anything. Name a translated "
           "variant: fr"),
    ("de/week-1", "content/de: no such variant 'de'; expected one of: en, fr"),
    ("fr/week-9", "'fr/week-9': the source has no file 'week-9.md'; expected one of: fr/program, fr/week-1"),
    ("fr/week-1#nope", "'fr/week-1#nope': the source has no section 'nope'; expected one of: front-matter, "
                       "preparation, welcome"),
    ("fr#check-in", "'fr#check-in': expected VARIANT, VARIANT/FILE or VARIANT/FILE#SECTION"),
])
def test_mark_current_mistakes_are_clear(minimal: Path, capsys, what: str, message: str) -> None:
    code, _, err = cli(capsys, minimal, "mark-current", what)
    assert code == 1
    assert message in err


def test_mark_current_refuses_a_file_with_errors_and_status_still_works(minimal: Path, capsys) -> None:
    path = minimal / "content" / "fr" / "week-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## Grounding {#grounding}", "## Grounding"),
                    encoding="utf-8")
    result = run_cli("mark-current", "fr/week-2", project=minimal)  # as a user runs it: no traceback
    assert result.code == 1 and "Traceback" not in result.err
    assert "content/fr/week-2.md:" in result.err and "section heading has no id" in result.err
    assert "content/fr/week-2.md: fix the errors above before marking it current" in result.err
    code, out, err = cli(capsys, minimal, "status", "--variant", "fr")
    assert code == 0 and "note: the content has" in err
    assert "week-2.md" in out and "has errors, see 'python build.py check'" in out


def test_missing_file_and_missing_section(minimal: Path, capsys) -> None:
    (minimal / "content" / "fr" / "week-6.md").unlink()
    status = json.loads(cli(capsys, minimal, "status", "--json")[1])
    fr = by_id(status, "fr")
    week6 = next(f for f in fr["files"] if f["file"] == "content/fr/week-6.md")
    assert not week6["exists"] and {s["state"] for s in week6["sections"]} == {"missing"}
    assert fr["counts"]["missing"] == len(week6["sections"])
    code, out, _ = cli(capsys, minimal, "status", "--diff", "fr/week-6")
    assert "#handout  missing" in out and "not translated yet" in out
    code, _, err = cli(capsys, minimal, "mark-current", "fr/week-6")
    assert code == 1 and "content/fr/week-6.md: does not exist yet; translate it first" in err


def test_status_rejects_the_source_and_unknown_variants(minimal: Path, capsys) -> None:
    assert "'en' is the source variant" in cli(capsys, minimal, "status", "--variant", "en")[2]
    assert "no such variant 'xx'" in cli(capsys, minimal, "status", "--variant", "xx")[2]


def test_real_content_one_english_change_flags_fr_and_indigenous(project: Path, capsys) -> None:
    """The bundled content: stamped in the copy, one English section edited, exactly it needs review."""
    code, _, err = cli(capsys, project, "mark-current", "fr", "indigenous")
    assert code == 0, err
    status = json.loads(cli(capsys, project, "status", "--json")[1])
    assert all(v["percent"] == 100 for v in status["variants"]), status
    change_source_section(project, "week-3", "check-in")
    status = json.loads(cli(capsys, project, "status", "--json")[1])
    assert review_set(status) == {("fr", "week-3", "check-in"), ("indigenous", "week-3", "check-in")}
    code, out, _ = cli(capsys, project, "status", "--diff", "indigenous/week-3")
    assert code == 0 and "#check-in  needs review" in out and "{+" in out and "gentler" in out


def test_a_block_moved_by_hand_is_replaced_where_it_is() -> None:
    from connections.translation.frontmatter import write_translated_from

    text = "---\nweek: 1\ntranslated_from: {welcome: 'aaaaaaaaaaaa'}   # moved\ntitle: Semaine 1\n---\n\nBody\n"
    out = write_translated_from(text, {"welcome": "bbbbbbbbbbbb"})
    assert out.startswith("---\nweek: 1\ntranslated_from:  # written by")
    assert out.endswith('  welcome: "bbbbbbbbbbbb"\ntitle: Semaine 1\n---\n\nBody\n')
    assert read_translated_from(out) == {"welcome": "bbbbbbbbbbbb"}
