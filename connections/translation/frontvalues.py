"""Rewrite translatable front-matter values as text, one key at a time.

Only a key whose value changes is rewritten (``title: ...`` or ``objectives:`` and its items), in the
file's own style (``  - item``); every other line — week, duration, agenda, comments, the
``translated_from`` block — keeps its bytes.
"""

from __future__ import annotations

import re

import yaml

from .frontmatter import KEY_RE


def scalar(value: str) -> str:
    """A string as one line of YAML, quoted only when YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def render(key: str, value: str | list[str], newline: str = "\n") -> str:
    if isinstance(value, str):
        return f"{key}: {scalar(value)}{newline}"
    return f"{key}:{newline}" + "".join(f"  - {scalar(v)}{newline}" for v in value)


def _close(lines: list[str]) -> int | None:
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def replace_values(text: str, values: dict[str, str | list[str]]) -> str:
    """``text`` with each key of ``values`` rewritten (or added before translated_from / the closing '---')."""
    if not values:
        return text
    lines = text.splitlines(keepends=True)
    close = _close(lines)
    if close is None:
        raise ValueError("the file has no front matter")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    for key, value in values.items():
        key_re = re.compile(rf"^{re.escape(key)}\s*:")
        start = next((i for i in range(1, close) if key_re.match(lines[i])), None)
        block = render(key, value, newline).splitlines(keepends=True)
        if start is None:
            at = next((i for i in range(1, close) if KEY_RE.match(lines[i])), close)
            lines[at:at] = block
            close += len(block)
            continue
        end = start + 1
        while end < close and (not lines[end].strip() or lines[end][0].isspace()):
            end += 1
        while end - 1 > start and not lines[end - 1].strip():
            end -= 1
        lines[start:end] = block
        close += len(block) - (end - start)
    return "".join(lines)
