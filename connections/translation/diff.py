"""Show two versions of a source section side by side, with the changed words marked.

Removed words are marked ``[-like this-]`` on the left, added words ``{+like this+}`` on the right
(the markers of ``git diff --word-diff``), so the changes show without colour too; on a terminal
they are also coloured. Long runs of unchanged lines are folded.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
DEL_OPEN, DEL_CLOSE, INS_OPEN, INS_CLOSE = "[-", "-]", "{+", "+}"
RED, GREEN, DIM, RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[0m"
CONTEXT = 2  # unchanged lines kept around a change (a blank line and a paragraph)


@dataclass(frozen=True)
class Row:
    """One line of the diff: the text before, the text after, and whether it changed."""

    old: str | None
    new: str | None
    changed: bool


def _mark_words(old: str, new: str) -> tuple[str, str]:
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left += a[i1:i2]
            right += b[j1:j2]
            continue
        if i2 > i1:
            left.append(DEL_OPEN + "".join(a[i1:i2]) + DEL_CLOSE)
        if j2 > j1:
            right.append(INS_OPEN + "".join(b[j1:j2]) + INS_CLOSE)
    return "".join(left), "".join(right)


def rows(old: str, new: str) -> list[Row]:
    """Line-by-line rows; changed lines paired and marked word by word."""
    a, b = old.splitlines(), new.splitlines()
    out: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [Row(x, x, False) for x in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None:
                o, n = _mark_words(o, n)
            elif o is not None:
                o = DEL_OPEN + o + DEL_CLOSE if o.strip() else o
            elif n is not None:
                n = INS_OPEN + n + INS_CLOSE if n.strip() else n
            out.append(Row(o, n, True))
    return out


def _fold(all_rows: list[Row]) -> list[Row | int]:
    """Keep changed rows and CONTEXT rows around them; an int stands for that many folded rows."""
    keep = [False] * len(all_rows)
    if keep:
        keep[0] = True  # the heading: says which section this is
    for i, r in enumerate(all_rows):
        if r.changed:
            for k in range(max(0, i - CONTEXT), min(len(all_rows), i + CONTEXT + 1)):
                keep[k] = True
    out: list[Row | int] = []
    skipped = 0
    for r, k in zip(all_rows, keep, strict=True):
        if k:
            if skipped:
                out.append(skipped)
                skipped = 0
            out.append(r)
        else:
            skipped += 1
    if skipped:
        out.append(skipped)
    return out


def _wrap(text: str | None, width: int) -> list[str]:
    if text is None:
        return []
    if not text.strip():
        return [""]
    indent = text[: len(text) - len(text.lstrip())]
    return textwrap.wrap(text, width, subsequent_indent=indent[:8], break_on_hyphens=False,
                         break_long_words=True, drop_whitespace=True) or [""]


def _colour(lines: list[str], open_mark: str, close_mark: str, colour: str) -> list[str]:
    """Colour marked words; a marked run may continue on the next wrapped line."""
    out = []
    inside = False
    for line in lines:
        s = colour if inside else ""
        i = 0
        while i < len(line):
            if line.startswith(open_mark, i):
                inside = True
                s += colour + open_mark
                i += len(open_mark)
            elif inside and line.startswith(close_mark, i):
                inside = False
                s += close_mark + RESET
                i += len(close_mark)
            else:
                s += line[i]
                i += 1
        out.append(s + (RESET if inside else ""))
    return out


def side_by_side(old: str, new: str, width: int = 100, left_title: str = "before", right_title: str = "after",
                 colour: bool = False) -> str:
    """The two texts in two columns of about width/2 characters, changes marked, unchanged runs folded."""
    col = max(24, (width - 3) // 2)
    sep = " │ "
    out = [left_title[:col].ljust(col) + sep + right_title[:col], "─" * col + "─┼─" + "─" * col]
    for item in _fold(rows(old, new)):
        if isinstance(item, int):
            note = f"… {item} unchanged line{'s' * (item != 1)} …"
            out.append((DIM + note + RESET) if colour else note)
            continue
        left, right = _wrap(item.old, col), _wrap(item.new, col)
        if colour:
            left = _colour(left, DEL_OPEN, DEL_CLOSE, RED)
            right = _colour(right, INS_OPEN, INS_CLOSE, GREEN)
        plain_left = _wrap(item.old, col)
        for k in range(max(len(left), len(right))):
            lt = left[k] if k < len(left) else ""
            pad = col - len(plain_left[k]) if k < len(plain_left) else col
            rt = right[k] if k < len(right) else ""
            out.append((lt + " " * max(pad, 0) + sep + rt).rstrip())
    return "\n".join(out)
