"""No output is ever stale with exit 0: every case where a rebuild once answered "up to date" wrongly
(issue 11), and a property test — after any sequence of edits, an incremental build gives exactly what a
forced build from scratch gives."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from connections import pipeline
from connections.cli import main
from tests.conftest import REPO

HANDOUTS = ("handouts", "--variant", "en", "--paper", "letter", "--quiet")


@pytest.fixture
def small(small_project: Path) -> Path:
    return small_project


def build(project: Path, *args: str, out: Path | None = None) -> int:
    return main(["--project", str(project), *args, "--out", str(out or project / "dist")])


def test_a_content_folder_reached_through_a_link_is_watched(small: Path, capsys) -> None:  # noqa: ANN001
    (small / "translations").mkdir()
    shutil.move(small / "content" / "fr", small / "translations" / "fr")
    (small / "content" / "fr").symlink_to(small / "translations" / "fr", target_is_directory=True)
    args = ("handouts", "--variant", "fr", "--paper", "letter", "--quiet")
    assert build(small, *args) == 0
    capsys.readouterr()
    week = small / "translations" / "fr" / "week-1.md"
    week.write_text(week.read_text(encoding="utf-8").replace("title: ", "title: Nouveau — ", 1), encoding="utf-8")
    assert build(small, *args) == 0
    assert "Built 1, up to date 5" in capsys.readouterr().out


def test_the_same_cohort_path_typed_in_two_folders_is_two_cohorts(small: Path, tmp_path: Path, capsys,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    for name, place in (("a", "Riverside Centre"), ("b", "Lakeside Hall")):
        folder = tmp_path / name
        shutil.copytree(small / "cohorts" / "sample", folder)
        f = folder / "cohort.yml"
        f.write_text(f.read_text(encoding="utf-8").replace("Riverside Family Resource Centre, Room 2", place),
                     encoding="utf-8")
    runs = []
    for name in ("a", "b"):  # typed in that folder: the command line resolves the path against it
        monkeypatch.chdir(tmp_path / name)
        runs.append((main(["--project", str(small), "calendar", "cohort.yml", "--out", str(out)]),
                     capsys.readouterr()))
    assert all(code == 0 for code, _ in runs), runs
    assert "Built 1" in runs[1][1].out, runs[1][1].out
    ics = (out / "cohorts" / "sample-2027-spring" / "sessions.ics").read_text(encoding="utf-8")
    assert "Lakeside Hall" in ics and "Riverside" not in ics


def test_a_file_saved_while_the_build_runs_is_not_vouched_for(small: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    """The stamp's digest is taken before rendering: a save after the renderers read the file is seen next time."""
    cohort = small / "cohorts" / "sample" / "cohort.yml"
    real_summary = pipeline.summary

    def save_then_summarize(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        cohort.write_text(cohort.read_text(encoding="utf-8").replace("Room 2", "Room 7"), encoding="utf-8")
        return real_summary(*args, **kwargs)

    monkeypatch.setattr(pipeline, "summary", save_then_summarize)
    assert build(small, "calendar", str(cohort), "--quiet") == 0
    monkeypatch.setattr(pipeline, "summary", real_summary)
    capsys.readouterr()
    assert build(small, "calendar", str(cohort), "--quiet") == 0
    assert "Built 1" in capsys.readouterr().out
    assert "Room 7" in (small / "dist/cohorts/sample-2027-spring/sessions.ics").read_text(encoding="utf-8")


EDITS = ("content", "agency", "template", "cohort", "image")


def _edit(project: Path, what: str, n: int) -> None:
    """One user edit of the kind ``what``; ``n`` makes it differ from earlier ones."""
    if what == "content":
        f = project / "content/en/week-2.md"
        f.write_text(f.read_text(encoding="utf-8").replace("title: ", f"title: v{n} ", 1), encoding="utf-8")
    elif what == "agency":
        f = project / "agency.yml"
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("name: ", f"name: Edition {n} — ", 1), encoding="utf-8")
    elif what == "template":
        f = project / "templates/pdf/handout.css"
        f.write_text(f.read_text(encoding="utf-8") + f"\n/* edit {n} */ h1 {{ letter-spacing: 0.{n}pt; }}\n",
                     encoding="utf-8")
    elif what == "cohort":
        f = project / "cohorts/sample/cohort.yml"
        f.write_text(f.read_text(encoding="utf-8").replace("Room ", f"Room {n}", 1), encoding="utf-8")
    else:  # an image given as a reference-style link ([pic]: picture.png) is an input of its handout
        img = project / "content/en/picture.png"
        first, second = ((REPO / "docs/images" / name).read_bytes() for name in ("handout.png", "manual.png"))
        img.write_bytes(second if img.is_file() and img.read_bytes() == first else first)  # always a change
        f = project / "content/en/week-3.md"
        text = f.read_text(encoding="utf-8")
        if "picture.png" not in text:
            image = "![Chairs in a circle][pic]\n\n[pic]: picture.png\n\n"
            text = text.replace("{#handout}\n\n", "{#handout}\n\n" + image, 1)
        f.write_text(text, encoding="utf-8")


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


@pytest.mark.parametrize("seed", [11])
def test_incremental_builds_equal_forced_builds_after_random_edits(small: Path, tmp_path: Path, seed: int,
                                                                   capsys) -> None:  # noqa: ANN001
    commands = [HANDOUTS, ("calendar", str(small / "cohorts/sample/cohort.yml"), "--quiet")]
    rng = random.Random(seed)
    for cmd in commands:
        assert build(small, *cmd) == 0
    for step, what in enumerate([*rng.sample(EDITS, len(EDITS)), "image"]):
        _edit(small, what, step)
        for cmd in commands:
            assert build(small, *cmd) == 0
        if step not in (2, len(EDITS)):  # compared half-way and at the end: a forced build costs seconds
            continue
        fresh = tmp_path / f"fresh-{step}"
        for cmd in commands:
            assert build(small, *cmd, "--force", out=fresh) == 0
        capsys.readouterr()
        incremental, forced = _outputs(small / "dist"), _outputs(fresh)
        assert incremental.keys() == forced.keys()
        differ = [k for k in forced if incremental[k] != forced[k]]
        assert differ == [], f"step {step} ({what}): stale outputs {differ}"
