"""Refuse content that could make a build fetch remote or out-of-tree files, or run script in the site.

Why from the rendered HTML: a tag split over two lines, an entity in a URL, a CSS escape in a style or an
attribute added with ``{: …}`` all pass a line-by-line reading; the HTML the Markdown becomes is what a
browser runs (connections/references.py finds each element's line back in the ``.md`` file). What is
refused here is also removed by the sanitizer (connections/sanitize.py) at render time, so a file that
bypassed `check` still cannot run script; `check` exists to say where and how to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .config_options import path_problem
from .errors import Problems
from .references import Element, Reference, decode_css, parse, resolve
from .sanitize import TAGS, normalized_url, url_scheme
from .svg import check_svg, is_svg

if TYPE_CHECKING:
    from .validate import Bundle

PLACEHOLDER_RE = re.compile(r"\[\[\s*([^\]]*?)\s*\]\]")
ALLOWED_SCHEMES = {"mailto", "tel"}
PLACEHOLDERS = ("agency.name", "agency.child_welfare", "agency.child_welfare_phone", "agency.phone", "agency.province")
# Elements that run code, embed documents, load styles or change where links go.
CODE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "link",
             "portal", "noscript", "template", "form", "input", "button", "select", "textarea", "svg", "math",
             "audio", "video", "source", "track", "picture", "canvas", "dialog", "xmp", "noembed", "noframes"}
SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript"}
# Files a browser runs as a document when a reader opens them from the site.
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".xml", ".js", ".mjs", ".xsl", ".xslt", ".shtml"}
_DANGEROUS_CSS = re.compile(r"url\(|image-set\(|@import|expression\(|\\", re.I)
# A table cell's alignment is written by Markdown itself (|--:|), never by the author.
_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$", re.I)
# The same words as the site's own alt-text check (connections/site/markdown.py), now also in `check`.
ALT_TEXT = ("image without alt text; describe it between the brackets for people who cannot see it, e.g. "
            "![Chairs set in a circle](room.png)")
REMOTE = ("remote or external resource '{}' is not allowed; the site and PDFs must work offline and fetch "
          "nothing. Copy the file into the project and link to it by path")


def _check_element(el: Element, file: Path, problems: Problems) -> None:
    if el.tag in CODE_TAGS:
        if el.tag in {"style", "link"}:
            problems.add(file, el.line, f"<{el.tag}> is not allowed in content; styles live in templates/ (remove it)")
        else:
            problems.add(file, el.line, f"<{el.tag}> is not allowed in content; remove it (the site and PDFs "
                         "run no code from content)")
    elif el.tag == "style":
        problems.add(file, el.line, "<style> is not allowed in content; styles live in templates/ (remove it)")
    elif el.tag not in TAGS:
        problems.add(file, el.line, f"<{el.tag}> is not allowed in content (the site and PDFs drop it); use "
                     "Markdown, or one of the plain tags such as <p>, <span>, <div>, <br>, <strong>, <em>")
    if el.tag == "img" and not dict(el.attrs).get("alt", "").strip():
        problems.add(file, el.line, ALT_TEXT)
    for name, value in el.attrs:
        if name.startswith("on"):
            problems.add(file, el.line, f"inline event handler '{name}=' is not allowed in content; remove it")
        elif name == "style" and not _ALIGN.match(value):
            why = ("it can make the site fetch a file or another host" if _DANGEROUS_CSS.search(value)
                   or _DANGEROUS_CSS.search(decode_css(value)) else "the site and PDFs drop it")
            problems.add(file, el.line, f"a style attribute is not allowed in content ({why}); remove "
                         "style=\"…\" — the look of the site and PDFs lives in templates/")


def _check_target(ref: Reference, file: Path, root: Path, problems: Problems) -> None:
    target, line = ref.url, ref.line
    plain = normalized_url(target)
    if plain.startswith("#") or not plain:
        return
    scheme = url_scheme(plain)
    if scheme in ALLOWED_SCHEMES and not ref.loads:
        return
    if scheme in SCRIPT_SCHEMES:
        problems.add(file, line, f"'{scheme}:' URL is not allowed in content: it runs script when clicked or "
                     "loaded; remove it")
        return
    if scheme == "data":
        problems.add(file, line, f"'data:' URL is not allowed in content ('{target[:40]}'); save the file in "
                     "the project and link to it by path")
        return
    if scheme or plain.startswith("//"):
        problems.add(file, line, REMOTE.format(target))
        return
    if why := path_problem(unquote(urlsplit(plain).path)):  # a NUL, a name no file system can hold
        problems.add(file, line, f"link or image {target!r} {why}; link to a file of the project by its real name")
        return
    resolved = resolve(target, file, root)
    if resolved is None:
        return
    try:
        inside = resolved.is_relative_to(root.resolve())
        exists = inside and resolved.exists()
    except OSError:
        problems.add(file, line, f"path '{target}' cannot be read (the name is too long or invalid); rename the file")
        return
    if not inside:
        problems.add(file, line, f"path '{target}' leaves the project folder; link only to files inside it")
    elif not exists:
        problems.add(file, line, f"link or image '{target}' points at a file that does not exist")
    elif resolved.suffix.lower() in ACTIVE_SUFFIXES:
        problems.add(file, line, f"link to '{target}' is not allowed: a web page, script or XML file opened from "
                     "the site could run script; give the reader a PDF or an image instead")
    elif is_svg(resolved):
        check_svg_file(resolved, problems)


def check_svg_file(path: Path, problems: Problems) -> None:
    """Report an unsafe SVG's problems at its own lines."""
    for p in check_svg(path):
        problems.add(path, p.line, p.message)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name the system cannot even look up (too long) names no file
        return False


def scan_markdown(body: str, body_line: int, file: Path, root: Path, problems: Problems) -> None:
    """Report unsafe HTML, remote or out-of-tree links and images, and unknown placeholders.

    ``body`` is the whole file's text (``body_line`` 1) or a part of it starting at ``body_line``."""
    text = "\n" * (body_line - 1) + body if body_line > 1 else body
    parsed = parse(text)
    found = Problems(problems.root)
    for el in parsed.elements:
        _check_element(el, file, found)
    for ref in parsed.references:
        _check_target(ref, file, root, found)
    for offset, line_text in enumerate(body.splitlines()):
        for m in PLACEHOLDER_RE.finditer(line_text):
            if m[1] not in PLACEHOLDERS:
                found.add(file, body_line + offset, f"unknown placeholder '[[{m[1]}]]'; expected one of: "
                          + ", ".join(f"[[{p}]]" for p in PLACEHOLDERS))
    known = set(problems.items)  # an SVG shown by several files, a URL used twice on one line: once
    for p in found.items:
        if p not in known:
            known.add(p)
            problems.items.append(p)


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace ``[[agency.x]]`` with the agency's values (validated earlier, so all are known)."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), text)


def check_project_svgs(bundle: Bundle, problems: Problems) -> None:
    """Every SVG in content/ (shown or not: a later edit may show it) and an SVG agency logo is plain drawing."""
    project = bundle.project
    svgs = [p for p in sorted(project.content.rglob("*")) if is_svg(p) and p.is_file()]
    logo = getattr(bundle.agency, "logo", None)
    if logo is not None and is_svg(Path(logo)) and Path(logo).is_file():
        svgs.append(Path(logo))
    found = Problems(problems.root)
    for path in svgs:
        check_svg_file(path, found)
    known = set(problems.items)
    problems.items += [p for p in found.items if p not in known]
