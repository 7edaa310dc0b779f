"""The Jinja2 environment for site pages: the project's catalogs (locales/), shared by every output."""

from __future__ import annotations

from pathlib import Path

import jinja2
from babel import Locale

from ..i18n import make_env

SITE_TEMPLATES = "site"  # templates/site/


def site_env(templates: Path, locales: Path, locale: str) -> jinja2.Environment:
    """A sandboxed Jinja2 environment over templates/site/ with Babel filters and the merged catalogs."""
    env = make_env(templates / SITE_TEMPLATES, locales, locale)
    # French typography puts a no-break space before a colon (Canadian usage: only before the colon).
    env.globals["colon"] = "\u00a0:" if Locale.parse(locale).language == "fr" else ":"
    env.filters["cell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    return env
