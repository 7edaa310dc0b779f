"""What handouts and the manual share: their inputs, Jinja2 environment, help lines and print helpers.

Why one module: both products must list the same shared inputs (templates, fonts, catalogs, agency)
so incremental builds are right, and must print help lines and page labels the same way.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import references
from ..i18n import make_env
from ..loader import national_lines_for
from ..model import Agency, HelpLine, Variant
from ..project import Project

PDF_TEMPLATES = "pdf"  # templates/pdf/ under the project
FONTS_CSS = "fonts.css"
BASE_CSS = "base.css"
LARGE_CSS = "large-print.css"

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")


def files_under(folder: Path, skip_suffixes: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix not in skip_suffixes
                  and (not only or p.suffix.lower() in only) and "__pycache__" not in p.parts)


def shared_inputs(project: Project, agency: Agency | None, help_lines: bool = True) -> list[Path]:
    """Files every print output depends on: print templates and CSS, fonts, catalogs, agency and logo.

    ``help_lines=False``: a document that prints no help line leaves agency.yml out; it takes
    ``agency_settings`` as its target's settings instead, so updating a help line does not rebuild it.
    """
    out = files_under(project.templates / PDF_TEMPLATES)
    out += files_under(project.fonts, only=FONT_SUFFIXES)  # not the licence or README
    out += files_under(project.locales, skip_suffixes=(".pot",))
    if help_lines:
        out.append(project.agency_yml)
    if agency is not None and agency.logo is not None:
        out.append(agency.logo)
    return out


def local_files(markdown_path: Path, root: Path) -> list[Path]:
    """Images and files a content file links to inside the project: their bytes change the PDF too."""
    return references.local_files(markdown_path, root)


def module_inputs(modules: list, variant: Variant, root: Path) -> list[Path]:
    """A print output's own content inputs: its module files, what they link to, and the variant's variant.yml."""
    out = [variant.directory / "variant.yml"]
    for m in modules:
        out += [m.path, *local_files(m.path, root)]
    return out


def stylesheets(project: Project, *names: str, large_print: bool = False) -> list[Path]:
    """fonts.css and the shared base first, then the product's own, then large print on top."""
    folder = project.templates / PDF_TEMPLATES
    out = [folder / FONTS_CSS, folder / BASE_CSS, *(folder / n for n in names)]
    if large_print:
        out.append(folder / LARGE_CSS)
    return out


def css_string(text: str) -> Markup:
    """A CSS string literal, safe inside a <style> element (no quote, backslash or '</' can escape it)."""
    s = text.unescape() if isinstance(text, Markup) else str(text)
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return Markup(f'"{s}"')


def css_counters(text: str) -> Markup:
    """'Page {page} of {pages}' → "Page " counter(page) " of " counter(pages), for @page margin boxes."""
    plain = text.unescape() if isinstance(text, Markup) else str(text)
    parts = re.split(r"\{(page|pages)\}", plain)
    tokens = [f"counter({p})" if i % 2 else str(css_string(p)) for i, p in enumerate(parts) if p]
    return Markup(" ".join(tokens))


_NOBREAK = (re.compile(r"(\d+)\s+(h|j|jours?)\s+(sur)\s+(\d+)"),  # 24 h sur 24, 7 jours sur 7
            re.compile(r"(\d+)\s+(hours?|days?)\s+(a|per)\s+(day|week)\b"),  # 24 hours a day, 7 days a week
            re.compile(r"(\d+)\s+(h)\s+(à|to)\s+(\d+)\s+(h)\b"),  # de 9 h à 17 h
            re.compile(r"(\d+)\s+(h|j|hours?|days?|jours?|heures?)\b"))  # 9 h, 7 days


def nobreak(text: str) -> Markup:
    """Hours that must not break across lines ("24 h sur 24", "7 days"): their spaces become no-break spaces."""
    s = str(text if isinstance(text, Markup) else Markup.escape(text))
    for pattern in _NOBREAK:
        s = pattern.sub(lambda m: "\u00a0".join(m.groups()), s)
    return Markup(s)


@lru_cache(maxsize=16)
def _env(templates: Path, locales: Path, locale: str, stamp: tuple) -> jinja2.Environment:
    env = make_env(templates, locales, locale)
    env.filters["css_string"] = css_string
    env.filters["css_counters"] = css_counters
    env.filters["nobreak"] = nobreak
    return env


def environment(project: Project, variant: Variant) -> jinja2.Environment:
    """The Jinja2 environment for a variant's locale, kept per worker while its catalogs are unchanged."""
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files_under(project.locales))
    return _env(project.templates, project.locales, variant.locale, stamp)


def ui_lang(project: Project, variant: Variant) -> str:
    """The language of the toolkit's own words on the page: the variant's, or English without a catalog."""
    from ..i18n import catalog_path

    if variant.locale.split("_")[0] == "en" or catalog_path(project.locales, variant.locale):
        return variant.lang
    return "en"


def document_lang(variant: Variant) -> str:
    """The document's language tag with its region from variant.yml's locale (fr_CA → fr-CA), so that a reader
    or a screen reader uses Canadian French; the bare language when the locale is another language's."""
    language, _, region = variant.locale.partition("_")
    return f"{variant.lang}-{region}" if region and language == variant.lang else variant.lang


def help_lines(agency: Agency | None, variant: Variant, discreet: bool) -> tuple[list[HelpLine], list[HelpLine]]:
    """Local lines from agency.yml, then the variant's national lines and the agency's emergency number.

    A discreet handout keeps only local lines marked ``discreet_ok``, and only national lines whose name
    (or neutral ``discreet_name``) carries no word of data/discreet_words.yml; an audience with such a
    word is left off.
    """
    if agency is None:
        return [], []
    local = [hl.localized(variant.lang) for hl in agency.help_lines if hl.discreet_ok or not discreet]
    national = national_lines_for(variant) if agency.national_lines else []
    national.append(agency.emergency.localized(variant.lang))
    if discreet:
        national = discreet_lines(national, variant.lang)
    return local, national


def discreet_lines(lines: list[HelpLine], lang: str) -> list[HelpLine]:
    """The lines safe on a discreet handout in ``lang``, named neutrally, audiences with flagged words dropped."""
    from ..discreet import word_lists

    lists = word_lists()
    words = lists.get(lang.replace("_", "-").split("-")[0].lower()) or lists.get("en")
    if words is None:
        return lines
    out = []
    for line in lines:
        name = line.name if not words.find(line.name) else line.discreet_name
        if line.id == "emergency" and name != line.name:
            name = ""  # the agency's label names the police: printed as "Emergency", the number always kept
        elif (line.name and not name) or words.find(name):
            continue
        out.append(dataclasses.replace(line, name=name, audience="" if words.find(line.audience) else line.audience))
    return out


HELP_LINE_SETTINGS = ("help_lines", "show_national_lines")  # the agency.yml keys only help-line boxes show


def agency_settings(project: Project) -> tuple[str, ...]:
    """agency.yml's settings but its help lines, as stable text (see ``shared_inputs``)."""
    import json

    from ..yamlfile import YamlSyntaxError, load_yaml

    try:
        data = load_yaml(project.agency_yml.read_text(encoding="utf-8-sig")).data
    except (OSError, UnicodeError, YamlSyntaxError) as exc:  # `check` reports it; the whole file decides then
        return (f"unreadable: {type(exc).__name__}",)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in HELP_LINE_SETTINGS}
    return (json.dumps(data, sort_keys=True, default=str, ensure_ascii=False),)
