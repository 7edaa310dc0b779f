"""mkdocs hooks of every generated site: content reaches the theme only as sanitized HTML or plain text.

Why here: the pages are Markdown made from content, and mkdocs turns them into HTML; sanitizing the
HTML mkdocs made (not the Markdown) keeps a file that bypassed `check` from running script or loading
anything, whatever Markdown or raw HTML it held. Titles and descriptions from content (a week's title,
the program's subtitle, a variant's label) are put into the theme's templates unescaped, in text and in
double-quoted attributes, so they become text: no tag and no quote survives. The theme's own markup and
scripts are added after these hooks and are not touched.
"""

from __future__ import annotations

from pathlib import Path

from connections.sanitize import sanitize  # absolute: mkdocs loads this file as a module of its own
from connections.templatecache import COMPILED

HOOKS_FILE = Path(__file__)


def text_only(value):
    """A title as text in HTML: no tag, no way out of a double-quoted attribute; '&' and "'" are kept, so
    applying it twice changes nothing and a title without '<', '>' or '"' is unchanged."""
    if not isinstance(value, str):
        return value
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def on_config(config):
    for key in ("site_name", "site_description"):
        if config.get(key):
            config[key] = text_only(config[key])
    for alt in (config.get("extra") or {}).get("alternate") or []:
        if isinstance(alt, dict) and "name" in alt:
            alt["name"] = text_only(alt["name"])
    return config


def on_env(env, config, files):  # noqa: ARG001 (mkdocs's signature)
    env.bytecode_cache = COMPILED  # the theme compiled once, not at every build (templatecache.py)
    return env


def on_nav(nav, config, files):  # noqa: ARG001 (mkdocs's signature)
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if getattr(item, "title", None):
            item.title = text_only(item.title)
        stack.extend(getattr(item, "children", None) or [])
    return nav


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001 (mkdocs's signature)
    if "title" in page.meta:
        page.meta["title"] = text_only(page.meta["title"])
    return markdown


def on_page_content(html: str, page, config, files) -> str:  # noqa: ARG001 (mkdocs's signature)
    if page.title:
        page.title = text_only(page.title)
    return sanitize(html, page=True)
