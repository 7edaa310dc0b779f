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

STATE_FILE = ".build-state.json"
_UMASK = os.umask(0)
os.umask(_UMASK)
PACKAGE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Target:
    """One output and what it is made from."""

    key: str  # unique and stable, e.g. "handout:fr:3:letter"
    output: Path  # absolute path of a file, or of a folder when ``is_dir``
    renderer: str  # "module:function" called as function(target, root) in a worker
    inputs: tuple[Path, ...]  # files whose bytes decide whether to rebuild
    params: tuple[tuple[str, Any], ...] = ()  # options that change the output
    is_dir: bool = False
    fresh: bool = False  # --force: a renderer that keeps its own cache (manual parts) must not use it

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


@dataclass
class Report:
    built: list[Target] = field(default_factory=list)
    up_to_date: list[Target] = field(default_factory=list)
    failed: list[tuple[Target, str]] = field(default_factory=list)
    seconds: float = 0.0


@functools.cache
def code_fingerprint() -> str:
    """The toolkit's own version and source: a change to the code rebuilds everything.

    Computed once per process: the code a process runs is the code it imported at its start.
    """
    h = hashlib.sha256(__version__.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".yml", ".css", ".html", ".js"} and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(target: Target, code: str, digests: dict[Path, bytes] | None = None) -> str:
    """Hash of the code, the options and every input's bytes; ``digests`` memoizes files shared by targets."""
    digests = {} if digests is None else digests
    h = hashlib.sha256(code.encode())
    h.update(repr(target.params).encode())
    for p in sorted(set(target.inputs)):
        if p not in digests:
            try:
                digests[p] = hashlib.sha256(p.read_bytes()).digest()
            except OSError:
                digests[p] = b"<missing>"
        h.update(str(p).encode())
        h.update(digests[p])
    return h.hexdigest()


def _load_state(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(out: Path, state: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, out / STATE_FILE)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir_atomic(staging: Path, final: Path) -> None:
    """Swap a fully built folder into place; the old one stays whole until the swap."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _resolve(renderer: str) -> Callable[[Target, Path], None]:
    import importlib

    module, func = renderer.split(":")
    return getattr(importlib.import_module(module), func)


def render_one(target: Target, root: str) -> str | None:
    """Run in a worker: render one target; return an error message or None."""
    try:
        _resolve(target.renderer)(target, Path(root))
        return None
    except UserError as exc:
        return str(exc)
    except Exception as exc:  # a bug, not the user's mistake: say so, with where it happened
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        return (f"internal error in the toolkit ({type(exc).__name__}: {exc}) at {Path(where.filename).name}:"
                f"{where.lineno}; other outputs are unaffected. Please report it with this message.")


class Progress:
    """A progress bar on a terminal, plain lines otherwise, nothing with --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
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


def run(targets: list[Target], root: Path, out: Path, *, force: bool = False, quiet: bool = False,
        jobs: int | None = None, label: Callable[[Target], str] | None = None) -> Report:
    """Build what is out of date; record each success at once so an interrupted build loses nothing."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    start = time.perf_counter()
    report = Report()
    code = code_fingerprint()
    state = _load_state(out)
    todo: list[tuple[Target, str]] = []
    digests: dict[Path, bytes] = {}
    for t in targets:
        fp = fingerprint(t, code, digests)
        exists = t.output.is_dir() if t.is_dir else t.output.is_file()
        if not force and exists and state.get(t.key) == fp:
            report.up_to_date.append(t)
        else:
            todo.append((replace(t, fresh=True) if force else t, fp))
    if not quiet and any(t.output.suffix == ".pdf" for t, _ in todo):
        from .system import warn_once_if_slow_subsetting

        warn_once_if_slow_subsetting()
    name = label or (lambda t: t.output.relative_to(out).as_posix() if t.output.is_relative_to(out) else str(t.output))
    progress = Progress(len(todo), quiet)
    try:
        if len(todo) == 1 or jobs == 1:
            for t, fp in todo:
                err = render_one(t, str(root))
                _record(t, fp, err, state, report, out)
                progress.step(name(t))
        elif todo:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
            # Heaviest first keeps both cores busy to the end.
            ordered = sorted(todo, key=lambda tf: tf[0].param("weight", 1), reverse=True)
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
            try:
                pending: dict[Future, tuple[Target, str]] = {
                    pool.submit(render_one, t, str(root)): (t, fp) for t, fp in ordered
                }
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        t, fp = pending.pop(fut)
                        _record(t, fp, fut.result(), state, report, out)
                        progress.step(name(t))
            finally:
                # On Ctrl-C or a crash: drop what has not started; what is running finishes its atomic write.
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        progress.close()
    report.seconds = time.perf_counter() - start
    return report


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


def _record(t: Target, fp: str, err: str | None, state: dict[str, str], report: Report, out: Path) -> None:
    if err is None:
        state[t.key] = fp
        report.built.append(t)
    else:
        state.pop(t.key, None)
        report.failed.append((t, err))
    _save_state(out, state)


def kinds(targets: list[Target]) -> str:
    counts: dict[str, int] = {}
    for t in targets:
        kind = t.key.split(":", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in counts.items())


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
    return "\n".join(lines)
