"""Refuse an SVG that could run script or fetch anything when the site shows it or a reader opens it.

Why: an SVG is a document, not a picture: opened from the site it runs its scripts and handlers and
loads what its ``<image>``, ``<use>``, stylesheets or entities point at (another host, ``file:///etc``).
The site copies linked files as they are and WeasyPrint reads them for the PDFs, so an SVG is parsed
here with the standard XML parser, stopping at the first DOCTYPE (no entity is ever expanded), and
anything that is not plain drawing is refused with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from .references import css_urls, decode_css

SVG_SUFFIXES = (".svg", ".svgz")
XLINK = "http://www.w3.org/1999/xlink "

# Elements that run script, embed other documents or hand events to script.
FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video",
             "canvas", "discard"}
ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_FRAGMENT_URL = re.compile(r"^\s*#[^\s]*\s*$")
_IMPORT = re.compile(r"@import", re.I)
FIX = "remove it, or save the drawing again as plain SVG (e.g. Inkscape: Save As → Plain SVG / Optimized SVG)"


@dataclass(frozen=True)
class SvgProblem:
    line: int
    message: str


class _Stop(Exception):
    """A DOCTYPE: stop before expat reads any entity."""


def _local(name: str) -> str:
    """'http://www.w3.org/1999/xlink href' or 'xlink:href' → 'href'; 'svg:script' → 'script'."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1].lower()


def _is_fragment(url: str) -> bool:
    return bool(_FRAGMENT_URL.match(url))


def _css_problem(css: str) -> str | None:
    if _IMPORT.search(decode_css(css)):
        return "'@import' loads another stylesheet"
    bad = [u for u in css_urls(css) if not _is_fragment(u)]
    if bad:
        return f"url '{bad[0]}' is not a reference inside the drawing (#id)"
    if "image-set" in decode_css(css).lower():
        return "image-set() loads an image"
    return None


def svg_problems(data: bytes) -> list[SvgProblem]:
    """What makes this SVG unsafe, with lines; empty when it is plain drawing."""
    parser = expat.ParserCreate(namespace_separator=" ")
    problems: list[SvgProblem] = []
    style_depth = [0]
    style_text: list[tuple[int, str]] = []

    def add(message: str) -> None:
        problems.append(SvgProblem(parser.CurrentLineNumber, message))

    def doctype(*_args) -> None:
        add(f"a DOCTYPE is not allowed in an SVG (its entities can read other files or hosts); {FIX}")
        raise _Stop

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag in FORBIDDEN:
            add(f"<{tag}> is not allowed in an SVG (it can run script or load another document); {FIX}")
        if tag == "style":
            style_depth[0] += 1
            style_text.append((parser.CurrentLineNumber, ""))
        for raw, value in attrs.items():
            attr = _local(raw)
            shown = f"xlink:{attr}" if raw.startswith(XLINK) else attr
            if attr.startswith("on"):
                add(f"event handler '{attr}=' is not allowed in an SVG (it runs script); {FIX}")
            elif attr in {"href", "src"} and not _is_fragment(value):
                add(f"'{value}' in {shown}= is not a reference inside the drawing (#id): the SVG would load "
                    f"another file or host; {FIX}")
            elif tag in ANIMATIONS and attr == "attributename" and (value.lower().endswith("href")
                                                                   or value.lower().startswith("on")):
                add(f"<{tag}> may not change '{value}' in an SVG (it could add a link or a handler); {FIX}")
            elif "url(" in value.lower() or "image-set" in value.lower() or "\\" in value or attr == "style":
                if problem := _css_problem(value):
                    add(f"{attr}= in <{tag}>: {problem}; {FIX}")

    def end(name: str) -> None:
        if _local(name) == "style" and style_depth[0]:
            style_depth[0] -= 1
            line, css = style_text[-1]
            if problem := _css_problem(css):
                problems.append(SvgProblem(line, f"<style>: {problem}; {FIX}"))

    def text(data: str) -> None:
        if style_depth[0]:
            line, css = style_text[-1]
            style_text[-1] = (line, css + data)

    def instruction(target: str, _data: str) -> None:
        if target.lower() == "xml-stylesheet":
            add(f"<?xml-stylesheet?> is not allowed in an SVG (it loads a stylesheet); {FIX}")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = lambda *_a: doctype()
    parser.ExternalEntityRefHandler = lambda *_a: doctype() or 0  # type: ignore[func-returns-value]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        problems.append(SvgProblem(exc.lineno, f"not a well-formed SVG ({expat.ErrorString(exc.code)}); open it in a "
                                               "drawing program and save it again"))
    return problems


def check_svg(path: Path) -> list[SvgProblem]:
    """The problems of an SVG file; a file that cannot be read is one problem on line 0."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [SvgProblem(0, f"cannot read the SVG ({exc.strerror}); check the file")]
    if path.suffix.lower() == ".svgz" or data[:2] == b"\x1f\x8b":
        return [SvgProblem(0, "compressed SVG (.svgz) is not allowed: it cannot be checked; save it as plain .svg")]
    return svg_problems(data)


def is_svg(path: Path) -> bool:
    return path.suffix.lower() in SVG_SUFFIXES
