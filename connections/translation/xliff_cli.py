"""`build.py translate export|import|glossary`: the commands a translator with a CAT tool runs.

cli.py adds the ``translate`` subparser with :func:`add_arguments` and calls :func:`run`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError

HELP = "exchange translations with a CAT tool: XLIFF export and import, glossary as TBX and CSV"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The export / import / glossary actions under `build.py translate`."""
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = actions.add_parser("export", help="write an XLIFF 1.2 file of what a variant needs translated",
                           description="Write an XLIFF 1.2 file for a CAT tool: by default only the sections that "
                                       "are missing or out of date; --all for every unit.")
    e.add_argument("variant", metavar="VARIANT", help="the translated variant, e.g. fr")
    e.add_argument("--all", action="store_true", help="every unit, also the current ones (state final)")
    e.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write it (default: translations/<variant>.xlf)")
    e.add_argument("--include-catalog", action="store_true",
                   help="also write the untranslated template strings of the variant's Babel catalog as a PO file "
                        "next to the XLIFF")
    i = actions.add_parser("import", help="write a translated XLIFF file back into content/<variant>/",
                           description="Write the translations of an XLIFF file into content/<variant>/, check "
                                       "them, and mark sections whose units are all translated or final as current.")
    i.add_argument("file", type=Path, metavar="FILE", help="the .xlf file your CAT tool saved")
    g = actions.add_parser("glossary", help="write glossary.yml as TBX and CSV for a CAT tool's termbase")
    g.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder (default: translations/)")


@dataclass(frozen=True)
class TranslateOptions:
    """`build.py translate ACTION`, with every path resolved at the command line."""

    action: str  # export | import | glossary
    variant: str | None = None  # export
    all: bool = False  # export: every unit, not only what needs work
    out: Path | None = None  # export: the .xlf file; glossary: the folder
    include_catalog: bool = False  # export
    file: Path | None = None  # import


def options_from(args: argparse.Namespace) -> TranslateOptions:
    """The typed options of the parsed command line (called by cli.py only)."""
    def resolved(p: Path | None) -> Path | None:
        return None if p is None else (p if p.is_absolute() else Path.cwd() / p).resolve()

    return TranslateOptions(args.action, getattr(args, "variant", None), getattr(args, "all", False),
                            resolved(getattr(args, "out", None)), getattr(args, "include_catalog", False),
                            resolved(getattr(args, "file", None)))


def run(root: Path, args: TranslateOptions) -> int:
    """Dispatch `build.py translate ACTION`; a user's mistake raises UserError (exit 1)."""
    if args.action == "export":
        return export(root, args)
    if args.action == "import" and args.file is not None:
        from .xliff_import import import_file

        return import_file(root, args.file)
    if args.action == "glossary":
        from .tbx import export_glossary

        return export_glossary(root, args.out)
    raise UserError(f"translate: unknown action '{args.action}'; expected export, import or glossary")


def export(root: Path, args: TranslateOptions) -> int:
    from .commands import _load, _translated
    from .xliff_export import build, write

    bundle, problems = _load(root)
    vid = args.variant or ""
    _translated(bundle, vid)
    dirs = (f"content/{vid}/", f"content/{bundle.variant(vid).source}/")
    bad = [p for p in problems.errors if p.path.startswith(dirs) and (bundle.project.root / p.path).is_file()]
    # a missing translated file is not in the way: exporting it is how it gets translated
    if bad:
        raise UserError("\n".join(map(str, bad)) + "\ntranslate export: fix the errors above first "
                        "(run 'python build.py check'); nothing was written")
    out = (args.out or bundle.project.root / "translations" / f"{vid}.xlf").resolve()
    xf, counts = build(bundle, vid, args.all)
    write(xf, out)
    states = ", ".join(f"{n} {s}" for s, n in sorted(counts.by_state.items())) or "nothing needs work"
    print(f"{out}: {counts.units} unit{'s' * (counts.units != 1)} ({states}); "
          f"{counts.words} English word{'s' * (counts.words != 1)} to translate or review.")
    if args.include_catalog:
        from .catalog_export import export_untranslated

        export_untranslated(bundle, vid, out.with_suffix(".po"))
    if counts.units:
        print(f"Open it in your CAT tool, translate, set finished units to translated or final, then: "
              f"python build.py translate import {out.name}")
    return 0
