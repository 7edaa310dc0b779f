"""Split Markdown into translatable segments and the skeleton around them, and put them back.

A CAT tool should see only words: ``- **Room.** Set chairs`` becomes the segment ``Room. Set chairs``
with the bold as an inline code, and the list marker stays in the skeleton. Joining the skeleton and
the segments gives the section back, so a translation can be written in the place of each segment
without touching ids, headings markers, list markers, admonitions or tables.

Inline markup is a tree of codes: ``Pair`` (emphasis, links: an opening and a closing code around
words the translator translates) and ``Code`` (placeholders such as ``[[agency.name]]``, ``{#ids}``,
inline code, HTML, images: nothing to translate). Codes are numbered 1, 2, 3... per segment, so the
XLIFF carries only ids and the Markdown they stand for is always taken from the English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FENCE_RE = re.compile(r"^\s*(```|~~~)")
HEADING_RE = re.compile(r"^(?P<pre>\s*#{2,6}[ \t]+)(?P<text>.*?)(?P<post>(?:[ \t]*\{[^}\n]*\})?[ \t]*)$")
ADMONITION_RE = re.compile(r'^(?P<pre>\s*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+")(?P<text>.*)'
                           r'(?P<post>"[ \t]*)$')
ADMONITION_BARE_RE = re.compile(r"^\s*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+[ \t]*$")
LIST_RE = re.compile(r"^(?P<pre>\s*(?:[-*+]|\d+[.)])[ \t]+)(?P<text>\S.*?)(?P<post>[ \t]*)$")
QUOTE_RE = re.compile(r"^(?P<pre>\s*>[ \t]?)(?P<text>.*?)(?P<post>[ \t]*)$")
TABLE_RE = re.compile(r"^\s*\|")
TABLE_RULE_RE = re.compile(r"^[\s|:\-]+$")
PARA_RE = re.compile(r"^(?P<pre>\s*)(?P<text>\S.*?)(?P<post>[ \t]*)$")
HTML_LINE_RE = re.compile(r"^\s*<")

INLINE_RE = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?P=ticks))"
    r"|(?P<ph>\[\[[^\]\n]+\]\])"
    r"|(?P<attr>\{[:#.][^}\n]*\})"
    r"|(?P<html></?[A-Za-z][^>\n]*>|<https?://[^>\s]+>)"
    r"|(?P<img>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<ltext>[^\]\n]+)\](?P<ltail>\([^)\n]*\)))"
    r"|(?P<strong>(?P<sm>\*\*|__)(?=\S)(?P<stext>.+?)(?<=\S)(?P=sm))"
    r"|(?P<em>\*(?=[^\s*])(?P<etext>.+?)(?<=[^\s*])\*(?!\*))"
    r"|(?P<uem>(?<!\w)_(?=[^\s_])(?P<utext>.+?)(?<=[^\s_])_(?!\w))"
)
CTYPES = {"code": "x-code", "ph": "x-placeholder", "attr": "x-attribute", "html": "x-html", "img": "image"}


@dataclass
class Code:
    """A standalone inline code: nothing inside it to translate."""

    id: str
    ctype: str
    native: str


@dataclass
class Pair:
    """Markup around words: ``open`` + children + ``close``."""

    id: str
    ctype: str
    open: str
    close: str
    children: list[Node] = field(default_factory=list)


Node = str | Code | Pair


@dataclass
class Piece:
    """Skeleton text (kind '') or a segment of kind 'p', 'li', 'h3', 'cell', 'quote', 'admonition'."""

    kind: str
    text: str


def parse_inline(text: str, counter: list[int] | None = None) -> list[Node]:
    """The inline tree of one segment; ids are numbered in order of appearance."""
    counter = counter if counter is not None else [0]
    out: list[Node] = []
    pos = 0
    for m in INLINE_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        counter[0] += 1
        cid = str(counter[0])
        kind = m.lastgroup if m.lastgroup in CTYPES else next(k for k in ("link", "strong", "em", "uem") if m[k])
        if kind in CTYPES:
            out.append(Code(cid, CTYPES[kind], m[0]))
        elif kind == "link":
            out.append(Pair(cid, "link", "[", "]" + m["ltail"], parse_inline(m["ltext"], counter)))
        elif kind == "strong":
            out.append(Pair(cid, "bold", m["sm"], m["sm"], parse_inline(m["stext"], counter)))
        elif kind == "em":
            out.append(Pair(cid, "italic", "*", "*", parse_inline(m["etext"], counter)))
        else:
            out.append(Pair(cid, "italic", "_", "_", parse_inline(m["utext"], counter)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def render(nodes: list[Node]) -> str:
    """Markdown of an inline tree."""
    return "".join(n if isinstance(n, str) else n.native if isinstance(n, Code)
                   else n.open + render(n.children) + n.close for n in nodes)


def codes(nodes: list[Node]) -> dict[str, Code | Pair]:
    """Every code of a tree by id."""
    found: dict[str, Code | Pair] = {}
    for n in nodes:
        if isinstance(n, Code):
            found[n.id] = n
        elif isinstance(n, Pair):
            found[n.id] = n
            found |= codes(n.children)
    return found


def plain(nodes: list[Node]) -> str:
    """The words of a tree, for word counts."""
    return "".join(n if isinstance(n, str) else "" if isinstance(n, Code) else plain(n.children) for n in nodes)


def renumber_like(nodes: list[Node], english: list[Node]) -> list[Node] | None:
    """``nodes`` (a translation) with each code given the id of the English code with the same Markdown.

    None when a code of the translation has no unused twin in the English: the two cannot be lined up.
    """
    pool = list(codes(english).values())

    def walk(items: list[Node]) -> list[Node] | None:
        out: list[Node] = []
        for n in items:
            if isinstance(n, str):
                out.append(n)
                continue
            twin = next((c for c in pool if type(c) is type(n) and c.ctype == n.ctype and _same(c, n)), None)
            if twin is None:
                return None
            pool.remove(twin)
            if isinstance(n, Code):
                out.append(Code(twin.id, n.ctype, n.native))
            else:
                kids = walk(n.children)
                if kids is None:
                    return None
                out.append(Pair(twin.id, n.ctype, n.open, n.close, kids))
        return out

    return walk(nodes)


def signature(nodes: list[Node]) -> tuple:
    """Text and code ids only: two trees with the same signature say the same thing in the same markup."""
    return tuple(n if isinstance(n, str) else ("x", n.id) if isinstance(n, Code)
                 else ("g", n.id, signature(n.children)) for n in nodes)


# ---------------------------------------------------------------- blocks


def _starts_block(line: str) -> bool:
    return bool(FENCE_RE.match(line) or HEADING_RE.match(line) and line.lstrip().startswith("#")
                or ADMONITION_RE.match(line) or ADMONITION_BARE_RE.match(line) or LIST_RE.match(line)
                or QUOTE_RE.match(line) and line.lstrip().startswith(">") or TABLE_RE.match(line)
                or HTML_LINE_RE.match(line))


def _cells(row: str, out: list[Piece]) -> None:
    parts = re.split(r"(?<!\\)(\|)", row)
    for part in parts:
        if part == "|" or not part.strip():
            out.append(Piece("", part))
            continue
        m = re.match(r"^(\s*)(.*?)(\s*)$", part)
        assert m is not None
        out += [Piece("", m[1]), Piece("cell", m[2]), Piece("", m[3])]


def split(lines: list[str]) -> list[Piece]:
    """Skeleton and segments of Markdown lines (each with its line ending); joined they give the text back."""
    out: list[Piece] = []
    fence = False
    i = 0
    while i < len(lines):
        raw = lines[i]
        body = raw.rstrip("\r\n")
        end = raw[len(body):]
        i += 1
        if FENCE_RE.match(body):
            fence = not fence
            out.append(Piece("", raw))
            continue
        if fence or not body.strip() or TABLE_RULE_RE.match(body) and TABLE_RE.match(body) or \
                ADMONITION_BARE_RE.match(body) or HTML_LINE_RE.match(body):
            out.append(Piece("", raw))
            continue
        if TABLE_RE.match(body):
            _cells(body, out)
            out.append(Piece("", end))
            continue
        kind, m = "p", None
        if body.lstrip().startswith("#") and (m := HEADING_RE.match(body)):
            kind = "h" + str(len(body.lstrip()) - len(body.lstrip().lstrip("#")))
        elif m := ADMONITION_RE.match(body):
            kind = "admonition"
        elif m := LIST_RE.match(body):
            kind = "li"
        elif body.lstrip().startswith(">") and (m := QUOTE_RE.match(body)):
            kind = "quote"
        else:
            m = PARA_RE.match(body)
        assert m is not None
        if not m["text"]:
            out.append(Piece("", raw))
            continue
        text, post = m["text"], m["post"] + end
        if kind in ("p", "li", "quote"):  # continuation lines of the same paragraph join it
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].rstrip("\r\n")):
                text = text.rstrip() + " " + lines[i].strip()
                post = lines[i][len(lines[i].rstrip()):]
                i += 1
        out += [Piece("", m["pre"]), Piece(kind, text), Piece("", post)]
    # a segment without a letter (a number in a table, a lone placeholder) has nothing to translate
    out = [Piece("", p.text) if p.kind and not any(ch.isalpha() for ch in plain(parse_inline(p.text))) else p
           for p in out]
    return [p for p in out if p.kind or p.text]


def shape(pieces: list[Piece]) -> list[str]:
    """The kinds of the segments in order: two texts with the same shape line up segment by segment."""
    return [p.kind for p in pieces if p.kind]


def join(pieces: list[Piece], texts: list[str]) -> str:
    """The skeleton with ``texts`` in the place of the segments, in order."""
    it = iter(texts)
    return "".join(next(it) if p.kind else p.text for p in pieces)


def _same(a: Code | Pair, b: Code | Pair) -> bool:
    """Two inline codes of one type that stand for the same markup."""
    if isinstance(a, Code) and isinstance(b, Code):
        return a.native == b.native
    if isinstance(a, Pair) and isinstance(b, Pair):
        return (a.open, a.close) == (b.open, b.close)
    return False
