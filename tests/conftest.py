"""Shared test helpers: copies of the project or of a minimal fixture project, and a CLI runner."""

from __future__ import annotations

import fcntl
import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PROJECT_PARTS = ("content", "templates", "locales", "fonts", "mkdocs.yml", "agency.yml", "glossary.yml",
                 "cohorts", "babel.cfg")


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_build(*args: str | Path, project: Path | None = None, timeout: int = 600) -> Result:
    """Run ``python build.py`` as a user would, in a subprocess."""
    cmd = [sys.executable, str(REPO / "build.py")]
    if project is not None:
        cmd += ["--project", str(project)]
    cmd += [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=project or REPO)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def copy_project(dest: Path, source: Path = REPO) -> Path:
    """Copy the parts of a project that builds read (not dist/ or .venv)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    if source == REPO:
        _remember_template_strings()
    remembered = source / ".cache" / "catalogs"  # the templates' strings, by their hash: a copy reads the same
    if remembered.is_dir():
        shutil.copytree(remembered, dest / ".cache" / "catalogs", dirs_exist_ok=True)
    return dest


@functools.cache
def _remember_template_strings() -> None:
    """What every check and build in the repository does first (.cache/catalogs/), done once per test process so
    that each copy of the project starts with it."""
    from connections import catalogs
    from connections.project import Project

    catalogs.extract(Project.at(REPO), cached=True)


def built_small_project(dest: Path, *args: str) -> tuple[Path, Result]:
    """The bundled templates, fonts, catalogs and sample cohort with the small fixture content, built once
    with ``args``: a whole project whose full build takes seconds. A real ``python build.py``: its worker pool
    forks from a small process (forked from a test process, the same build took about 15% more CPU)."""
    project = copy_project(dest)
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL / "content", project / "content")
    result = run_build(*args, project=project)
    assert result.code == 0, result.err
    return project, result


FULL_SMALL_ARGS = ("all", "--paper", "letter", "--quiet")

# A French group that meets on Tuesdays at 18:30 in Toronto, one holiday skipped: the cohort file the
# cohort and delivery tests start from (each adds its own lines).
FRENCH_GROUP = """\
id: groupe-test
name: Groupe du printemps
variant: fr
facilitators: [Animatrice Une, Animatrice Deux]
location: Centre d'essai, salle 3
first_session: 2027-03-02
start_time: "18:30"
timezone: America/Toronto
skip: [2027-03-16]
roster: roster.csv
"""


@dataclass(frozen=True)
class BuiltSmall:
    """The small project built whole once per test session (``FULL_SMALL_ARGS``), and that build's result."""

    project: Path
    result: Result

    def copy(self, dest: Path) -> Path:
        """A copy, outputs and build state included, to edit: a copied project keeps its outputs up to date
        (fingerprints count paths inside the project by their place in it), so it rebuilds only what changes."""
        shutil.copytree(self.project, dest, symlinks=True)
        return dest


@pytest.fixture(scope="session")
def built_small(tmp_path_factory: pytest.TempPathFactory) -> BuiltSmall:
    """The full small build, made by the first test process that needs it and shared with the others (a file
    lock in the session's common temporary folder): the slowest setup of the suite, paid once."""
    import os

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # not set without xdist (-p no:xdist, -n 0)
        base = base.parent  # shared by the xdist workers of this session
    folder = base / "built-small"
    with open(base / "built-small.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "result.txt"
        if not done.is_file():
            if folder.exists():
                shutil.rmtree(folder)
            _, result = built_small_project(folder / "project", *FULL_SMALL_ARGS)
            done.write_text(f"{result.code}\n{result.out}", encoding="utf-8")
        code, out = done.read_text(encoding="utf-8").split("\n", 1)
    return BuiltSmall(folder / "project", Result(int(code), out, ""))


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """The bundled templates, catalogs, fonts and sample cohort with the small fixture content (not built)."""
    project = copy_project(tmp_path / "small")
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL / "content", project / "content")
    return project


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A small valid project (English and French) to break one file at a time."""
    return copy_project(tmp_path / "minimal", MINIMAL)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project, safe to edit."""
    return copy_project(tmp_path / "project")


# The slowest files first (measured with --durations): two test processes each take whole files
# (--dist loadfile), so starting the long ones early keeps one process from running alone at the end.
# test_incremental starts first: it makes the full small build (`built_small`) that test_build_robustness,
# test_manual_join and test_uptodate copy later, so they never wait for it.
SLOW_FIRST = ("test_incremental", "test_site_browser", "test_handouts", "test_cohort_build", "test_stale_outputs",
              "test_hostile_content", "test_manual", "test_site", "test_manual_parts", "test_build_robustness",
              "test_new_variant", "test_manual_join", "test_uptodate", "test_delivery", "test_cohort_privacy",
              "test_check")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: tests keep their order in a file


def pytest_collection_finish(session: pytest.Session) -> None:  # noqa: ARG001 (pytest's signature)
    """Fewer full garbage collections in a test process: it holds many objects for its whole life (the modules,
    the collected tests, shared builds and PDFs read back), which every full collection would walk again.
    Nothing a test checks depends on when garbage is collected; only the CPU this takes (about 5%). And builds
    in a test process render in it (below)."""
    import gc

    gc.freeze()  # what exists now (modules, tests) lives as long as the process: never scanned again
    gc.set_threshold(100_000, 50, 1000)
    # Builds run in a test process (run_cli, main, pipeline.run) render there, one document after the other, unless
    # a test asks for workers (--jobs N, jobs=N): a worker pool forked from a test process, with fonts and styles
    # loaded again in each worker, cost more CPU than it saved on the two cores the suite already fills. Worker
    # pools are tested where they are the point: test_pipeline, and the real processes of test_build_robustness,
    # test_incremental (Ctrl-C) and the shared full small build.
    from connections import pipeline

    pipeline.DEFAULT_JOBS = 1


def run_cli(*args: str | Path, project: Path | None = None) -> Result:
    """Run the command line as ``run_build`` does, but in this process (``connections.cli.main``): the same
    parsing, checks, build and messages, without an interpreter start and the imports (1.5-3 s of CPU each)
    — for tests about what a command makes or says, not about starting ``python build.py``. Output is read at
    the file-descriptor level, so what a worker process or a C library prints is caught as in a subprocess."""
    import io
    import os
    import tempfile

    from connections.cli import main

    argv = [*(["--project", str(project)] if project is not None else []), *(str(a) for a in args)]
    streams, cwd = (sys.stdout, sys.stderr), os.getcwd()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        for stream in streams:
            stream.flush()
        saved = os.dup(1), os.dup(2)
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout, sys.stderr = (io.TextIOWrapper(open(fd, "wb", closefd=False), encoding="utf-8",  # noqa: SIM115
                                                       write_through=True) for fd in (1, 2))
            os.chdir(project or REPO)
            try:
                code = main(argv, default_root=REPO)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.stdout, sys.stderr = streams
            os.chdir(cwd)
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)
        out.seek(0)
        err.seek(0)
        return Result(code, out.read().decode("utf-8"), err.read().decode("utf-8"))

