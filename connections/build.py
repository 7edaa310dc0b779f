"""One build: load → check every rule → collect targets → render what is out of date → write.

Shared by `python build.py` and each output kind's command. The output folder is locked for the
whole build, so two builds into one dist/ never interleave: the second waits for the first.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import uptodate
from .context import Options
from .files import ensure_output_folder, environment_error
from .outputs import OutputKind

LOCK_FILE = ".build.lock"


@contextmanager
def locked(out: Path, quiet: bool) -> Iterator[None]:
    """Hold an exclusive lock on the output folder; wait (saying so) while another build holds it."""
    import fcntl

    try:
        handle = open(out / LOCK_FILE, "a+b")  # noqa: SIM115 - held for the whole build
    except OSError as exc:
        raise environment_error(exc, out) or exc from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build is writing to {out}; waiting for it to finish…", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing releases the lock


def build(command: str, kinds: Sequence[OutputKind], opts: Options, root: Path) -> int:
    """Build the outputs of ``kinds``; 0 when every one is built or up to date, 1 when any failed."""
    from .pipeline import Report, code_fingerprint, summary

    start = time.perf_counter()
    ensure_output_folder(opts.out)
    with locked(opts.out, opts.quiet):
        key = uptodate.command_key(command, opts.key(), root)
        code = code_fingerprint()
        stamp = None if opts.force else uptodate.check(opts.out, key, root, code)
        if stamp is not None:  # nothing changed since this command last completed: say so without loading
            for w in stamp.warnings:
                print(w, file=sys.stderr)
            print(summary(Report(seconds=time.perf_counter() - start), opts.out, stamp.kinds, len(stamp.outputs)))
            return 0
        return _build(kinds, opts, key, code, root)


def _build(kinds: Sequence[OutputKind], opts: Options, key: str, code: str, root: Path) -> int:
    from .context import bundle_for
    from .errors import Problems
    from .pipeline import kinds as count_kinds
    from .pipeline import run, summary
    from .rules import run_rules

    bundle, problems = bundle_for(root, list(opts.variants) or None)
    checked = Problems(bundle.project.root)
    run_rules(bundle, checked, [k.name for k in kinds])  # the rules `check` runs, before anything renders
    checked.raise_if_errors("The content or configuration has problems")
    warnings = [*problems.warnings, *checked.warnings]
    for w in warnings:
        print(w, file=sys.stderr)
    targets = [t for k in kinds for t in k.collect(bundle, opts)]
    inputs = [p for t in targets for p in t.inputs]
    # The stamp's digest is taken now, before rendering: a file saved while the build runs is not vouched for.
    digest = uptodate.digest_for(root, code, inputs)
    uptodate.forget_all(opts.out)
    report = run(targets, bundle.project.root, opts.out, force=opts.force, quiet=opts.quiet, jobs=opts.jobs)
    print(summary(report, opts.out))
    if report.failed:
        return 1
    uptodate.record(opts.out, key, digest, [t.output for t in targets], [str(w) for w in warnings],
                    count_kinds(targets))
    return 0
