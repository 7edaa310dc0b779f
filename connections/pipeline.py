"""Decide what is out of date, render it in a process pool, and write every output atomically.

A target names one output (a file or a whole site folder), the files whose bytes decide whether
it is up to date, and the renderer that makes it. Renderers run in long-lived worker processes,
one per core, each keeping its own set-up (fonts, stylesheets, templates) between documents.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UserError
from .files import environment_error, replace_dir_atomic, sha256_file, write_atomic

__all__ = ["Target", "Report", "run", "summary", "write_atomic", "replace_dir_atomic", "code_fingerprint"]

STATE_FILE = ".build-state.json"
PACKAGE_DIR = Path(__file__).parent
# Libraries whose version changes what the toolkit writes: part of every output's fingerprint.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "mkdocs", "mkdocs-material", "markdown",
                       "pymdown-extensions", "jinja2", "babel", "pikepdf", "fonttools", "icalendar", "nh3", "tzdata")


@dataclass(frozen=True)
class Target:
    """One output and what it is made from.

    ``render`` is a module-level function (so a worker process can receive it) called as
    ``render(target, root)``; ``params`` is the output kind's own frozen dataclass of options.
    """

    kind: str  # the output kind's name in the registry (connections.outputs), e.g. "handouts"
    key: str  # unique and stable, e.g. "handouts:fr:3:letter"
    output: Path  # absolute path of a file, or of a folder when ``is_dir``
    render: Callable[[Target, Path], None]
    inputs: tuple[Path, ...]  # files whose bytes decide whether to rebuild
    params: Any = None  # a frozen dataclass: the options that change the output
    weight: int = 1  # relative cost: the heaviest start first
    is_dir: bool = False
    private: bool = False  # made from a roster: its errors never quote text (it could be a name)
    fresh: bool = False  # --force: a renderer that keeps its own cache (manual parts) must not use it
    settings: tuple[str, ...] = ()  # values read from a file that is not an input as a whole (agency.yml but
    # its help lines): they decide rebuilds like the inputs' bytes

    @property
    def variant(self) -> str | None:
        """The content variant this output belongs to, if any (for keeping a variant's outputs in step)."""
        return getattr(self.params, "variant", None)


@dataclass
class Report:
    built: list[Target] = field(default_factory=list)
    up_to_date: list[Target] = field(default_factory=list)
    failed: list[tuple[Target, str]] = field(default_factory=list)
    seconds: float = 0.0


def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in RENDERING_LIBRARIES:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}: absent")
    return ";".join(out)


@functools.cache
def code_fingerprint() -> str:
    """The toolkit's own version and source, and the versions of the libraries that render: a change to
    any of them rebuilds everything.

    Computed once per process: the code a process runs is the code it imported at its start.
    """
    h = hashlib.sha256(__version__.encode())
    h.update(_library_versions().encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".yml", ".css", ".html", ".js"} and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(target: Target, code: str, digests: dict[Path, bytes] | None = None,
                root: Path | None = None) -> str:
    """Hash of the code, the options and every input's bytes; ``digests`` memoizes files shared by targets.

    Paths inside the project ``root`` count by their place in the project, not by where the project lies:
    a project folder moved, renamed or copied (a shared drive mounted elsewhere) keeps its outputs up to date.
    """
    digests = {} if digests is None else digests
    portable = portable_paths(root)
    h = hashlib.sha256(code.encode())
    h.update(f"{target.render.__module__}.{target.render.__qualname__}".encode())
    h.update(portable(repr(target.params)).encode())
    h.update(repr(target.settings).encode())
    for p in sorted(set(target.inputs)):
        if p not in digests:
            digests[p] = sha256_file(p)
        h.update(portable(str(p)).encode())
        h.update(digests[p])
    return h.hexdigest()


def portable_paths(root: Path | None) -> Callable[[str], str]:
    """A function writing the project's folder (as given and resolved) as ``<project>`` in a text."""
    if root is None:
        return lambda text: text
    places = sorted({str(root), str(root.resolve())}, key=len, reverse=True)

    def portable(text: str) -> str:
        for place in places:
            text = text.replace(place, "<project>")
        return text

    return portable


