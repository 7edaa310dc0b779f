"""The translatable units of one module file: front-matter values and the segments of each section.

Units are named after the English: ``week-3#check-in/4`` is the 4th segment of section check-in
(the heading is 1), ``week-3#front-matter/objectives/2`` the second objective. A translated file is
lined up with the English section by section: when both have the same shape (same kinds of blocks in
the same order), segment N of the translation is the translation of segment N of the English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..sections import FENCE_RE, SECTION_RE
from . import segments as S
from .tracking import FRONT

FRONT_KEYS = ("title", "subtitle", "discreet_title", "objectives", "key_messages", "participant_key_messages",
              "materials")


@dataclass
class Unit:
    """One piece a translator translates, with its inline tree (codes numbered from 1)."""

    id: str  # slug#section/key
    section: str
    key: str  # "3" for a segment, "title" or "objectives/2" for a front-matter value
    kind: str
    nodes: list[S.Node]

    @property
    def markdown(self) -> str:
        return S.render(self.nodes)


@dataclass
class SectionText:
    """Where a section sits in its file (lines[start:end]) and its skeleton and segments."""

    id: str
    start: int
    end: int
    pieces: list[S.Piece]

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.pieces if p.kind]


@dataclass
class FileText:
    """A module file as text: its lines, front-matter data and sections."""

    slug: str
    text: str
    lines: list[str]
    front: dict
    front_end: int  # index of the closing '---'
    sections: dict[str, SectionText] = field(default_factory=dict)


def parse_file(slug: str, text: str) -> FileText:
    """Split a module file; the loader has already said it is valid (or the caller reads it leniently)."""
    lines = text.splitlines(keepends=True)
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) \
        if lines and lines[0].strip() == "---" else 0
    try:
        front = yaml.safe_load("".join(lines[1:close])) if close else {}
    except yaml.YAMLError:
        front = {}
    ft = FileText(slug, text, lines, front if isinstance(front, dict) else {}, close)
    starts: list[tuple[int, str]] = []
    fence = False
    for i in range(close + 1 if close else 0, len(lines)):
        line = lines[i].rstrip("\r\n")
        if FENCE_RE.match(line):
            fence = not fence
        elif not fence and (m := SECTION_RE.match(line)):
            starts.append((i, m["id"]))
    for n, (start, sid) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        if sid not in ft.sections:
            ft.sections[sid] = SectionText(sid, start, end, S.split(lines[start:end]))
    return ft


def read_file(slug: str, path: Path) -> FileText | None:
    try:
        return parse_file(slug, path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def front_values(front: dict) -> dict[str, str]:
    """Translatable front-matter values by key ('title', 'objectives/2'), in file order."""
    out: dict[str, str] = {}
    for key in FRONT_KEYS:
        value = front.get(key)
        if isinstance(value, str):
            out[key] = value
        elif isinstance(value, list):
            for i, item in enumerate(value, 1):
                out[f"{key}/{i}"] = str(item)
    return out


def section_units(ft: FileText, sid: str) -> list[Unit]:
    """The units of one section (or of the front matter) of an English file."""
    if sid == FRONT:
        return [Unit(f"{ft.slug}#{FRONT}/{k}", FRONT, k, "front", S.parse_inline(v))
                for k, v in front_values(ft.front).items()]
    sec = ft.sections.get(sid)
    if sec is None:
        return []
    kinds = [p.kind for p in sec.pieces if p.kind]
    return [Unit(f"{ft.slug}#{sid}/{n}", sid, str(n), kind, S.parse_inline(text))
            for n, (kind, text) in enumerate(zip(kinds, sec.texts, strict=True), 1)]


def aligned(english: list[Unit], ft: FileText | None, sid: str) -> list[str] | None:
    """The translation's Markdown for each English unit of a section, or None when they do not line up."""
    if ft is None:
        return None
    if sid == FRONT:
        values = front_values(ft.front)
        if set(values) != {u.key for u in english}:
            return None
        return [values[u.key] for u in english]
    sec = ft.sections.get(sid)
    if sec is None or S.shape(sec.pieces) != [u.kind for u in english]:
        return None
    return sec.texts


def old_texts(english: list[Unit], snapshot: str | None, sid: str) -> list[str] | None:
    """The English each unit was translated from, read from a stored snapshot (store.py), when it lines up."""
    if snapshot is None:
        return None
    if sid == FRONT:
        try:
            data = yaml.safe_load(snapshot)
        except yaml.YAMLError:
            return None
        values = front_values(data if isinstance(data, dict) else {})
        return [values.get(u.key, "") for u in english]
    pieces = S.split(snapshot.splitlines(keepends=True))
    if S.shape(pieces) != [u.kind for u in english]:
        return None
    return [p.text for p in pieces if p.kind]


UNIT_ID_RE = re.compile(r"^(?P<slug>[\w-]+)#(?P<section>[\w-]+)/(?P<key>.+)$")
