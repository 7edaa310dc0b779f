"""Which characters of a Markdown file are prose a reader sees, and which are syntax.

Typography and glossary checks (and the typography fixer) look only at prose. Every line is
returned with its syntax *masked*: replaced by NUL characters of the same length, so a match in the
masked line sits at the same columns in the real line. Masked: front-matter keys and the fields that
hold no prose, fenced and inline code, link and image targets, URLs, HTML tags and comments,
heading ids and attribute lists, ``[[placeholders]]``, admonition markers (``!!! note "..."``) and
table delimiter rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MASK = "\x00"
FENCE_RE = re.compile(r"^\s*(```|~~~)")
ADMONITION_RE = re.compile(r"^\s*(!!!|\?\?\?\+?)\s")
TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
INLINE_RES = [
    re.compile(r"(`+).+?\1"),  # inline code
    re.compile(r"<!--.*?-->"),  # HTML comment
    re.compile(r"</?[A-Za-z][^<>]*>"),  # HTML tag
    re.compile(r"<[a-z][a-z0-9+.-]*:[^<>\s]*>", re.I),  # autolink
    re.compile(r"\]\([^)]*\)"),  # link or image target (the text in [...] stays prose)
    re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I),  # bare URL
    re.compile(r"\b(?:mailto|tel):\S+", re.I),
    re.compile(r"\{[:#.][^}]*\}"),  # heading id, attribute list
    re.compile(r"\[\[[^\]]*\]\]"),  # placeholder
]
# Front-matter fields whose values are not prose.
NON_PROSE_FIELDS = {"week", "duration", "agenda", "extra_sections", "translated_from"}
YAML_KEY_RE = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*:)(\s|$)")
YAML_ITEM_RE = re.compile(r"^(\s*-\s+)")


@dataclass(frozen=True)
class ProseLine:
    """One line of a file: its number, its text, and the text with syntax masked."""

    number: int
    text: str
    masked: str
    in_front: bool


def _mask_span(s: str, start: int, end: int) -> str:
    return s[:start] + MASK * (end - start) + s[end:]


@lru_cache(maxsize=1 << 16)
def mask_inline(text: str) -> str:
    """Mask syntax inside one line of Markdown (kept per line: the parity, glossary and typography rules each
    read the same lines, and a source file is compared with each of its translations)."""
    out = text
    for rx in INLINE_RES:
        for m in rx.finditer(out):
            out = _mask_span(out, m.start(), m.end())
    return out


def _mask_yaml_comment(value: str) -> str:
    """Mask a trailing '# comment' of a plain YAML value (a quoted value may hold '#')."""
    stripped = value.lstrip()
    if stripped[:1] in ("'", '"'):
        q = stripped[0]
        start = len(value) - len(stripped)
        close = value.find(q, start + 1)
        while q == '"' and close > 0 and value[close - 1] == "\\":
            close = value.find(q, close + 1)
        while q == "'" and close > 0 and value[close + 1:close + 2] == "'":  # '' is an apostrophe
            close = value.find(q, close + 2)
        if close < 0:
            return value
        return value[: close + 1] + MASK * (len(value) - close - 1)
    m = re.search(r"(^|\s)#", value)
    return value if not m else value[: m.start()] + MASK * (len(value) - m.start())


def _mask_front_line(text: str, field: str | None) -> tuple[str, str | None]:
    """Mask a front-matter line; return it and the top-level field it belongs to."""
    if not text.strip() or text.lstrip().startswith("#"):
        return MASK * len(text), field
    m = YAML_KEY_RE.match(text)
    if m and not m.group(1):
        field = m.group(2)
    if field in NON_PROSE_FIELDS:
        return MASK * len(text), field
    if m:
        head = m.end(3)
        return MASK * head + _mask_yaml_comment(text[head:]), field
    item = YAML_ITEM_RE.match(text)
    if item:
        head = item.end(1)
        return MASK * head + _mask_yaml_comment(text[head:]), field
    return _mask_yaml_comment(text), field


def prose_lines(text: str) -> list[ProseLine]:
    """Every line of a Markdown file with front matter, numbered from 1, syntax masked."""
    lines = text.splitlines()
    out: list[ProseLine] = []
    in_front = bool(lines) and lines[0].lstrip("\ufeff").strip() == "---"  # a BOM may come first
    field: str | None = None
    in_fence = False
    for i, line in enumerate(lines):
        n = i + 1
        if in_front:
            if i == 0 or line.strip() == "---":
                out.append(ProseLine(n, line, MASK * len(line), True))
                in_front = i == 0
                continue
            masked, field = _mask_front_line(line, field)
            out.append(ProseLine(n, line, mask_inline(masked), True))
            continue
        if FENCE_RE.match(line):
            in_fence = not in_fence
            out.append(ProseLine(n, line, MASK * len(line), False))
            continue
        if in_fence or ADMONITION_RE.match(line) or TABLE_RULE_RE.match(line) or REFDEF_RE.match(line):
            out.append(ProseLine(n, line, MASK * len(line), False))
            continue
        out.append(ProseLine(n, line, mask_inline(line), False))
    return out
