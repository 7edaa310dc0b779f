"""Spreadsheet exports as they really come: any common encoding and separator, blank lines, stray spaces.

Why a module of its own: rosters and attendance records are typed by hand in Excel, LibreOffice or
Google Sheets and saved in whatever that program defaults to. Reading them must not depend on the
user knowing what an encoding is, and every problem must name a row, never a person.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems

DELIMITERS = (",", ";", "\t")
MAX_BYTES = 1_000_000  # a roster or record of a group of 40 is a few kilobytes; past this it is the wrong file
MAX_CELL = 200  # characters in one cell: longer is not a name, a code or a status
_SPACES = re.compile(r"\s+")


@dataclass
class Row:
    """One non-blank row: the line it starts on (the spreadsheet's row number) and its cells, tidied."""

    line: int
    cells: list[str]

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    path: Path
    header: list[str]  # column names as folded by ``fold``
    header_line: int
    rows: list[Row]
    encoding: str
    delimiter: str

    def column(self, *names: str) -> int | None:
        """Index of the first column whose folded name is one of ``names``."""
        for name in names:
            if name in self.header:
                return self.header.index(name)
        return None


def tidy(cell: str) -> str:
    """Trim stray spaces, join runs of spaces, and use one Unicode form so 'é' typed two ways is one 'é'."""
    return unicodedata.normalize("NFC", _SPACES.sub(" ", cell).strip())


def fold(text: str) -> str:
    """A column name reduced for matching: lower case, no accents, '_' and '-' as spaces ('Prénom' -> 'prenom')."""
    text = unicodedata.normalize("NFKD", tidy(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[_\-.]", " ", text)).strip()


def decode(data: bytes) -> tuple[str, str] | None:
    """Text and encoding name: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; None if none fit."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return None


def _count_outside_quotes(line: str, ch: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """The separator used most in the first non-blank line (the header): comma, semicolon or tab."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: _count_outside_quotes(first, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _line_break_problem(start: int, end: int | None) -> str:
    """A cell running over several lines: almost always a quote opened and never closed."""
    span = f"lines {start} to {end} were read as one cell" if end else "the lines after it were read as one cell"
    return (f"row {start}: a quote (\") opens a cell here and is not closed on this line, so {span}; close the "
            f"quote on row {start} or delete it (a name needs no quotes), and keep each row on one line — a cell "
            "cannot hold a line break")


def _width(header: list[str]) -> int:
    """Columns the header names: up to its last non-empty cell (spreadsheets add empty ones at the end)."""
    return max((i + 1 for i, c in enumerate(header) if c), default=0)


def _shape_problem(row: int, cells: list[str], width: int) -> str | None:
    """Too many or too few cells for the header: a separator inside a name, or one missing."""
    used = max((i + 1 for i, c in enumerate(cells) if c), default=0)
    if used > width:
        return (f"row {row} has {used} cells but the header has {width} columns; a comma or semicolon inside a "
                "cell splits it in two: put that cell in quotes (\"Dubois, Marie\") or remove the separator")
    if len(cells) < width:
        return (f"row {row} has {len(cells)} cells but the header has {width} columns; write one cell per column "
                "on every row (leave a cell empty if unknown, but keep its separator)")
    return None


def read_table(path: Path, problems: Problems, what: str, max_rows: int | None = None,
               row_limit_hint: str = "") -> Table | None:
    """Read a CSV with a header row; report unreadable files on ``problems`` (``what`` names the file's role).

    A file over MAX_BYTES is refused before it is read, and reading stops at the row after ``max_rows``
    (reported with ``row_limit_hint``), so a wrong or huge file fails in a moment. Every row problem
    names the row, never its text.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.add(path, 0, f"the {what} is {size / 1e6:.1f} MB; a {what} is at most {MAX_BYTES // 1_000_000} "
                         "MB (a group's file is a few kilobytes): check that the cohort file names the right file")
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.add(path, 0, f"cannot read the {what}: {exc.strerror}; check the path in the cohort file")
        return None
    decoded = decode(data)
    if decoded is None:
        problems.add(path, 1, f"the {what} is not text in a known encoding; in your spreadsheet use "
                     "'Save as' > 'CSV UTF-8 (comma delimited)'")
        return None
    text, encoding = decoded
    if "\x00" in text:
        problems.add(path, 1, f"the {what} looks like a spreadsheet file, not CSV; in your spreadsheet use "
                     "'Save as' > 'CSV UTF-8 (comma delimited)'")
        return None
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    rows: list[Row] = []
    header: list[str] | None = None
    header_line = width = count = 0
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any("\n" in c or "\r" in c for c in cells):
                problems.add(path, start, _line_break_problem(start, end))
                if header is None:
                    return None
                continue
            tidied = [tidy(c) for c in cells]
            if not any(tidied):
                continue
            if header is None:
                header, header_line, width = [fold(c) for c in tidied], start, _width(tidied)
                continue
            count += 1
            if max_rows is not None and count > max_rows:
                problems.add(path, start, f"row {start}: the {what} has more than {max_rows} rows; {row_limit_hint}")
                return None
            if any(len(c) > MAX_CELL for c in tidied):
                problems.add(path, start, f"row {start} has a cell of more than {MAX_CELL} characters; a name or a "
                             "code is much shorter: check the row, or that this is the right file")
                continue
            if [fold(c) for c in tidied[:width]] == header[:width]:
                problems.add(path, start, f"row {start} repeats the header row; delete it (two files pasted "
                             "together?) and keep one header at the top")
                continue
            shape = _shape_problem(start, tidied, width)
            if shape:
                problems.add(path, start, shape)
                continue
            rows.append(Row(start, tidied))
    except csv.Error:
        # With the file size capped, the one error left is a cell over the csv module's field limit:
        # a quote opened on this row and never closed.
        problems.add(path, end + 1, _line_break_problem(end + 1, None))
        return None
    if header is None:
        problems.add(path, 1, f"the {what} is empty; expected a header row, then one row per participant")
        return None
    return Table(path, header, header_line, rows, encoding, delimiter)
