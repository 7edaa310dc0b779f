"""Turn a content section into Markdown for a site page: placeholders filled, links pointing inside the site.

Why here: content links are written relative to content/<variant>/<file>.md, but the site's pages live
flat in a generated docs folder; links to other modules become links to their pages, and images or
files inside the project are copied next to the pages. Images must carry alt text.
"""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UserError
from ..model import Module, Section
from ..references import parse
from ..safety import ACTIVE_SUFFIXES, ALLOWED_SCHEMES, fill_placeholders
from ..svg import check_svg, is_svg

IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(")
# Where a content link's target sits in the Markdown text, to point it at the site's copy of the file.
LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
FILES_DIR = "files"


def page_name(slug: str) -> str:
    """The docs file of a content module: program → index.md, week-3 → week-3.md."""
    return "index.md" if slug == "program" else f"{slug}.md"


class LinkMapper:
    """Maps content links to site links and remembers which project files the site must carry."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files: set[Path] = set()

    def target(self, target: str, source_file: Path) -> str:
        if target.startswith("#"):
            return target
        parts = urlsplit(target)
        if parts.scheme.lower() in ALLOWED_SCHEMES or parts.scheme or target.startswith("//"):
            return target  # mailto:/tel:; remote links never pass validation
        rel = unquote(parts.path)
        if not rel:
            return target
        resolved = ((self.root / rel.lstrip("/")) if rel.startswith("/") else (source_file.parent / rel)).resolve()
        frag = f"#{parts.fragment}" if parts.fragment else ""
        content = self.root / "content"
        is_module = resolved.is_relative_to(content) and len(resolved.relative_to(content).parts) == 2
        if resolved.suffix == ".md" and is_module:
            return page_name(resolved.stem) + frag
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return target  # reported by validation; never copied
        self.files.add(resolved)
        return f"{FILES_DIR}/{resolved.relative_to(self.root).as_posix()}{frag}"

    def copy_files(self, docs: Path) -> None:
        """Copy the linked files next to the pages; an SVG or web page that could run script is never copied."""
        for f in sorted(self.files):
            refuse_active_file(f, self.root)
            dest = docs / FILES_DIR / f.relative_to(self.root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dest)


def refuse_active_file(path: Path, root: Path) -> None:
    """Stop before an unsafe SVG or a web page reaches the site (check reports the same, with lines)."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if path.suffix.lower() in ACTIVE_SUFFIXES:
        raise UserError(f"{rel}:0: a web page, script or XML file linked from content is not copied into the "
                        "site (it could run script); link to a PDF or an image instead")
    if is_svg(path) and (problems := check_svg(path)):
        raise UserError("\n".join(f"{rel}:{p.line}: {p.message}" for p in problems))


def referenced_files(text: str, source_file: Path, root: Path) -> set[Path]:
    """Project files a piece of content links to or shows (inline, reference-style or HTML): inputs of the
    site build."""
    mapper = LinkMapper(root)
    for ref in parse(text).references:
        mapper.target(ref.url, source_file)
    return mapper.files


def _line_in_file(path: Path, after: int, text: str) -> int:
    """The file line of a body line (section bodies lose their leading blank lines)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return after
    return next((i for i in range(after + 1, len(lines) + 1) if lines[i - 1] == text), after)


def check_alt_text(section: Section, path: Path, root: Path) -> None:
    for line in section.body.splitlines():
        for m in IMAGE_RE.finditer(line):
            if not m["alt"].strip():
                rel = path.resolve().relative_to(root.resolve()).as_posix() if path.resolve().is_relative_to(
                    root.resolve()) else str(path)
                raise UserError(f"{rel}:{_line_in_file(path, section.line, line)}: image without alt text; describe "
                                "it between the brackets for people who cannot see it, e.g. "
                                "![Chairs set in a circle](room.png)")


def _swap(m: re.Match, new: str) -> str:
    """The matched link with only its target (group 1) replaced."""
    a, b = m.start(1) - m.start(0), m.end(1) - m.start(0)
    return m[0][:a] + new + m[0][b:]


def safe_values(placeholders: dict[str, str]) -> dict[str, str]:
    """Agency values as text, never as HTML, inside Markdown."""
    return {k: html.escape(v, quote=False) for k, v in placeholders.items()}


class _RawTags(HTMLParser):
    """Where each raw HTML start tag with a src or href sits in the Markdown text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []  # line, column, the tag as written

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(k in ("src", "href") and v for k, v in attrs):
            line, col = self.getpos()
            self.found.append((line, col, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


_RAW_URL = re.compile(r"(\b(?:src|href)\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)", re.I)


def map_raw_html(text: str, mapper: LinkMapper, source_file: Path) -> str:
    """Point the src and href of raw HTML tags (``<img src="images/lake.png">``) at the site's copies, as
    Markdown links are; the sanitizer later drops whatever is not allowed."""
    parser = _RawTags()
    parser.feed(text)
    parser.close()
    if not parser.found:
        return text
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out, done = [], 0
    for number, col, raw in parser.found:
        at = starts[number - 1] + col
        if text[at:at + len(raw)] != raw or at < done:
            continue

        def swap(m: re.Match) -> str:
            value = m[2]
            quote = value[0] if value[0] in "\"'" else ""
            url = html.unescape(value[1:-1] if quote else value)
            new = mapper.target(url, source_file)
            return m[0] if new == url else f'{m[1]}"{html.escape(new)}"'

        out += [text[done:at], _RAW_URL.sub(swap, raw)]
        done = at + len(raw)
    return "".join(out) + text[done:]


def section_markdown(section: Section, module: Module, placeholders: dict[str, str], mapper: LinkMapper) -> str:
    """The body of a section, ready for the site: placeholders filled, links mapped, alt text checked."""
    check_alt_text(section, module.path, mapper.root)
    out = []
    for line in fill_placeholders(section.body, safe_values(placeholders)).splitlines():
        line = LINK_RE.sub(lambda m: _swap(m, mapper.target(m[1], module.path)), line)
        if m := REFDEF_RE.match(line):
            line = line[:m.start(1)] + mapper.target(m[1], module.path) + line[m.end(1):]
        out.append(line)
    return map_raw_html("\n".join(out).strip("\n"), mapper, module.path) + "\n"
