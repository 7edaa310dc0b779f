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


def read_table(path: Path, problems: Problems, what: str) -> Table | None:
    """Read a CSV with a header row; report unreadable files on ``problems`` (``what`` names the file's role)."""
    try:
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
    header_line = 0
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            tidied = [tidy(c) for c in cells]
            if not any(tidied):
                continue
            if header is None:
                header, header_line = [fold(c) for c in tidied], start
            else:
                rows.append(Row(start, tidied))
    except csv.Error as exc:
        problems.add(path, end + 1, f"row {end + 1} cannot be read as CSV ({exc}); check its quotes")
        return None
    if header is None:
        problems.add(path, 1, f"the {what} is empty; expected a header row, then one row per participant")
        return None
    return Table(path, header, header_line, rows, encoding, delimiter)
