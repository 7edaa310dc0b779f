"""Every element and every URL a content file puts on a page, read from the HTML its Markdown becomes.

Why one extractor: the safety rules, the site (which copies linked files), the PDFs and the dependency
tracking must agree on what a content file refers to. Reading Markdown line by line misses a tag split
over two lines, a reference-style link (``[lake]: images/lake.png``), a URL hidden by an entity or an
attribute added with ``{: …}``; rendering the Markdown as the site and the PDFs do, then parsing the HTML,
sees what a browser sees. Each element gets the line of the ``.md`` file where its tag starts (found back
in the source text, since Markdown keeps no source positions).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import yaml

from .sanitize import TAGS, normalized_url

# The site's extensions (mkdocs.yml) and the PDFs' (markdown_render.py) together: whatever either renderer
# turns into HTML is seen here.
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition", "def_list", "sane_lists",
              "pymdownx.details", "pymdownx.superfences"]
# Attributes holding a URL; the first group loads when the page opens, the others when the reader clicks.
LOADING_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "xlink:href", "lowsrc", "dynsrc",
                           "manifest", "codebase", "longdesc", "archive", "icon"})
URL_ATTRS = LOADING_ATTRS | {"href", "action", "formaction", "cite", "ping", "usemap", "profile"}
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))\s*\)", re.I)
_CSS_IMAGE_SET = re.compile(r"image-set\(([^)]*)\)", re.I)
_CSS_STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_REFDEF = re.compile(r"^ {0,3}\[([^\[\]]+)\]:")
_FRONT = re.compile(r"^\ufeff?---[ \t]*$")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class Element:
    """A start tag of the rendered HTML, with the line of the content file where it comes from."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True)
class Reference:
    """A URL the content puts on a page: ``tag`` is the element ('definition' for ``[label]: url``),
    ``attr`` the attribute ('style' for a CSS ``url()`` or ``image-set()``), ``loads`` true when a browser
    fetches it as the page opens rather than when the reader clicks."""

    url: str
    line: int
    tag: str
    attr: str
    loads: bool


@dataclass(frozen=True)
class Parsed:
    elements: tuple[Element, ...]
    references: tuple[Reference, ...]
    body_line: int = 1  # the first line after the front matter: references above it are the front matter's


