"""Markdown → HTML for the PDFs: one place that decides which Markdown a content author may use in print.

Why a module of its own: handouts, the manual and any later print product must turn content sections
into the same HTML (admonitions, tables, agency placeholders, French spacing), with heading levels and
ids that fit the document they are placed in, and with links that never point outside that document.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urlsplit

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .safety import fill_placeholders
from .sanitize import sanitize

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "def_list", "sane_lists", "toc", "smarty"]
HEADINGS = {f"h{i}" for i in range(1, 7)}
SHORT_LIST = (8, 600)  # items, characters: a list this short is kept on one page

# Typographic quotes per language; French uses guillemets with no-break spaces inside.
QUOTES = {
    "fr": {"left-double-quote": "«&#160;", "right-double-quote": "&#160;»",
           "left-single-quote": "‘", "right-single-quote": "’"},
}

# Link rewriting: given a link target from content, return the href to print, or None to print plain text.
LinkMap = Callable[[str], str | None]


class _Adjust(Treeprocessor):
    """Shift heading levels, rewrite links that would leave the document, mark short lists to keep whole."""

    def __init__(self, md: markdown.Markdown, shift: int, link: LinkMap | None) -> None:
        super().__init__(md)
        self.shift = shift
        self.link = link

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in HEADINGS and self.shift:
                el.tag = f"h{min(6, max(1, int(el.tag[1]) + self.shift))}"
            elif el.tag in {"ul", "ol"} and _is_short(el):
                el.set("class", (el.get("class", "") + " keep").strip())
            elif el.tag == "a" and el.get("href") is not None:
                href = el.get("href", "")
                new = _default_link(href) if self.link is None else self.link(href)
                if new is None:
                    el.tag = "span"
                    el.attrib.pop("href", None)
                    el.attrib.pop("title", None)
                else:
                    el.set("href", new)


def _is_short(el: ET.Element) -> bool:
    items, chars = SHORT_LIST
    return len(el) <= items and len("".join(el.itertext())) <= chars


def _default_link(href: str) -> str | None:
    """Keep in-document anchors, mail and phone links; print anything else as plain text."""
    scheme = urlsplit(href).scheme.lower()
    if href.startswith("#") or scheme in {"mailto", "tel"}:
        return href
    return None


_converters: dict[str, tuple[markdown.Markdown, _Adjust, list[str]]] = {}


def _md(lang: str, shift: int, id_prefix: str, link: LinkMap | None) -> markdown.Markdown:
    """One Markdown converter per language, reset and re-aimed for each call (building one costs ~1 ms)."""
    if lang not in _converters:
        prefix = [""]

        def slug(value: str, separator: str) -> str:
            return prefix[0] + slugify_unicode(value, separator)

        config = {"toc": {"slugify": slug}, "smarty": {"substitutions": QUOTES.get(lang, {})}}
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=config, output_format="html")
        adjust = _Adjust(md, 0, None)
        md.treeprocessors.register(adjust, "connections-adjust", 1)
        _converters[lang] = (md, adjust, prefix)
    md, adjust, prefix = _converters[lang]
    md.reset()
    adjust.shift, adjust.link, prefix[0] = shift, link, id_prefix
    return md


_FR_BEFORE = re.compile(r" ([:;!?»])")
_FR_AFTER = re.compile(r"« ")
_TEXT = re.compile(r"(<[^>]*>)")


def french_spacing(fragment: str) -> str:
    """Make the spaces of French punctuation unbreakable (outside tags), so ':' or '»' never starts a line."""
    parts = _TEXT.split(fragment)
    for i, part in enumerate(parts):
        if part and not part.startswith("<"):
            part = _FR_BEFORE.sub(lambda m: ("\u00a0" if m[1] in ":»" else "\u202f") + m[1], part)
            parts[i] = _FR_AFTER.sub("«\u00a0", part)
    return "".join(parts)


def render_markdown(text: str, *, placeholders: dict[str, str] | None = None, lang: str = "en",
                    heading_shift: int = 0, id_prefix: str = "", link: LinkMap | None = None) -> Markup:
    """Content Markdown to safe HTML for a print template (through the allow-list sanitizer).

    ``[[agency.*]]`` placeholders are filled first (their values HTML-escaped, so an agency name cannot
    inject markup); ``heading_shift`` moves ``###`` to the level the document needs; ``id_prefix`` keeps
    heading ids unique when many sections share one PDF; ``link`` maps content link targets.
    """
    values = {k: html.escape(v, quote=False) for k, v in (placeholders or {}).items()}
    source = fill_placeholders(text, values)
    # Safe even if check was skipped; the no-break spaces stay characters, as Markdown wrote them.
    out = sanitize(_md(lang, heading_shift, id_prefix, link).convert(source)).replace("&nbsp;", "\u00a0")
    if lang.split("-")[0] == "fr":
        out = french_spacing(out)
    return Markup(out)


def render_inline(text: str, *, placeholders: dict[str, str] | None = None, lang: str = "en") -> Markup:
    """One line of Markdown (a key message, an objective) without the surrounding paragraph."""
    out = str(render_markdown(text, placeholders=placeholders, lang=lang)).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)
