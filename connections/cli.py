"""The command line: parse arguments, call the pipeline, turn user mistakes into clear messages."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .context import PAPERS, Options
from .errors import UserError

HELP = {
    "all": "build everything (site, handouts, manual, sample cohort) for every variant",
    "site": "build the facilitator website: dist/site/<variant>/",
    "handouts": "build participant handouts: dist/handouts/<variant>/week-<N>-<paper>.pdf",
    "manual": "build the facilitator manual: dist/manual/<variant>/facilitator-manual-<paper>.pdf",
    "attendance": "build a cohort's attendance and sign-in sheets: dist/cohorts/<cohort>/attendance-<paper>.pdf",
    "certificates": "build completion certificates and an attendance summary: dist/cohorts/<cohort>/certificates.pdf",
    "calendar": "build a cohort's session calendar: dist/cohorts/<cohort>/sessions.ics",
    "check": "validate all content and configuration; exit 1 on any error",
    "status": "show the translation status of every variant",
    "mark-current": "record translated sections as reviewed against the current source",
    "serve": "serve the site locally and rebuild it when content or templates change",
}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not '{text}'")
    return value


def _common(p: argparse.ArgumentParser, paper: bool = True, variant: bool = True) -> None:
    if variant:
        p.add_argument("--variant", action="append", default=[], metavar="V",
                       help="only this variant (repeatable), e.g. --variant fr")
    if paper:
        p.add_argument("--paper", choices=PAPERS, action="append", default=[],
                       help="paper size (repeatable; default: letter and a4)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: dist/)")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--quiet", action="store_true", help="print only errors and the summary")
    p.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: one per core)")


def _print_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--large-print", action="store_true", help="body text of at least 18 pt")
    p.add_argument("--discreet", action="store_true",
                   help="handouts safer to take home: neutral title and file name, no words about violence")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Connections program: facilitator site, handouts, manual and cohort paperwork.",
        epilog="With no command, builds everything for every variant with the bundled sample cohort.",
    )
    parser.add_argument("--project", type=Path, default=None, metavar="DIR",
                        help="the project folder (default: the folder holding build.py)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("all", help=HELP["all"], description=HELP["all"])
    _common(p)
    _print_options(p)
    for name in ("site",):
        p = sub.add_parser(name, help=HELP[name], description=HELP[name])
        _common(p, paper=False)
        p.add_argument("--strict", action="store_true", help="fail when a translation is missing a section")
    for name in ("handouts", "manual"):
        p = sub.add_parser(name, help=HELP[name], description=HELP[name])
        _common(p)
        _print_options(p)
    for name in ("attendance", "certificates", "calendar"):
        p = sub.add_parser(name, help=HELP[name], description=HELP[name])
        p.add_argument("cohort", type=Path, metavar="COHORT.yml", help="the cohort file")
        _common(p, paper=name == "attendance", variant=False)
        if name == "certificates":
            p.add_argument("--attendance", type=Path, metavar="FILE",
                           help="attendance record CSV: participant, then present/absent/excused per session")
            p.add_argument("--threshold", type=int, default=None, metavar="N",
                           help="sessions needed for a certificate (default: from the cohort file, else 5)")
    p = sub.add_parser("check", help=HELP["check"], description=HELP["check"])
    p = sub.add_parser("status", help=HELP["status"], description=HELP["status"])
    p.add_argument("--variant", action="append", default=[], metavar="V", help="only this variant (repeatable)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--diff", metavar="VARIANT/FILE", help="show what changed in the source, e.g. fr/week-3")
    p.add_argument("--fail-under", type=float, default=None, metavar="PERCENT",
                   help="exit 1 when a variant is less than PERCENT current")
    p.add_argument("--html", type=Path, default=None, metavar="FILE",
                   help="also write a translation report for coordinators as an HTML page")
    p = sub.add_parser("mark-current", help=HELP["mark-current"], description=HELP["mark-current"])
    p.add_argument("what", nargs="+", metavar="VARIANT[/FILE[#SECTION]]",
                   help="e.g. fr/week-3#check-in, fr/week-3 or fr")
    from .translation import xliff_cli

    p = sub.add_parser("translate", help=xliff_cli.HELP, description=xliff_cli.HELP)
    xliff_cli.add_arguments(p)
    p = sub.add_parser("serve", help=HELP["serve"], description=HELP["serve"])
    p.add_argument("--variant", default=None, metavar="V", help="variant to serve (default: the source)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    return parser


def options_from(args: argparse.Namespace, root: Path) -> Options:
    return Options(
        out=(args.out or root / "dist").resolve(),
        variants=list(getattr(args, "variant", None) or []),
        papers=list(getattr(args, "paper", None) or []) or list(PAPERS),
        force=getattr(args, "force", False),
        quiet=getattr(args, "quiet", False),
        jobs=getattr(args, "jobs", None),
        large_print=getattr(args, "large_print", False),
        discreet=getattr(args, "discreet", False),
        strict=getattr(args, "strict", False),
    )


def cmd_check(args: argparse.Namespace, root: Path) -> int:
    from .checks import run_checks

    return run_checks(root)


def _run_targets(collect: Callable, args: argparse.Namespace, root: Path) -> int:
    from . import uptodate
    from .pipeline import Report, code_fingerprint, summary

    start = time.perf_counter()
    opts = options_from(args, root)
    key = uptodate.command_key(args.command, vars(args), root)
    code = code_fingerprint()
    stamp = None if opts.force else uptodate.check(opts.out, key, root, code)
    if stamp is not None:  # nothing changed since this command last completed: say so without loading anything
        for w in stamp.warnings:
            print(w, file=sys.stderr)
        print(summary(Report(seconds=time.perf_counter() - start), opts.out, stamp.kinds, len(stamp.outputs)))
        return 0
    return _build(collect, opts, key, code, root)


def _build(collect: Callable, opts: Options, key: str, code: str, root: Path) -> int:
    from . import uptodate
    from .catalogs import require_current
    from .context import bundle_for
    from .pipeline import kinds, run, summary

    bundle, problems = bundle_for(root, opts.variants or None)
    require_current(bundle.project)  # template catalogs out of date with the templates stop a build
    for w in problems.warnings:
        print(w, file=sys.stderr)
    targets = collect(bundle, opts)
    uptodate.forget_all(opts.out)
    report = run(targets, bundle.project.root, opts.out, force=opts.force, quiet=opts.quiet, jobs=opts.jobs)
    print(summary(report, opts.out))
    if report.failed:
        return 1
    uptodate.record(opts.out, key, bundle.project.root, code, [t.output for t in targets],
                    [p for t in targets for p in t.inputs], [str(w) for w in problems.warnings], kinds(targets))
    return 0


def cmd_targets(name: str) -> Callable[[argparse.Namespace, Path], int]:
    def handler(args: argparse.Namespace, root: Path) -> int:
        def collect(bundle, opts: Options) -> list:
            from . import targets

            fn = getattr(targets, name)
            return fn(bundle, opts, args) if hasattr(args, "cohort") else fn(bundle, opts)

        return _run_targets(collect, args, root)

    return handler


def cmd_status(args: argparse.Namespace, root: Path) -> int:
    from .translation.commands import status

    return status(root, args)


def cmd_mark_current(args: argparse.Namespace, root: Path) -> int:
    from .translation.commands import mark_current

    return mark_current(root, args)


def cmd_translate(args: argparse.Namespace, root: Path) -> int:
    from .translation.xliff_cli import run

    return run(root, args)


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    from .site.serve import serve

    return serve(root, args)


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "all": cmd_targets("everything"),
    "site": cmd_targets("site"),
    "handouts": cmd_targets("handouts"),
    "manual": cmd_targets("manual"),
    "attendance": cmd_targets("attendance"),
    "certificates": cmd_targets("certificates"),
    "calendar": cmd_targets("calendar"),
    "check": cmd_check,
    "status": cmd_status,
    "mark-current": cmd_mark_current,
    "translate": cmd_translate,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None, default_root: Path | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS for a in argv) and not {"-h", "--help"} & set(argv):
        i = 0  # no command given: "all", placed after a leading --project DIR
        while i < len(argv) and argv[i].startswith("--project"):
            i += 1 if "=" in argv[i] else 2
        if i >= len(argv) or argv[i].startswith("-"):  # a misspelt command is left for argparse to name
            argv.insert(i, "all")
    args = parser.parse_args(argv)
    root = (args.project or default_root or Path.cwd()).resolve()
    command = args.command
    try:
        return COMMANDS[command](args, root)
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into a command that stopped reading (| head): no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout again at exit
        return 1
    except KeyboardInterrupt:
        print("Stopped. Outputs finished before the stop are whole; run the command again to finish.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(default_root=Path(os.getcwd())))
