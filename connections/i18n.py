"""Template strings and dates through Babel: one Jinja2 environment per locale, catalogs read from locales/."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
_FIRST_DAY = re.compile(r"(?<!\d)1(?= \D)")


def format_date(d: dt.date, format: str = "long", locale: str = "en_CA") -> str:
    """Babel's date, with French's ordinal first of the month ("1er octobre"), which CLDR leaves out."""
    text = babel_format_date(d, format=format, locale=locale)
    if d.day == 1 and Locale.parse(locale).language == "fr":
        text = _FIRST_DAY.sub("1er", text, count=1)
    return text


def catalog_path(locales: Path, locale: str) -> Path | None:
    """The .po file for ``locale`` (fr_CA falls back to fr), or None."""
    loc = Locale.parse(locale)
    for name in (str(loc), loc.language):
        p = locales / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=16)
def _translations(po: Path | None, mtime: float) -> NullTranslations:
    if po is None:
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)  # fuzzy entries are not trusted, as `pybabel compile` does
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def translations(locales: Path, locale: str) -> NullTranslations:
    po = catalog_path(locales, locale)
    return _translations(po, po.stat().st_mtime if po else 0.0)


def make_env(templates: Path, locales: Path, locale: str) -> jinja2.Environment:
    """A sandboxed, autoescaping Jinja2 environment with gettext and Babel date filters for ``locale``."""
    from jinja2.sandbox import SandboxedEnvironment

    from .templatecache import OWN_TEMPLATES

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml", "j2"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=OWN_TEMPLATES,  # compiled once per process, checked against each template's source
    )
    env.install_gettext_translations(translations(locales, locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda d, fmt="long": format_date(d, format=fmt, locale=locale)
    env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, format=fmt, locale=locale)
    env.filters["time"] = lambda t, fmt="short": format_time(t, format=fmt, locale=locale)
    env.globals["locale"] = locale
    return env


def long_date(d: dt.date, locale: str) -> str:
    """'Tuesday, March 2, 2027' / 'mardi 2 mars 2027', as the locale writes it."""
    return format_date(d, format="full", locale=locale)
