"""Refuse content that could make a build fetch remote or out-of-tree files, or run script in the site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config_options import path_problem
from .errors import Problems

LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
AUTOLINK_RE = re.compile(r"<((?:https?|file|ftp)://[^>\s]+)>", re.I)
ATTR_RE = re.compile(r"\b(?:src|href|srcset|poster|data|action|background)\s*=\s*[\"']?([^\"'\s>]+)", re.I)
CSS_URL_RE = re.compile(r"url\(\s*[\"']?([^\"')\s]+)", re.I)
IMPORT_RE = re.compile(r"@import\b", re.I)
SCRIPT_RE = re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet|base|meta|link)\b", re.I)
HANDLER_RE = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.I)
PLACEHOLDER_RE = re.compile(r"\[\[\s*([^\]]*?)\s*\]\]")
ALLOWED_SCHEMES = {"mailto", "tel"}
PLACEHOLDERS = ("agency.name", "agency.child_welfare", "agency.child_welfare_phone", "agency.phone", "agency.province")


def _check_target(target: str, file: Path, root: Path, line: int, problems: Problems) -> None:
    if target.startswith("#"):
        return
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme in ALLOWED_SCHEMES:
        return
    if scheme or target.startswith("//"):
        problems.add(file, line, f"remote or external resource '{target}' is not allowed; the site and PDFs must "
                     "work offline and fetch nothing. Copy the file into the project and link to it by path")
        return
    rel = unquote(parts.path)
    if not rel:
        return
    if why := path_problem(rel):
        problems.add(file, line, f"link or image {target!r} {why}; link to a file of the project by its real name")
        return
    try:
        resolved = ((root / rel.lstrip("/")) if rel.startswith("/") else (file.parent / rel)).resolve()
    except (OSError, RuntimeError) as exc:  # e.g. a path too long for the system, a symlink loop
        problems.add(file, line, f"link or image '{target}' cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                     "link to a file of the project")
        return
    if not resolved.is_relative_to(root.resolve()):
        problems.add(file, line, f"path '{target}' leaves the project folder; link only to files inside it")
    elif not _exists(resolved):
        problems.add(file, line, f"link or image '{target}' points at a file that does not exist")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name the system cannot even look up (too long) names no file
        return False


def scan_markdown(body: str, body_line: int, file: Path, root: Path, problems: Problems) -> None:
    """Report unsafe HTML, remote or out-of-tree links and images, and unknown placeholders."""
    for offset, text in enumerate(body.splitlines()):
        line = body_line + offset
        if m := SCRIPT_RE.search(text):
            problems.add(file, line, f"<{m[1].lower()}> is not allowed in content; remove it (the site and PDFs "
                         "run no code from content)")
        if m := HANDLER_RE.search(text):
            problems.add(file, line, f"inline event handler '{m[1]}=' is not allowed in content; remove it")
        if IMPORT_RE.search(text):
            problems.add(file, line, "'@import' is not allowed in content; styles live in templates/")
        targets = [m[1] for m in LINK_RE.finditer(text)]
        targets += [m[1] for m in AUTOLINK_RE.finditer(text)]
        targets += [m[1] for m in ATTR_RE.finditer(text)]
        targets += [m[1] for m in CSS_URL_RE.finditer(text)]
        if m := REFDEF_RE.match(text):
            targets.append(m[1])
        for target in targets:
            _check_target(target, file, root, line, problems)
        for m in PLACEHOLDER_RE.finditer(text):
            if m[1] not in PLACEHOLDERS:
                problems.add(file, line, f"unknown placeholder '[[{m[1]}]]'; expected one of: "
                             + ", ".join(f"[[{p}]]" for p in PLACEHOLDERS))


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace ``[[agency.x]]`` with the agency's values (validated earlier, so all are known)."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), text)
