"""Babel catalogs for template strings: extract, merge into every locale, and tell when they are stale.

``babel.cfg`` at the project root says which templates hold strings (``[jinja2: templates/**]``).
``locales/messages.pot`` is the template catalog; ``locales/<locale>/LC_MESSAGES/messages.po`` holds a
language's translations. Updating *merges*: translations, translator comments and strings no longer
used (kept as obsolete ``#~`` entries) all survive. connections.i18n compiles the .po files in memory
at build time, so there is no .mo file to keep in step.

    python -m connections.catalogs update        extract, write messages.pot, merge into every .po
    python -m connections.catalogs init iu       start a catalog for a new locale
    python -m connections.catalogs check         exit 1 when a catalog is out of date with the templates

A catalog is *out of date* when the templates have a string it lacks, or it has a string the
templates no longer use: `check` and every build then stop with an error. Untranslated and fuzzy
strings are only warnings (they print in English until translated).
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext
from babel.util import pathmatch

from . import __version__
from .errors import Problems, UserError
from .files import write_atomic
from .project import Project
from .validate import Bundle

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language the templates are written in
COMMENT_TAGS = ("TRANSLATORS:",)
HOW = "run 'python -m connections.catalogs update', then translate the new strings"
IGNORED_HEADERS = ("POT-Creation-Date", "PO-Revision-Date", "Generated-By")

Key = tuple[str, str | None]


def babel_cfg(project: Project) -> Path:
    return project.root / "babel.cfg"


def pot_path(project: Project) -> Path:
    return project.locales / f"{DOMAIN}.pot"


def po_files(project: Project) -> list[Path]:
    if not project.locales.is_dir():
        return []
    return sorted(project.locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _walk_roots(project: Project, patterns: list[str]) -> list[Path]:
    """The folders to walk: the fixed part of each pattern (never dist/ or .venv/)."""
    roots: list[Path] = []
    for pattern in patterns:
        fixed = []
        for part in pattern.split("/"):
            if any(c in part for c in "*?["):
                break
            fixed.append(part)
        root = project.root.joinpath(*fixed) if fixed else project.root
        if root not in roots:
            roots.append(root)
    return roots


def extract(project: Project, cached: bool = False) -> Catalog:
    """Every translatable string of the templates, as babel.cfg maps them.

    With ``cached`` (the rule every build runs), the result is kept in .cache/ under the hash of what it is
    read from (babel.cfg, each mapped file's path and bytes, this module and the parsers' versions): parsing
    every template is most of what a small project's check costs, and templates rarely change.
    """
    cfg = babel_cfg(project)
    try:
        with cfg.open(encoding="utf-8") as f:
            method_map, options_map = parse_mapping_cfg(f, str(cfg))
    except OSError as exc:
        raise UserError(f"{cfg.name}: cannot read it ({exc.strerror})") from None
    sources = _mapped_files(project, method_map)
    stored = _cache_path(project, cfg, sources, options_map) if cached else None
    if stored is not None and stored.is_file():
        try:
            return _parsed(stored.read_bytes(), None, False)  # read-only, as the rules use it
        except (OSError, ValueError):
            pass  # a damaged cache entry: extract again
    catalog = Catalog(project="Connections toolkit", version=__version__, fuzzy=False,
                      msgid_bugs_address="", copyright_holder="")
    for path, rel, pattern, method in sources:
        for lineno, message, comments, context in extract_from_file(
                method, path, DEFAULT_KEYWORDS, COMMENT_TAGS, options_map.get(pattern, {}),
                strip_comment_tags=True):
            catalog.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    if stored is not None:
        try:
            write_atomic(stored, _render(catalog))
        except OSError:
            pass  # a read-only project: no cache, the same answer
    return catalog


def _mapped_files(project: Project, method_map: list[tuple[str, str]]) -> list[tuple[Path, str, str, str]]:
    """(path, project-relative name, pattern, extraction method) of each file babel.cfg maps to a method."""
    out = []
    seen: set[Path] = set()
    for root in _walk_roots(project, [p for p, _ in method_map]):
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path in seen:
                continue
            seen.add(path)
            rel = path.relative_to(project.root).as_posix()
            for pattern, method in method_map:
                if pathmatch(pattern, rel):
                    if method != "ignore":
                        out.append((path, rel, pattern, method))
                    break
    return out


def _cache_path(project: Project, cfg: Path, sources: list[tuple[Path, str, str, str]], options: dict) -> Path:
    import hashlib

    import babel
    import jinja2

    h = hashlib.sha256(f"{babel.__version__} {jinja2.__version__} {__version__}".encode())
    h.update(Path(__file__).read_bytes())
    h.update(cfg.read_bytes())
    h.update(repr(sorted(options.items())).encode())
    for path, rel, pattern, method in sources:
        h.update(f"\0{rel}\0{pattern}\0{method}\0".encode())
        h.update(path.read_bytes())
    return project.cache / "catalogs" / f"templates-{h.hexdigest()[:32]}.pot"


def _key(message: Message) -> Key:
    mid = message.id if isinstance(message.id, str) else message.id[0]
    return mid, message.context


def keys(catalog: Catalog) -> dict[Key, Message]:
    return {_key(m): m for m in catalog if m.id}


def _render(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=True, ignore_obsolete=False, include_previous=False)
    return buf.getvalue()


def _meaningful(data: bytes) -> bytes:
    """A catalog's bytes without the dates Babel stamps, to tell whether anything really changed."""
    return b"\n".join(line for line in data.splitlines() if not line.startswith(
        tuple(f'"{h}:'.encode() for h in IGNORED_HEADERS)))


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if _meaningful(path.read_bytes()) == _meaningful(data):
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def read_catalog(path: Path, shared: bool = False) -> Catalog:
    """A .po file (its locale from its folder: locales/<locale>/LC_MESSAGES/) or the .pot template (no locale).

    With ``shared``, a catalog already read with the same bytes in this process is given again, not parsed
    again (every build's rules compare the catalogs with the templates): the caller must only read it.
    """
    locale = _folder_locale(path) if path.suffix == ".po" else None
    data = path.read_bytes()
    try:
        if shared:
            return _parsed(data, locale, True)
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError and others with a line number in the text
        raise UserError(f"{path}: cannot read the catalog: {exc}") from None


