"""Split a Markdown body into ``## Heading {#id}`` sections, keeping line numbers."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problems
from .model import Section

SECTION_RE = re.compile(r"^##\s+(?P<heading>.*?)\s*\{#(?P<id>[^}\s]*)\}\s*$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


def split_sections(body: str, body_line: int, path: Path, problems: Problems) -> dict[str, Section]:
    """Return sections by id, in file order; report headings without ids, bad ids and duplicates."""
    sections: dict[str, Section] = {}
    current: Section | None = None
    buf: list[str] = []
    in_fence = False

    def close() -> None:
        if current is not None:
            current.body = "".join(buf).strip("\n") + "\n"
            if current.id in sections:
                first = sections[current.id].line
                problems.add(path, current.line, f"section id '{current.id}' is used twice (first on line {first}); "
                             "give each section its own id")
            else:
                sections[current.id] = current

    for offset, raw in enumerate(body.splitlines(keepends=True)):
        line_no = body_line + offset
        text = raw.rstrip("\n")
        if FENCE_RE.match(text):
            in_fence = not in_fence
        if not in_fence and text.startswith("# "):
            problems.add(path, line_no, "level-1 headings ('# ') are not used in modules; "
                         "start sections with '## Heading {#id}'")
        if not in_fence and text.startswith("## "):
            m = SECTION_RE.match(text)
            if not m:
                problems.add(path, line_no, "section heading has no id; expected '## Heading text {#section-id}'")
            elif not ID_RE.match(m["id"]):
                problems.add(path, line_no, f"section id '{m['id']}' should be lowercase words joined by hyphens, "
                             "e.g. {#check-in}")
            else:
                close()
                current = Section(m["id"], m["heading"], "", line_no)
                buf = []
                continue
        if current is None:
            if text.strip():
                problems.add(path, line_no, "text before the first section; "
                             "put it under a '## Heading {#id}' section")
            continue
        buf.append(raw)
    close()
    return sections
