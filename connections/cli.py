"""The command line: parse arguments, call the pipeline, turn user mistakes into clear messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .context import PAPERS, Options
from .errors import UserError
from .files import environment_error
from .outputs import KINDS, OutputKind

COMMAND_HELP = {
    "all": "build everything (site, handouts, manual, sample cohort) for every variant",
    "check": "validate all content and configuration; exit 1 on any error",
    "status": "show the translation status of every variant",
    "mark-current": "record translated sections as reviewed against the current source",
    "serve": "serve the site locally and rebuild it when content or templates change",
    "catalogs": "template-string catalogs: update | init LOCALE | check (see 'catalogs --help')",
    "typography": "put French typography (no-break spaces, ’, « ») into Markdown files (see 'typography --help')",
}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not '{text}'")
    return value


def _add_options(p: argparse.ArgumentParser, kinds: list[OutputKind]) -> None:
    """The options of a build command: those every build takes, and those its output kinds add."""
    if not any(k.cohort for k in kinds) or len(kinds) > 1:
        p.add_argument("--variant", action="append", default=[], metavar="V",
                       help="only this variant (repeatable), e.g. --variant fr")
    if any(k.papers for k in kinds):
        p.add_argument("--paper", choices=PAPERS, action="append", default=[],
                       help="paper size (repeatable; default: letter and a4)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: dist/)")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--quiet", action="store_true", help="print only errors and the summary")
    p.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: one per core)")
    if any(k.print_options for k in kinds):
        p.add_argument("--large-print", action="store_true", help="body text of at least 18 pt")
        p.add_argument("--discreet", action="store_true",
                       help="handouts safer to take home: neutral title and file name, no words about violence")
    if any(k.site_options for k in kinds) and len(kinds) == 1:
        p.add_argument("--strict", action="store_true", help="fail when a translation is missing a section")
    if any(k.certificates for k in kinds) and len(kinds) == 1:
        p.add_argument("--attendance", type=Path, metavar="FILE",
                       help="attendance record CSV: participant, then present/absent/excused per session")
        p.add_argument("--threshold", type=int, default=None, metavar="N",
                       help="sessions needed for a certificate (default: from the cohort file, else 5)")


def build_parser() -> argparse.ArgumentParser:
    """The command line, made from the registry of output kinds (connections.outputs) and a few commands."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Connections program: facilitator site, handouts, manual and cohort paperwork.",
        epilog="With no command, builds everything for every variant with the bundled sample cohort.",
    )
    parser.add_argument("--project", type=Path, default=None, metavar="DIR",
                        help="the project folder (default: the folder holding build.py)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("all", help=COMMAND_HELP["all"], description=COMMAND_HELP["all"])
    _add_options(p, [k for k in KINDS if k.in_all])
    for kind in KINDS:
        text = f"{kind.help}: dist/{kind.paths}"
        p = sub.add_parser(kind.name, help=text, description=text)
        if kind.cohort:
            p.add_argument("cohort", type=Path, metavar="COHORT.yml", help="the cohort file")
        _add_options(p, [kind])
    p = sub.add_parser("check", help=COMMAND_HELP["check"], description=COMMAND_HELP["check"])
    p = sub.add_parser("status", help=COMMAND_HELP["status"], description=COMMAND_HELP["status"])
    p.add_argument("--variant", action="append", default=[], metavar="V", help="only this variant (repeatable)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--diff", metavar="VARIANT/FILE", help="show what changed in the source, e.g. fr/week-3")
    p.add_argument("--fail-under", type=float, default=None, metavar="PERCENT",
                   help="exit 1 when a variant is less than PERCENT current")
    p.add_argument("--html", type=Path, default=None, metavar="FILE",
                   help="also write a translation report for coordinators as an HTML page")
    p = sub.add_parser("mark-current", help=COMMAND_HELP["mark-current"], description=COMMAND_HELP["mark-current"])
    p.add_argument("what", nargs="+", metavar="VARIANT[/FILE[#SECTION]]",
                   help="e.g. fr/week-3#check-in, fr/week-3 or fr")
    from .translation import xliff_cli

    p = sub.add_parser("translate", help=xliff_cli.HELP, description=xliff_cli.HELP)
    xliff_cli.add_arguments(p)
    p = sub.add_parser("serve", help=COMMAND_HELP["serve"], description=COMMAND_HELP["serve"])
    p.add_argument("--variant", default=None, metavar="V", help="variant to serve (default: the source)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    for name in ("catalogs", "typography"):  # their own command lines, --help included
        p = sub.add_parser(name, help=COMMAND_HELP[name], add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _resolved(path: Path | None) -> Path | None:
    """A path from the command line, made absolute against the folder the command was typed in."""
    if path is None:
        return None
    if "\0" in str(path):
        raise UserError(f"the path '{str(path).replace(chr(0), '?')}' holds a NUL character; type the path again")
    return (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()


def options_from(args: argparse.Namespace, root: Path, cohort: Path | None = None) -> Options:
    """Typed options with every path resolved; nothing below the command line sees argparse."""
    return Options(
        out=_resolved(args.out) or root / "dist",
        variants=tuple(getattr(args, "variant", None) or ()),
        papers=tuple(dict.fromkeys(getattr(args, "paper", None) or ())) or PAPERS,
        force=getattr(args, "force", False),
        quiet=getattr(args, "quiet", False),
        jobs=getattr(args, "jobs", None),
        large_print=getattr(args, "large_print", False),
        discreet=getattr(args, "discreet", False),
        print_set=getattr(args, "command", "") == "all" and not (getattr(args, "large_print", False)
                                                                or getattr(args, "discreet", False)),
        strict=getattr(args, "strict", False),
        cohort=_resolved(getattr(args, "cohort", None)) or cohort,
        attendance=_resolved(getattr(args, "attendance", None)),
        threshold=getattr(args, "threshold", None),
    )


def cmd_check(args: argparse.Namespace, root: Path) -> int:
    from .checks import run_checks

    return run_checks(root)


def cmd_build(kinds: list[OutputKind]) -> Callable[[argparse.Namespace, Path], int]:
    """A build command over some output kinds: `all` (every kind in a full build) or one kind."""

    def handler(args: argparse.Namespace, root: Path) -> int:
        from .build import build

        sample = root / "cohorts" / "sample" / "cohort.yml"
        opts = options_from(args, root, cohort=sample if args.command == "all" else None)
        return build(args.command, kinds, opts, root)

    return handler


def cmd_status(args: argparse.Namespace, root: Path) -> int:
    from .translation.commands import StatusOptions, status

    return status(root, StatusOptions(tuple(args.variant or ()), args.json, args.diff, args.fail_under,
                                      _resolved(args.html)))


def cmd_mark_current(args: argparse.Namespace, root: Path) -> int:
    from .translation.commands import mark_current

    return mark_current(root, list(args.what))


def cmd_translate(args: argparse.Namespace, root: Path) -> int:
    from .translation.xliff_cli import options_from as translate_options
    from .translation.xliff_cli import run

    return run(root, translate_options(args))


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    from .site.serve import serve

    return serve(root, args.variant, args.dev_addr)


def cmd_catalogs(args: argparse.Namespace, root: Path) -> int:
    from . import catalogs

    rest = list(args.rest)
    return catalogs.main(rest if "--project" in rest else ["--project", str(root), *rest], prog="build.py catalogs")


def cmd_typography(args: argparse.Namespace, root: Path) -> int:
    from .translation import typography

    return typography.main(list(args.rest), prog="build.py typography")


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "all": cmd_build([k for k in KINDS if k.in_all]),
    **{k.name: cmd_build([k]) for k in KINDS},
    "check": cmd_check,
    "status": cmd_status,
    "mark-current": cmd_mark_current,
    "translate": cmd_translate,
    "serve": cmd_serve,
    "catalogs": cmd_catalogs,
    "typography": cmd_typography,
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
    passed = _passthrough(argv)
    if passed is not None:  # commands with their own command line: everything after the name is theirs
        args = parser.parse_args(argv[: passed + 1])
        args.rest = argv[passed + 1 :]
    else:
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
    except OSError as exc:  # the machine, not the toolkit: a full disk, a folder without permission
        err = environment_error(exc, exc.filename or root)
        if err is None:
            raise
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped. Outputs finished before the stop are whole; run the command again to finish.",
              file=sys.stderr)
        return 130


def _passthrough(argv: list[str]) -> int | None:
    """The index of a pass-through command (catalogs, typography) in ``argv``, if that is the command."""
    for i, a in enumerate(argv):
        if a in COMMANDS:
            return i if a in {"catalogs", "typography"} else None
    return None


def entry() -> None:
    """The installed `connections` command (and `python -m connections`): the project is the current folder."""
    sys.exit(main(default_root=Path.cwd()))


if __name__ == "__main__":  # pragma: no cover
    entry()
