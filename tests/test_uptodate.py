"""A rebuild with nothing to do is answered from the last complete build's stamp, without loading the
project; any change to any file it could read, a missing output, or another command's build since,
sends it back to deciding output by output."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from tests.conftest import FULL_SMALL_ARGS, REPO, BuiltSmall
from tests.fixtures.pdf.pdf_project import norm, pdf_text

ARGS = FULL_SMALL_ARGS


def build_in_a_new_process(project: Path, *args: str) -> tuple[str, bool]:
    """Run a build in a fresh interpreter; its output, and whether it loaded the project (validation)."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from connections.cli import main; "
            "rc = main(['--project', sys.argv[2], *sys.argv[3:]]); "
            "print('connections.validate' in sys.modules, 'weasyprint' in sys.modules, rc)")
    out = subprocess.run([sys.executable, "-c", code, str(REPO), str(project), *args], capture_output=True,
                         text=True, timeout=600)
    *lines, last = out.stdout.strip().splitlines()
    loaded, weasy, rc = last.split()
    assert rc == "0", out.stdout + out.stderr
    return "\n".join(lines), loaded == "True"


def build_here(project: Path, *args: str) -> tuple[str, bool]:
    """The same build in this process (no interpreter to start, no toolkit to import): its output, and whether it
    loaded the project, seen by a spy on the function that loads it (the module is imported here already)."""
    from connections import context
    from connections.cli import main

    real, calls = context.bundle_for, []

    def spy(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        calls.append(a)
        return real(*a, **kw)

    context.bundle_for = spy
    try:
        with redirect_stdout(io.StringIO()) as out:
            rc = main(["--project", str(project), *args])
    finally:
        context.bundle_for = real
    assert rc == 0, out.getvalue()
    return out.getvalue().strip(), bool(calls)


@pytest.fixture(scope="module")
def small(built_small: BuiltSmall, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert "Built 61, up to date 0" in built_small.result.out  # 18 cohort outputs and forms, 36 handouts
    # (standard, discreet, large print), 4 manuals (regular, large print), 3 sites
    project = built_small.copy(tmp_path_factory.mktemp("uptodate") / "project")
    # A copied (or moved) project keeps its outputs: it is looked at once, and nothing is rebuilt.
    out, loaded = build_here(project, *ARGS)
    assert loaded and "Built 0, up to date 61, failed 0" in out
    return project


def test_nothing_changed_is_answered_without_loading_the_project(small: Path) -> None:
    out, loaded = build_in_a_new_process(small, *ARGS)  # a real start: the project's modules are never imported
    assert "Built 0, up to date 61, failed 0" in out
    assert ("up to date: 3 site, 36 handouts, 4 manual, 2 attendance, 4 certificates, 1 calendar, 5 runsheets, "
            "2 report, 4 forms") in out
    assert not loaded


def test_any_added_edited_or_removed_file_is_looked_at(small: Path) -> None:
    note = small / "notes-for-the-team.txt"
    note.write_text("Relire la semaine 2.\n", encoding="utf-8")
    out, loaded = build_here(small, *ARGS)
    assert loaded and "Built 0, up to date 61" in out  # looked at, and nothing to rebuild for it
    out, loaded = build_here(small, *ARGS)
    assert not loaded
    note.unlink()
    out, loaded = build_here(small, *ARGS)
    assert loaded and "Built 0, up to date 61" in out
    # an edited file that no output shows (the glossary is read by the rules): looked at, checked, not rebuilt
    glossary = small / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# relu en novembre\n", encoding="utf-8")
    out, loaded = build_here(small, *ARGS)
    assert loaded and "failed 0" in out
    out, loaded = build_here(small, *ARGS)
    assert not loaded


def test_a_missing_output_is_built_again(small: Path) -> None:
    handout = small / "dist/handouts/en/week-2-letter.pdf"
    handout.unlink()
    out, loaded = build_here(small, *ARGS)
    assert loaded and "Built 1, up to date 60" in out
    assert handout.is_file()


def test_another_commands_build_voids_the_stamp(small: Path) -> None:
    """Edit, build only the manual, undo the edit: the full build must see that the manual is not right."""
    week3 = small / "content/fr/week-3.md"
    original = week3.read_text(encoding="utf-8")
    assert build_here(small, *ARGS)[1] is False  # stamped
    week3.write_text(original.replace("Texte de la section.", "Une version provisoire.", 1), encoding="utf-8")
    out, _ = build_here(small, "manual", "--variant", "fr", "--paper", "letter", "--quiet")
    assert "Built 1," in out
    manual = small / "dist/manual/fr/facilitator-manual-letter.pdf"
    assert "Une version provisoire." in norm(pdf_text(manual))
    week3.write_text(original, encoding="utf-8")
    out, loaded = build_here(small, *ARGS)
    assert loaded and "Built 1, up to date 60" in out
    assert "Une version provisoire." not in norm(pdf_text(manual))


def test_force_does_not_use_the_stamp(small: Path) -> None:
    out, loaded = build_here(small, "site", "--force", "--quiet")
    assert loaded and "Built 3, up to date 0" in out