@lru_cache(maxsize=16)
def _parsed(data: bytes, locale: str | None, abort_invalid: bool) -> Catalog:
    """A catalog parsed from its bytes, kept for the process (read-only: see ``read_catalog``)."""
    return read_po(io.BytesIO(data), locale=locale, abort_invalid=abort_invalid)


def _folder_locale(path: Path) -> str | None:
    """The locale a catalog's folder names, when Babel knows it (plural rules come from it); else none."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(path.parent.parent.name)
    except (ValueError, UnknownLocaleError):
        return None
    return path.parent.parent.name


def update(project: Project) -> list[str]:
    """Extract, write messages.pot and merge it into every .po; return what changed, one line each."""
    template = extract(project)
    changed = []
    if _write_if_changed(pot_path(project), _render(template)):
        changed.append(f"{_rel(project, pot_path(project))}: {len(keys(template))} strings")
    for po in po_files(project):
        catalog = read_catalog(po)
        before = set(keys(catalog))
        catalog.update(template, update_creation_date=False)
        after = set(keys(catalog))
        if _write_if_changed(po, _render(catalog)):
            changed.append(f"{_rel(project, po)}: {len(after - before)} new, {len(before - after)} no longer used "
                           f"(kept as obsolete), {sum(1 for m in catalog if m.id and not m.string)} to translate")
    return changed


def init(project: Project, locale: str) -> Path:
    """Start a catalog for ``locale`` from the templates, with the locale's own plural rule."""
    try:
        loc = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise UserError(f"locale '{locale}' is not known to Babel; use one such as fr, iu or csw") from None
    path = project.locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        raise UserError(f"{_rel(project, path)}: already exists; run 'python -m connections.catalogs update' to "
                        "merge new strings into it")
    template = extract(project)
    catalog = Catalog(locale=loc, project="Connections toolkit", version=__version__, fuzzy=False)
    catalog.mime_headers = [("Plural-Forms", to_gettext(loc.plural_form).rstrip(";") + ";")]
    catalog.update(template, no_fuzzy_matching=True)
    _write_if_changed(path, _render(catalog))
    return path


