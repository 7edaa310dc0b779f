"""mkdocs hooks of every generated site: each page's HTML goes through the content sanitizer.

Why here: the pages are Markdown made from content, and mkdocs turns them into HTML; sanitizing the
HTML mkdocs made (not the Markdown) keeps a file that bypassed `check` from running script or loading
anything in the site, whatever Markdown or raw HTML it held. The theme's own markup and scripts are
added after this hook and are not touched.
"""

from __future__ import annotations

from pathlib import Path

from connections.sanitize import sanitize  # absolute: mkdocs loads this file as a module of its own

HOOKS_FILE = Path(__file__)


def on_page_content(html: str, page, config, files) -> str:  # noqa: ARG001 (mkdocs's signature)
    return sanitize(html)
