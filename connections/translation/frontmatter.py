"""Read and rewrite the ``translated_from:`` block of a Markdown file as text.

The block is the last thing in the front matter. ``mark-current`` replaces only those lines, so a
translator's file keeps every other byte (quotes, comments, line endings, spacing) as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

KEY = "translated_from"
KEY_RE = re.compile(rf"^{KEY}\s*:")
COMMENT = "# written by `python build.py mark-current`: do not edit by hand"


@dataclass(frozen=True)
class Block:
    """Where the block sits: lines[start:end] (end == start when there is no block yet)."""

    start: int
    end: int
    newline: str


def _front_matter_close(lines: list[str]) -> int | None:
    """Index of the line closing the front matter, as connections.yamlfile finds it."""
    if not lines or lines[0].lstrip("\ufeff").strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def find_block(text: str) -> Block | None:
    """Where the block is, or where it goes (just before the closing '---'); None without front matter."""
    lines = text.splitlines(keepends=True)
    close = _front_matter_close(lines)
    if close is None:
        return None
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    start = next((i for i in range(1, close) if KEY_RE.match(lines[i])), None)
    if start is None:
        return Block(close, close, newline)
    end = start + 1
    while end < close:
        line = lines[end]
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break
        end += 1
    while end - 1 > start and not lines[end - 1].strip():  # leave blank lines after the block in place
        end -= 1
    return Block(start, end, newline)


def read_translated_from(text: str) -> dict[str, str]:
    """The recorded hashes, read from the text even when the rest of the file does not validate."""
    block = find_block(text)
    if block is None or block.start == block.end:
        return {}
    lines = text.splitlines(keepends=True)[block.start:block.end]
    try:
        data = yaml.safe_load("".join(lines))
    except yaml.YAMLError:
        return {}
    value = data.get(KEY) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def render_block(hashes: dict[str, str], newline: str = "\n") -> str:
    """The block as mark-current writes it: one quoted hash per section, in source order."""
    if not hashes:
        return ""
    out = [f"{KEY}:  {COMMENT}"]
    out += [f'  {sid}: "{digest}"' for sid, digest in hashes.items()]
    return newline.join(out) + newline


def write_translated_from(text: str, hashes: dict[str, str]) -> str:
    """``text`` with its block replaced by ``hashes``; every other byte unchanged."""
    block = find_block(text)
    if block is None:
        raise ValueError("the file has no front matter")
    lines = text.splitlines(keepends=True)
    before = lines[:block.start]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += block.newline
    return "".join(before) + render_block(hashes, block.newline) + "".join(lines[block.end:])
