"""Builds that are stopped, run twice at once, or pointed at a folder they cannot use: never a stale output
vouched for, never a traceback, never a worker left behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from connections import pipeline
from connections.pipeline import Target, run
from tests.conftest import REPO, BuiltSmall, run_build
from tests.pipeline_renderers import copy_upper


def targets_in(tmp_path: Path, n: int = 3) -> tuple[list[Target], Path, Path]:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir(exist_ok=True)
    targets = []
    for i in range(n):
        f = src / f"in-{i}.txt"
        if not f.exists():
            f.write_text(f"version a {i}\n")
        targets.append(Target("doc", f"doc:{i}", out / f"doc-{i}.txt", copy_upper, (f,)))
    return targets, src, out


def test_a_render_interrupted_before_it_is_recorded_is_never_vouched_for(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Edit, build, undo, build stopped after a render wrote its file, redo, build: the output must be rebuilt."""
    targets, src, out = targets_in(tmp_path)
    run(targets, tmp_path, out, quiet=True, jobs=1)  # from version a
    (src / "in-0.txt").write_text("version b 0\n")
    real_record = pipeline._record

    def interrupted(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise KeyboardInterrupt  # the render has written doc-0 from version b; the stop comes before recording

    monkeypatch.setattr(pipeline, "_record", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(targets, tmp_path, out, quiet=True, jobs=1)
    monkeypatch.setattr(pipeline, "_record", real_record)
    assert (out / "doc-0.txt").read_text() == "VERSION B 0\n"
    (src / "in-0.txt").write_text("version a 0\n")  # back to what the state last recorded
    report = run(targets, tmp_path, out, quiet=True, jobs=1)
    assert [t.key for t in report.built] == ["doc:0"]
    assert (out / "doc-0.txt").read_text() == "VERSION A 0\n"


def test_a_rewritten_file_keeps_its_mode(tmp_path: Path) -> None:
    from connections.files import write_atomic

    f = tmp_path / "week-3.md"
    f.write_text("old\n")
    f.chmod(0o644)
    write_atomic(f, b"new\n")
    assert f.read_text() == "new\n" and (f.stat().st_mode & 0o777) == 0o644
    new = tmp_path / "new.txt"
    write_atomic(new, b"x")
    assert (new.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_out_pointing_at_a_file_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "dist"
    f.write_text("not a folder")
    r = run_build("calendar", REPO / "cohorts/sample/cohort.yml", "--out", f)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{f}: --out must be a folder, but this is a file" in r.err


def test_an_output_path_taken_by_a_folder_names_it(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "cohorts" / "sample-2027-spring" / "sessions.ics").mkdir(parents=True)
    r = run_build("calendar", REPO / "cohorts/sample/cohort.yml", "--out", out)
    said = r.out + r.err
    assert r.code == 1 and "Traceback" not in said and "internal error" not in said
    assert "a folder stands where the output file goes" in said


def test_a_full_disk_is_the_machines_problem_not_the_toolkits(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import errno

    from connections import files

    targets, _, out = targets_in(tmp_path, 1)

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", full)
    with pytest.raises(Exception) as info:
        run(targets, tmp_path, out, quiet=True, jobs=1)
    assert "the disk is full; free some space" in str(info.value)


def test_two_builds_into_one_folder_take_turns(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    cmd = [sys.executable, str(REPO / "build.py"), "calendar", str(REPO / "cohorts/sample/cohort.yml"), "--out",
           str(out), "--force"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert not any("Traceback" in err or "internal error" in err for _, err in results)
    assert (out / "cohorts" / "sample-2027-spring" / "sessions.ics").is_file()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_build_and_leave_no_temporary_folders(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    cmd = [sys.executable, str(REPO / "build.py"), "handouts", "--variant", "en", "--out", str(tmp_path / "d"),
           "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the build started no worker"
    time.sleep(1.0)  # the workers are rendering
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "workers outlived the build"

    # The next build (any that prints PDFs in workers: here the two forms) clears what the killed one left, and
    # leaves nothing in the temporary folder.
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "forms", "--variant", "en", "--paper", "letter",
                        "--out", str(tmp_path / "d"), "--jobs", "2", "--quiet"], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert list(tmp.iterdir()) == []


def test_a_variant_left_half_rebuilt_is_named_in_the_summary(tmp_path: Path, monkeypatch, capsys,  # noqa: ANN001
                                                              built_small: BuiltSmall) -> None:
    """The French site shows the new text while the French handouts failed: the summary says so."""
    from connections.cli import main
    from connections.errors import UserError
    from connections.pdf import handouts

    # the small project built whole (shared): the edit rebuilds only what shows French week 1
    project = built_small.copy(tmp_path / "p")
    args = ["--project", str(project), "all", "--variant", "fr", "--paper", "letter", "--jobs", "1", "--quiet"]
    week = project / "content/fr/week-1.md"
    week.write_text(week.read_text(encoding="utf-8").replace("title: ", "title: Nouveau ", 1), encoding="utf-8")

    def broken(target, root) -> None:  # noqa: ANN001
        raise UserError("templates/pdf/handout.html:1: a test failure")

    monkeypatch.setattr(handouts, "render_handout", broken)
    assert main(args) == 1
    out = capsys.readouterr().out
    lead = "Note: variant 'fr' is out of step: its "
    (note,) = [line for line in out.splitlines() if line.startswith(lead)]
    made, _, rest = note.partition(" now show the new content, but its handouts still show the old (they failed "
                                   "above). Fix the error and run the build again to bring them into step.")
    assert rest == "" and note.endswith("step.") and {"manual", "site"} <= set(re.split(r", | and ", made[len(lead):]))


def _fonts_folder(_: int = 0) -> tuple[str, list[str]]:
    """The folder this process's WeasyPrint writes the bundled fonts into, and what it holds."""
    from connections.pdf import engine

    engine.stylesheet(REPO / "templates/pdf/fonts.css", REPO)
    folder = Path(engine.font_config()._folder)
    return str(folder), sorted(p.name for p in folder.iterdir())


def test_build_workers_load_fonts_into_their_own_folder_and_leave_the_parents_alone() -> None:
    """A process that has printed a PDF (a test run, a build that rendered one document in-process) and then
    starts two workers: each worker loads the bundled fonts into a folder of its own. Sharing the parent's
    folder, one worker could register a font file the other is still writing ("Font-face … cannot be
    loaded") or skip it and print with another font."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    parent, fonts = _fonts_folder()
    assert fonts, "the bundled fonts are written into the folder"
    with ProcessPoolExecutor(2, mp_context=get_context("fork")) as pool:
        workers = list(pool.map(_fonts_folder, range(4)))
    # The same bundled fonts (the parent may hold more: fonts of other documents it printed before).
    assert all(folder != parent and names and set(names) <= set(fonts) for folder, names in workers), (parent, workers)
    assert _fonts_folder() == (parent, fonts), "the parent's folder and fonts are still there"


def test_a_build_that_renders_in_its_own_process_exits_cleanly(tmp_path: Path) -> None:
    """One document to make (an edited week, `--jobs 1`) renders in the build's own process: the build says
    it is done and exits 0, with no crash while the process ends."""
    r = run_build("certificates", REPO / "cohorts/sample/cohort.yml", "--out", tmp_path / "out", "--jobs", "1",
                  "--quiet")
    assert (r.code, r.err) == (0, ""), (r.code, r.err)
    assert "failed 0" in r.out and (tmp_path / "out/cohorts/sample-2027-spring/certificates.pdf").is_file()