def _rel(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class Staleness:
    new: list[Message]  # in the templates, not in the catalog
    unused: list[Message]  # in the catalog, not in the templates


def staleness(template: Catalog, catalog: Catalog) -> Staleness:
    t, c = keys(template), keys(catalog)
    return Staleness([t[k] for k in t if k not in c], [c[k] for k in c if k not in t])


def _examples(messages: list[Message], limit: int = 3) -> str:
    shown = []
    for m in messages[:limit]:
        where = f" ({m.locations[0][0]})" if m.locations else ""
        shown.append(f"'{_key(m)[0]}'{where}")
    return ", ".join(shown) + (", …" if len(messages) > limit else "")


def check_catalogs(bundle: Bundle, problems: Problems) -> None:
    """`check`: catalogs out of date are errors; untranslated strings and locales without a catalog warnings."""
    if check_project(bundle.project, problems):
        _warn_missing_locales(bundle, problems)


def check_project(project: Project, problems: Problems) -> bool:
    """Compare every catalog with the templates; False when the project has no babel.cfg (nothing to check)."""
    if not babel_cfg(project).is_file():
        return False
    try:
        template = extract(project, cached=True)
    except UserError as exc:
        problems.add(babel_cfg(project), 1, str(exc))
        return True
    files = ([pot_path(project)] if pot_path(project).is_file() else []) + po_files(project)
    for path in files:
        try:
            catalog = read_catalog(path, shared=True)
        except UserError as exc:
            problems.add(path, 1, str(exc).split(": ", 1)[-1])
            continue
        stale = staleness(template, catalog)
        if stale.new or stale.unused:
            parts = []
            if stale.new:
                parts.append(f"{len(stale.new)} new string{'s' * (len(stale.new) != 1)} in the templates "
                             f"({_examples(stale.new)})")
            if stale.unused:
                parts.append(f"{len(stale.unused)} string{'s' * (len(stale.unused) != 1)} no longer used "
                             f"({_examples(stale.unused)})")
            line = stale.unused[0].lineno if stale.unused and stale.unused[0].lineno else 1
            problems.add(path, line, f"out of date with the templates: {'; '.join(parts)}; {HOW}")
        if path.suffix != ".po":
            continue
        todo = [m for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string))
                                                or m.fuzzy) and _key(m) in keys(template)]
        if todo:
            problems.warn(path, todo[0].lineno or 1, f"{len(todo)} string{'s' * (len(todo) != 1)} not translated "
                          f"yet or marked fuzzy ({_examples(todo)}); they print in English until translated")
    return True


def _warn_missing_locales(bundle: Bundle, problems: Problems) -> None:
    from .i18n import catalog_path

    for v in bundle.variants:
        language = Locale.parse(v.locale).language
        if language == SOURCE_LANGUAGE or catalog_path(bundle.project.locales, v.locale):
            continue
        problems.warn(v.directory / "variant.yml", 1, f"no catalog for locale '{v.locale}': template strings "
                      f"(headings, labels) print in English; run 'python -m connections.catalogs init {language}' "
                      f"and translate locales/{language}/LC_MESSAGES/{DOMAIN}.po")


def require_current(project: Project) -> None:
    """Stop when a catalog is out of date with the templates (what `check` reports as errors). The templates'
    strings are remembered by their hash (``extract(cached=True)``), so an unchanged project answers fast."""
    problems = Problems(project.root)
    check_project(project, problems)
    problems.raise_if_errors("The translation catalogs are out of date with the templates")


def main(argv: list[str] | None = None, prog: str = "python -m connections.catalogs") -> int:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Babel catalogs for the template strings, under locales/.")
    parser.add_argument("--project", type=Path, default=Path.cwd(), metavar="DIR", help="project folder")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("update", help="extract strings, write locales/messages.pot, merge into every .po")
    p = sub.add_parser("init", help="start locales/<LOCALE>/LC_MESSAGES/messages.po for a new language")
    p.add_argument("locale", metavar="LOCALE", help="a Babel locale, e.g. iu")
    sub.add_parser("check", help="exit 1 when a catalog is out of date with the templates")
    args = parser.parse_args(argv)
    project = Project.at(args.project)
    try:
        if not babel_cfg(project).is_file():
            raise UserError(f"{babel_cfg(project)}: missing; it says which templates hold strings, e.g.\n"
                            "[jinja2: templates/**]\nextensions = jinja2.ext.i18n")
        if args.command == "update":
            changed = update(project)
            print("\n".join(changed) if changed else "catalogs: already up to date with the templates.")
        elif args.command == "init":
            path = init(project, args.locale)
            print(f"{_rel(project, path)}: created; translate each msgstr, then run 'python build.py check'.")
        else:
            require_current(project)
            print("catalogs: up to date with the templates.")
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
