"""The allow-list sanitizer every piece of content HTML passes through before a page or a PDF shows it.

Why: `check` refuses dangerous content with `path:line`, but the site and the PDFs must stay safe even
for content that never went through `check` (a build run on a copy, a bug in a rule): whatever the
Markdown held, what reaches a browser keeps only plain formatting — no script, no event handler, no
style that could fetch, no URL that loads anything from another host or runs script when clicked.
nh3 (Rust's ammonia) does the parsing and the allow-list; this module only says what is allowed.
"""

from __future__ import annotations

import re

import nh3

# The markup Markdown, its extensions (tables, admonitions, details, attr_list, code blocks) and the site
# page templates produce; anything else is dropped (its text kept).
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Dropped with everything inside them (their text would make no sense on the page).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "title", "xmp", "iframe",
                                  "object", "embed", "svg", "math", "select", "frameset", "noembed", "noframes"})
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "role"},
    "a": {"href", "type", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type", "reversed"}, "li": {"value"},
    "details": {"open"}, "time": {"datetime"},
}
# A site page also holds the toolkit's own template markup around the content: the start-time picker (an
# inert form: no action, no method, only time fields, checkboxes and plain buttons), the session view's
# sections and the data-* and aria-* attributes its script reads. Content may not use these (`check`
# refuses forms and inputs in content); on a page they carry no script and load nothing.
PAGE_TAGS = TAGS | {"form", "label", "input", "button", "section"}
PAGE_ATTRIBUTES = {
    **ATTRIBUTES,
    "*": ATTRIBUTES["*"] | {"hidden"},
    "label": {"for"},
    "input": {"type", "name", "value", "step", "required", "checked", "min", "max"},
    "button": {"type"},
}
PAGE_INPUT_TYPES = {"time", "checkbox"}
# Table cells keep the alignment Markdown tables write as style="text-align: …"; no other property.
STYLE_PROPERTIES = {"text-align"}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}  # for links clicked by the reader, never for what loads
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def normalized_url(value: str) -> str:
    """A URL as a browser reads it: surrounding blanks and controls gone, tabs and newlines removed,
    backslashes as slashes (browsers read ``\\\\host`` as ``//host``)."""
    return _CONTROL.sub("", value.strip()).replace("\\", "/")


def url_scheme(value: str) -> str:
    """The scheme of a URL as a browser would see it ('' for a relative path or a fragment)."""
    m = _SCHEME.match(normalized_url(value))
    return m[1].lower() if m else ""


def is_remote(value: str) -> bool:
    """A URL that leaves the page's own folder: any scheme, or a network path (``//host/…``)."""
    url = normalized_url(value)
    return bool(url_scheme(url)) or url.startswith("//")


def _attribute(tag: str, attr: str, value: str) -> str | None:
    """Keep loaded URLs (img src) relative to the page; keep clicked links to the reader's own schemes."""
    if tag == "input" and attr == "type":
        return value if value.lower() in PAGE_INPUT_TYPES else None
    if tag == "button" and attr == "type":
        return "button"  # never a form submission
    if attr == "src":
        return None if is_remote(value) else value
    if attr == "href":
        url = normalized_url(value)
        if url.startswith("//"):
            return None
        scheme = url_scheme(url)
        return value if not scheme or scheme in LINK_SCHEMES else None
    return value


def sanitize(html: str, page: bool = False) -> str:
    """Content HTML with only the allowed markup: safe to put in a site page or a PDF. ``page``: a whole site
    page's content, which also holds the templates' own controls (see PAGE_TAGS)."""
    tags, attributes = (PAGE_TAGS, PAGE_ATTRIBUTES) if page else (TAGS, ATTRIBUTES)
    return nh3.clean(html, tags=set(tags), clean_content_tags=set(DROPPED_WITH_CONTENT),
                     attributes={k: set(v) for k, v in attributes.items()}, attribute_filter=_attribute,
                     strip_comments=True, link_rel=None, url_schemes=set(LINK_SCHEMES),
                     filter_style_properties=set(STYLE_PROPERTIES),
                     generic_attribute_prefixes={"data-cx-", "aria-"} if page else None)
