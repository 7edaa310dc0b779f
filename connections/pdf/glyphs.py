"""Only bundled fonts in a PDF, and a missing glyph named by the text that needs it.

Why: Pango silently falls back to whatever system font has a glyph, so a PDF built on one machine can
embed a font another machine lacks, or print a box. Checking the text against the bundled fonts'
character maps before layout gives a message a translator can act on ("this word, this line").

Private documents (cohort paperwork printing participants' names) render inside ``private_text``:
their messages then name a file and row found by the caller's locator, never the text itself.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from ..errors import Problem, UserError

FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
FAMILY_RE = re.compile(r"font-family\s*:\s*[\"']?([^;\"']+)", re.I)
URL_RE = re.compile(r"url\(\s*[\"']?([^\"')]+)", re.I)
NOTDEF_RE = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
SKIP_TAGS = {"style", "script", "title", "head"}

# Given a character, where it comes from in a private document: (path, line), or None if unknown.
Locator = Callable[[str], "tuple[str, int] | None"]
_PRIVATE: ContextVar[Locator | None] = ContextVar("connections_private_text", default=None)


@contextlib.contextmanager
def private_text(locate: Locator) -> Iterator[None]:
    """Inside this block, glyph problems never quote the document's text: ``locate`` names its source row."""
    token = _PRIVATE.set(locate)
    try:
        yield
    finally:
        _PRIVATE.reset(token)


@lru_cache(maxsize=32)
def _faces(path: Path, mtime: int) -> tuple[tuple[str, Path], ...]:
    text = path.read_text(encoding="utf-8")
    out = []
    for block in FACE_RE.findall(text):
        fam, url = FAMILY_RE.search(block), URL_RE.search(block)
        if fam and url:
            out.append((fam[1].strip(), (path.parent / url[1]).resolve()))
    return tuple(out)


def declared_fonts(stylesheets: Iterable[Path]) -> dict[str, tuple[Path, ...]]:
    """Font families declared with @font-face in the stylesheets, and their font files."""
    fams: dict[str, list[Path]] = {}
    for css in stylesheets:
        css = Path(css)
        for family, font in _faces(css.resolve(), css.stat().st_mtime_ns):
            fams.setdefault(family, []).append(font)
    return {k: tuple(v) for k, v in fams.items()}


@lru_cache(maxsize=32)
def _cmap(path: Path, mtime: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(path), lazy=True)["cmap"].getBestCmap())


def coverage(faces: dict[str, tuple[Path, ...]]) -> frozenset[int]:
    """Every code point some bundled font can draw."""
    out: set[int] = set()
    for files in faces.values():
        for f in files:
            out |= _cmap(f, f.stat().st_mtime_ns)
    return frozenset(out)


def needs_glyph(ch: str) -> bool:
    """Whitespace and format or control characters are laid out without a glyph of their own."""
    return not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}



class _Text(HTMLParser):
    """The text a reader will see, one string per text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.nodes


def _context(node: str, i: int, width: int = 30) -> str:
    snippet = " ".join(node[max(0, i - width): i + width + 1].split())
    return snippet


def _where(ch: str, context: str, root: Path, sources: Sequence[Path]) -> tuple[str, int]:
    """The first source line holding the text (or at least the character), as (relative path, line)."""
    words = [w for w in context.split() if ch in w]
    for needle in [*words, ch]:
        for src in sources:
            try:
                lines = Path(src).read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            for n, line in enumerate(lines, 1):
                if needle in line:
                    try:
                        rel = Path(src).resolve().relative_to(root.resolve()).as_posix()
                    except ValueError:
                        rel = Path(src).as_posix()
                    return rel, n
    return "", 0


def _describe(chars: Sequence[str]) -> str:
    names = [f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in chars[:4]]
    return ", ".join(names) + (f" and {len(chars) - 4} more" if len(chars) > 4 else "")


def _private_problem(chars: Sequence[str], locate: Locator, title: str) -> Problem:
    """The same problem for a private document: the source row only — no text, no character, no code point
    (the code points of a two-letter name are the name)."""
    path, line = locate(chars[0]) or (f"PDF '{title}'", 0)
    what = ("its text (a template or a translation) has" if not line
            else f"line {line} has" if path.endswith((".yml", ".yaml")) else f"row {line} has")
    glyph = "a character" if len(chars) == 1 else "characters"
    return Problem(path, line, f"{what} {glyph} no bundled font can print; change that text, or add a font that "
                   "covers it to fonts/ and templates/pdf/fonts.css")


def _problem(chars: Sequence[str], context: str, root: Path, sources: Sequence[Path], title: str) -> Problem:
    locate = _PRIVATE.get()
    if locate is not None:
        return _private_problem(chars, locate, title)
    path, line = _where(chars[0], context, root, sources)
    path = path or f"PDF '{title}'"
    glyph = "a glyph" if len(chars) == 1 else "glyphs"
    msg = (f"no bundled font has {glyph} for {_describe(chars)} in the text \"{context}\"; change the text, "
           "or add a font that covers it to fonts/ and templates/pdf/fonts.css")
    return Problem(path, line, msg)


def check_glyphs(html: str, faces: dict[str, tuple[Path, ...]], title: str, root: Path,
                 sources: Sequence[Path] = ()) -> None:
    """Fail before layout when some visible character is in none of the bundled fonts, naming each text."""
    covered = coverage(faces)
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in visible_text(html):
        missing = [c for c in dict.fromkeys(node) if ord(c) not in covered and needs_glyph(c) and c not in seen]
        if missing:
            seen.update(missing)
            problems.append(_problem(missing, _context(node, node.index(missing[0])), root, sources, title))
    if problems:
        raise UserError(f"PDF '{title}' was not written: its text needs characters the bundled fonts lack.",
                        problems[:10])


def notdef_problem(message: str, html: str, root: Path, sources: Sequence[Path] = (), title: str = "") -> str | None:
    """Turn WeasyPrint's '.notdef glyph rendered … (U+XXXX)' warning into a message naming the text."""
    m = NOTDEF_RE.search(message)
    if not m or ".notdef" not in message:
        return None
    ch = chr(int(m[1], 16))
    for node in visible_text(html):
        if ch in node:
            return str(_problem([ch], _context(node, node.index(ch)), root, sources, title))
    return str(_problem([ch], ch, root, sources, title))


def check_bundled_fonts_used(used: dict[str, set[str]], faces: dict[str, tuple[Path, ...]], title: str) -> None:
    """Every embedded font must be a bundled one: a system font makes the PDF differ between machines.

    ``used`` maps each embedded font family to the characters drawn with it, so the message can say
    which characters (often a list bullet or a symbol from CSS) need a bundled font.
    """
    extra = sorted(set(used) - set(faces))
    if extra:
        details = []
        for fam in extra:
            chars = sorted({c for c in used[fam] if needs_glyph(c)})
            private = _PRIVATE.get() is not None  # the characters may spell a participant's name
            details.append(f"{fam} (for {_describe(chars)})" if chars and not private else fam)
        raise UserError(f"PDF '{title}' was not written: some text was set in {', '.join(details)}, which is not "
                        f"a bundled font. Name only bundled fonts ({', '.join(sorted(faces))}) in every "
                        "font-family of the print stylesheets — no generic fallback such as sans-serif or "
                        "monospace — and use list markers and symbols the bundled fonts have")