def _load_state(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_state(out: Path, state: dict[str, str]) -> None:
    write_atomic(out / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))


def render_one(target: Target, root: str) -> str | None:
    """Run in a worker: render one target; return an error message or None."""
    try:
        target.render(target, Path(root))
        return None
    except UserError as exc:
        return str(exc)
    except Exception as exc:  # a bug, not the user's mistake: say so, with where it happened
        if isinstance(exc, OSError) and (err := environment_error(exc, exc.filename or target.output)):
            return str(err)  # the machine, not the toolkit: a full disk, a folder without permission
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        # Outputs made from a roster never quote the exception: its text could hold a participant's name.
        detail = type(exc).__name__ if target.private else f"{type(exc).__name__}: {exc}"
        return (f"internal error in the toolkit ({detail}) at {Path(where.filename).name}:"
                f"{where.lineno}; other outputs are unaffected. Please report it with this message.")


class Progress:
    """A progress bar on a terminal, plain lines otherwise, nothing with --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.done = 0
        self.total = total
        if not quiet and total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="output", leave=False, file=sys.stderr)

    def step(self, label: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label[-40:])
            self.bar.update(1)
        elif not self.quiet:
            print(f"[{self.done}/{self.total}] {label}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# Worker processes when a command does not say (--jobs): None is one per core. A program that runs many small
# builds in one process (the test suite) may set 1: each pool forked from a large process costs more than the
# parallel rendering it buys for a few documents.
DEFAULT_JOBS: int | None = None


def run(targets: list[Target], root: Path, out: Path, *, force: bool = False, quiet: bool = False,
        jobs: int | None = None, label: Callable[[Target], str] | None = None) -> Report:
    """Build what is out of date; record each success at once so an interrupted build loses nothing.

    Before anything renders, every output about to be rebuilt loses its recorded fingerprint: a render
    that is stopped half-way (Ctrl-C, kill -9, a power cut) may still replace its file, and that file
    must never be vouched for by the fingerprint of what stood there before.
    """
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    start = time.perf_counter()
    report = Report()
    code = code_fingerprint()
    state = _load_state(out)
    todo: list[tuple[Target, str]] = []
    digests: dict[Path, bytes] = {}
    for t in targets:
        fp = fingerprint(t, code, digests, root)
        exists = t.output.is_dir() if t.is_dir else t.output.is_file()
        if not force and exists and state.get(t.key) == fp:
            report.up_to_date.append(t)
        else:
            todo.append((replace(t, fresh=True) if force else t, fp))
    if todo:
        for t, _ in todo:
            state.pop(t.key, None)
        _save_state(out, state)
    if not quiet and any(t.output.suffix == ".pdf" for t, _ in todo):
        from .system import warn_once_if_slow_subsetting

        warn_once_if_slow_subsetting()
    name = label or (lambda t: t.output.relative_to(out).as_posix() if t.output.is_relative_to(out) else str(t.output))
    progress = Progress(len(todo), quiet)
    scratch = _scratch_folder()  # the renderers' temporary files, removed after
    jobs = jobs or DEFAULT_JOBS
    try:
        if len(todo) == 1 or jobs == 1:
            for t, fp in todo:  # in this process: its cached fonts remove their own folder at exit
                err = render_one(t, str(root))
                _record(t, fp, err, state, report, out)
                progress.step(name(t))
        elif todo:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
            _preload([t for t, _ in todo])
            # Heaviest first keeps both cores busy to the end.
            ordered = sorted(todo, key=lambda tf: tf[0].weight, reverse=True)
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(str(scratch),))
            pending: dict[Future, tuple[Target, str]] = {}
            try:
                pending = {pool.submit(render_one, t, str(root)): (t, fp) for t, fp in ordered}
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        t, fp = pending.pop(fut)
                        _record(t, fp, fut.result(), state, report, out)
                        progress.step(name(t))
            finally:
                # On Ctrl-C or a crash: drop what has not started; what is running finishes its atomic write,
                # and is recorded like any other finished output.
                pool.shutdown(wait=True, cancel_futures=True)
                for fut, (t, fp) in pending.items():
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        _record(t, fp, fut.result(), state, report, out)
    finally:
        progress.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report


def _preload(targets: list[Target]) -> None:
    """Import the renderers' libraries here, once, before the workers are forked: each worker then starts with
    them loaded instead of importing them again (about a second of CPU per worker for WeasyPrint and mkdocs).
    Only modules: fonts and stylesheets stay each worker's own (pdf/engine.py says why)."""
    import importlib

    names = []
    if any(t.output.suffix == ".pdf" for t in targets):
        names += ["weasyprint", "weasyprint.text.fonts", "weasyprint.pdf", "pikepdf", "fontTools.subset"]
    if any(t.kind == "site" for t in targets):
        names += ["mkdocs.commands.build", "mkdocs.config", "material.plugins.search.plugin"]
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # the worker reports it, as it would have without this
            pass


