"""Participants from a roster CSV, and how their names are printed under each privacy mode.

Why the care: participants are women living with violence. Names are read only to be printed on
the cohort's own paperwork; problems are reported by row number, never by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems
from .csvfile import Table, read_table
from .printable import check_not_text

# A group is run by two facilitators in one room; past this the sheets, the sessions and the safety plan
# no longer fit. Also a guard: a wrong file (a whole client database) fails at once instead of printing.
MAX_PARTICIPANTS = 40
SPLIT_HINT = (f"a group has at most {MAX_PARTICIPANTS} participants; split it into two cohorts, each with its own "
              "folder, cohort file (another id) and roster")

CODE_COLUMNS = ("code", "participant code", "code participant", "code participante", "id")
FIRST_COLUMNS = ("first name", "first", "given name", "prenom")
LAST_COLUMNS = ("last name", "last", "surname", "family name", "nom de famille", "nom")
NAME_COLUMNS = ("name", "full name", "participant", "participante", "nom complet")


@dataclass
class Participant:
    code: str
    first: str = ""
    last: str = ""
    row: int = 0  # row in the file it came from, for messages
    newcomer: bool = False  # not on the roster; first seen in the attendance record

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.first, self.last) if p)

    def key(self) -> str:
        return self.full.casefold()

    def printed(self, privacy: str) -> str:
        """The name as the privacy mode allows it on paper: 'Marie Dubois', 'Marie D.' or 'P07'."""
        if privacy == "codes" or not self.full:
            return self.code
        if privacy == "initials":
            return f"{self.first} {self.last[0]}." if self.last else self.first
        return self.full


def split_name(name: str) -> tuple[str, str]:
    """'Marie-Ève de la Roche' -> ('Marie-Ève', 'de la Roche'): the first word is the first name."""
    first, _, last = name.partition(" ")
    return first, last


def assign_codes(people: list[Participant]) -> None:
    """Give P01, P02 … to those without a code, in order, never reusing a code already given."""
    used = {p.code.casefold() for p in people if p.code}
    n = 0
    for p in people:
        if p.code:
            continue
        while True:
            n += 1
            code = f"P{n:02d}"
            if code.casefold() not in used:
                break
        p.code = code
        used.add(code.casefold())


def load_roster(path: Path, privacy: str, problems: Problems) -> list[Participant]:
    """Participants in roster order; duplicates, empty names and missing columns are reported by row."""
    table = read_table(path, problems, "roster", MAX_PARTICIPANTS, SPLIT_HINT)
    if table is None:
        return []
    return participants_from(table, privacy, problems)


def participants_from(table: Table, privacy: str, problems: Problems) -> list[Participant]:
    code_i = table.column(*CODE_COLUMNS)
    first_i = table.column(*FIRST_COLUMNS)
    last_i = table.column(*LAST_COLUMNS) if first_i is not None else None
    name_i = table.column(*NAME_COLUMNS) if first_i is None else None
    has_names = first_i is not None or name_i is not None
    if not has_names and not (privacy == "codes" and code_i is not None):
        problems.add(table.path, table.header_line, "the roster has no name column; expected a header row with "
                     "'first_name' and 'last_name' (or 'name'), and optionally 'code'. With 'privacy: codes' a "
                     "'code' column alone is enough")
        return []
    people: list[Participant] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        code = row.get(code_i)
        if first_i is not None:
            first, last = row.get(first_i), row.get(last_i)
        else:
            first, last = split_name(row.get(name_i))
        p = Participant(code=code, first=first, last=last, row=row.line)
        if check_not_text(table.path, row.line, p.full + p.code, problems):
            continue
        if has_names and not p.first and not (privacy == "codes" and code):
            what = "no first name" if p.full else "an empty name"
            problems.add(table.path, row.line, f"row {row.line} has {what}; write the participant's name "
                         "or delete the row")
            continue
        if not has_names and not code:
            problems.add(table.path, row.line, f"row {row.line} has an empty code; write the participant's code "
                         "or delete the row")
            continue
        key = f"code:{code.casefold()}" if code else f"name:{p.key()}"
        if key in seen:
            what = "code" if code else "name"
            problems.add(table.path, row.line, f"row {row.line} repeats the {what} of row {seen[key]}; delete the "
                         "duplicate, or give two different people different codes in a 'code' column")
            continue
        seen[key] = row.line
        if code and p.full:
            seen.setdefault(f"name:{p.key()}", row.line)
        people.append(p)
    assign_codes(people)
    return people


def blank_participants(count: int) -> list[Participant]:
    """Numbered rows for a cohort with no roster: codes 01, 02 … handed out at the first session."""
    return [Participant(code=f"{n:02d}") for n in range(1, count + 1)]