def decode_css(css: str) -> str:
    """CSS as the browser reads it: comments dropped, escapes (``u\\72l``) decoded."""
    def unescape(m: re.Match) -> str:
        if m[1]:
            code = int(m[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return m[2] if m[2] != "\n" else ""
    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS would fetch: ``url(…)`` and the strings of ``image-set(…)``."""
    text = decode_css(css)
    out = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
    for m in _CSS_IMAGE_SET.finditer(text):
        out += [a if a is not None else b for a, b in _CSS_STRING.findall(m[1])]
    return out


def split_srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


class _Tags(HTMLParser):
    """Start tags with their attributes and the line where each begins."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}, self.getpos()[0]))

    handle_startendtag = handle_starttag


def _tags(text: str) -> list[tuple[str, dict[str, str], int]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


class _Locator:
    """Finds the source line of an element of the rendered HTML.

    Raw HTML keeps its tags, so they are matched first (a tag split over lines gets its first line); a
    Markdown link or image is found by its URL, a ``{: attr}`` by the attribute's name.
    """

    def __init__(self, text: str, first: int, defined: dict[str, str]) -> None:
        self.defined = defined  # url -> label of a reference definition
        self.lines = text.splitlines()
        self.source: dict[str, list[tuple[int, dict[str, str], int]]] = {}  # tag -> (index, attrs, line)
        for i, (tag, attrs, line) in enumerate(_tags(text)):
            if line >= first:
                self.source.setdefault(tag, []).append((i, attrs, line))
        self.used: set[tuple[int, str]] = set()
        self.cursor = first
        self.first = first
        self.definitions: dict[str, int] = {}
        for number, text in enumerate(self.lines, 1):
            if number >= first and (m := _REFDEF.match(text)):
                self.definitions.setdefault(" ".join(m[1].lower().split()), number)

    def _search(self, needle: str) -> int | None:
        if not needle:
            return None
        n = len(self.lines)
        order = [*range(self.cursor, n + 1), *range(self.first, self.cursor)]
        for i in order:
            line = self.lines[i - 1]
            if needle in line or ("&" in line and needle in html.unescape(line)):
                return i
        return None

    def line(self, tag: str, attrs: dict[str, str], key: str) -> int:
        """The line of ``tag``; ``key`` names the attribute the caller cares about ('' for the tag)."""
        found = None
        for i, sattrs, sline in self.source.get(tag, ()):
            if (i, key) in self.used:
                continue
            if key and sattrs.get(key) != attrs.get(key):
                continue
            if not key and any(sattrs.get(k) != v for k, v in attrs.items() if k in sattrs):
                continue
            self.used.add((i, key))
            found = sline
            break
        if found is None and key and attrs.get(key) in self.defined:
            return self.definition(self.defined[attrs[key]])  # the cursor stays: definitions come last
        if found is None and key:
            value = attrs.get(key, "")
            found = self._search(value) or self._search(value.strip()) or self._search(f"{key}=")
        if found is None:
            found = self._search(f"<{tag}")
        self.cursor = found or self.cursor
        return self.cursor

    def definition(self, label: str) -> int:
        return self.definitions.get(label, self.first)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


_md = _converter()


def render(text: str) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """Markdown to HTML as the site and the PDFs read it, and its reference definitions (label → url, title)."""
    _md.reset()
    out = _md.convert(text)
    return out, dict(_md.references)


def _split_front(text: str) -> tuple[list[tuple[str, int]], str, int]:
    """The front matter's text values with their lines, and the body with the front matter blanked out
    (so line numbers stay the file's); the first body line."""
    lines = text.splitlines()
    if not lines or not _FRONT.match(lines[0]):
        return [], text, 1
    end = next((i for i in range(1, len(lines)) if _FRONT_END.match(lines[i])), None)
    if end is None:
        return [], text, 1
    values: list[tuple[str, int]] = []
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        node = None  # reported by the front matter's own check
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.ScalarNode):
            if any(c in n.value for c in "<[&:{\\"):
                values.append((n.value, n.start_mark.line + 2))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(v for _, v in n.value)
    blanked = "\n" * (end + 1) + "\n".join(lines[end + 1:])
    return sorted(values, key=lambda v: v[1]), blanked, end + 2


def _elements(rendered: str, locator: _Locator) -> list[Element]:
    """Every start tag; those that matter to a rule (a URL, a handler, a style, a tag the sanitizer drops)
    get their source line, the others 0."""
    out = []
    for tag, attrs, _ in _tags(rendered):
        key = next((k for k in attrs if k in URL_ATTRS), None) or next(
            (k for k in attrs if k.startswith("on") or k == "style"), "")
        needed = bool(key) or tag not in TAGS
        out.append(Element(tag, tuple(attrs.items()), locator.line(tag, attrs, key) if needed else 0))
    return out


def _references(elements: list[Element]) -> list[Reference]:
    out = []
    for el in elements:
        for name, value in el.attrs:
            if name == "style":
                out += [Reference(u, el.line, el.tag, name, True) for u in css_urls(value)]
            elif name == "srcset":
                out += [Reference(u, el.line, el.tag, name, True) for u in split_srcset(value)]
            elif name in URL_ATTRS:
                out.append(Reference(value, el.line, el.tag, name, name in LOADING_ATTRS))
    return out


@lru_cache(maxsize=512)
def parse(text: str) -> Parsed:
    """The elements and references of a content file's text (front matter and body)."""
    front, body, first = _split_front(text)
    elements: list[Element] = []
    for value, line in front:
        # As Markdown (a key message on a page) and as HTML (a title put raw into the site's navigation).
        html_out, _ = render(value)
        seen = set()
        for tag, attrs, _ in _tags(html_out) + _tags(value):
            el = Element(tag, tuple(attrs.items()), line)
            if el not in seen and (tag != "p" or attrs):
                seen.add(el)
                elements.append(el)
    rendered, definitions = render(body)
    locator = _Locator(body, first, {url: label for label, (url, _t) in definitions.items()})
    elements += _elements(rendered, locator)
    references = _references(elements)
    references += [Reference(url, locator.definition(label), "definition", "", False)
                   for label, (url, _title) in definitions.items()]
    references.sort(key=lambda r: r.line)
    return Parsed(tuple(elements), tuple(references), first)


def resolve(url: str, source_file: Path, root: Path) -> Path | None:
    """The project file a relative URL points at (resolved, maybe missing), or None for a fragment, a URL
    with a scheme, a network path or an empty path."""
    plain = normalized_url(url)
    parts = urlsplit(plain)
    if plain.startswith("#") or parts.scheme or plain.startswith("//"):
        return None
    rel = unquote(parts.path)
    if not rel or "\x00" in rel:
        return None
    try:
        target = (root / rel.lstrip("/")) if rel.startswith("/") else (source_file.parent / rel)
        return target.resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def local_files(markdown_path: Path, root: Path, front_matter_only: bool = False) -> list[Path]:
    """Files inside the project that a content file shows or links to — inline, reference-style or HTML —
    other than content pages: their bytes change the outputs showing the file. Sorted, each once. With
    ``front_matter_only``, only those its front matter links to (what an output printing only those fields shows)."""
    root = root.resolve()
    out: set[Path] = set()
    try:
        parsed = parse(markdown_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []  # an unreadable file is reported by the loader
    for ref in parsed.references:
        if front_matter_only and ref.line >= parsed.body_line:
            continue
        target = resolve(ref.url, markdown_path, root)
        try:
            if target is not None and target.suffix != ".md" and target.is_relative_to(root) and target.is_file():
                out.add(target)
        except OSError:
            continue  # a name too long for the system: reported by check
    return sorted(out)