SCRATCH_PREFIX = "connections-build-"


def _scratch_folder() -> Path:
    """A fresh temporary folder for this build; those of builds that were killed (their process is gone)
    are removed first, so even kill -9 leaves nothing behind for long."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{SCRATCH_PREFIX}*"):
        try:
            pid = int(old.name[len(SCRATCH_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, PermissionError, OSError):
            continue
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies, even by kill -9 (no effect elsewhere)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _worker_init(scratch: str) -> None:
    import gc
    import signal

    gc.freeze()  # what the worker inherits is never scanned by its collections: less CPU, and shared pages stay shared

    _die_with_parent()
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    tempfile.tempdir = scratch  # WeasyPrint's font folders and the like go where the build removes them
    os.environ["TMPDIR"] = scratch


def _record(t: Target, fp: str, err: str | None, state: dict[str, str], report: Report, out: Path) -> None:
    if err is None:
        state[t.key] = fp
        report.built.append(t)
    else:
        state.pop(t.key, None)
        report.failed.append((t, err))
    _save_state(out, state)


def kinds(targets: list[Target]) -> str:
    """"3 site, 12 handouts, 2 manual": counts by output kind, in the registry's order."""
    from .outputs import names

    order = {name: i for i, name in enumerate(names())}
    counts: dict[str, int] = {}
    for t in targets:
        counts[t.kind] = counts.get(t.kind, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kn: order.get(kn[0], len(order))))


def summary(report: Report, out: Path, up_to_date_kinds: str | None = None, up_to_date: int | None = None) -> str:
    """The closing lines: what was built, what was up to date, where it went, how long it took.

    ``up_to_date`` and ``up_to_date_kinds`` stand for ``report.up_to_date`` when a no-op was answered
    from the build stamp, without the targets at hand.
    """
    n_up = len(report.up_to_date) if up_to_date is None else up_to_date
    up_kinds = kinds(report.up_to_date) if up_to_date_kinds is None else up_to_date_kinds
    lines = [f"Built {len(report.built)}, up to date {n_up}, failed {len(report.failed)} "
             f"in {report.seconds:.1f} s — outputs in {out}"]
    if report.built:
        lines.append(f"  built: {kinds(report.built)}")
    if n_up:
        lines.append(f"  up to date: {up_kinds}")
    for t, err in report.failed:
        lines.append(f"FAILED {t.key}:\n  " + err.replace("\n", "\n  "))
    lines += out_of_step(report)
    return "\n".join(lines)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def out_of_step(report: Report) -> list[str]:
    """Say which variants now have outputs made from different content (some rebuilt, some failed)."""
    failed: dict[str, set[str]] = {}
    for t, _ in report.failed:
        if t.variant:
            failed.setdefault(t.variant, set()).add(t.kind)
    lines = []
    for variant, bad in sorted(failed.items()):
        good = sorted({t.kind for t in report.built if t.variant == variant} - bad)
        if good:
            lines.append(f"Note: variant '{variant}' is out of step: its {_and(good)} now show the new content, but "
                         f"its {_and(sorted(bad))} still show the old (they failed above). Fix the error and run the "
                         "build again to bring them into step.")
    return lines
