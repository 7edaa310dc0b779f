"""The attendance record kept after the sessions: who came to which session, and what support they had.

Format (one header row, then one row per participant; columns found by name, in any order):
``participant`` (a code or a full name), one column per session whose name holds its number
(``week 1`` … ``week 6``, ``semaine 1`` …), and optionally ``childcare`` and ``transportation``:
how many sessions each was provided to that participant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from .config import SESSIONS
from .csvfile import Table, fold, read_table
from .printable import check_not_text
from .roster import MAX_PARTICIPANTS, SPLIT_HINT, Participant, assign_codes, split_name

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
STATUS_WORDS = {
    PRESENT: ("present", "p", "x", "yes", "y", "1", "presente", "oui", "o", "\u2713", "\u2714"),
    ABSENT: ("absent", "a", "no", "n", "0", "absente", "non", ""),
    EXCUSED: ("excused", "e", "exc", "excuse", "excusee"),
}
PARTICIPANT_COLUMNS = ("participant", "participante", "code", "name", "nom", "participant code", "full name")
CHILDCARE_COLUMNS = ("childcare", "child care", "garde", "garde d'enfants", "garde denfants", "halte garderie")
TRANSPORT_COLUMNS = ("transportation", "transport", "transports", "ride", "rides")
_NUMBER = re.compile(r"(?:^|\D)(\d{1,2})(?:\D|$)")


@dataclass
class Attendance:
    participant: Participant
    statuses: list[str]  # one per session, in order
    childcare: int = 0
    transportation: int = 0
    row: int = 0

    @property
    def present(self) -> int:
        return self.statuses.count(PRESENT)


@dataclass
class Record:
    path: Path
    entries: list[Attendance] = field(default_factory=list)

    def completed(self, threshold: int) -> list[Attendance]:
        return [a for a in self.entries if a.present >= threshold]


def _status(cell: str) -> str | None:
    word = fold(cell)
    return next((s for s, words in STATUS_WORDS.items() if word in words), None)


def _session_columns(table: Table) -> dict[int, int]:
    found: dict[int, int] = {}
    for i, name in enumerate(table.header):
        m = _NUMBER.search(name)
        if m and 1 <= int(m.group(1)) <= SESSIONS and int(m.group(1)) not in found:
            found[int(m.group(1))] = i
    return found


def _count(cell: str, row: int, column: str, table: Table, problems: Problems) -> int:
    if not cell:
        return 0
    if cell.isdigit() and int(cell) <= SESSIONS:
        return int(cell)
    problems.add(table.path, row, f"row {row}, column '{column}': expected the number of sessions it was "
                 f"provided, from 0 to {SESSIONS}, or an empty cell")
    return 0


def load_record(path: Path, roster: list[Participant], problems: Problems) -> Record:
    """Match each row to a roster participant (by code or full name); unknown people are newcomers."""
    record = Record(path)
    table = read_table(path, problems, "attendance record", MAX_PARTICIPANTS, SPLIT_HINT)
    if table is None:
        return record
    who = table.column(*PARTICIPANT_COLUMNS)
    sessions = _session_columns(table)
    missing = [n for n in range(1, SESSIONS + 1) if n not in sessions]
    if who is None:
        problems.add(path, table.header_line, "no 'participant' column; expected a header row such as "
                     "participant,week 1,week 2,week 3,week 4,week 5,week 6")
    if missing:
        problems.add(path, table.header_line, f"no column for session {', '.join(map(str, missing))}; expected "
                     f"one column per session named with its number, e.g. 'week {missing[0]}'")
    if who is None or missing:
        return record
    care_i = table.column(*CHILDCARE_COLUMNS)
    ride_i = table.column(*TRANSPORT_COLUMNS)
    by_code = {p.code.casefold(): p for p in roster if p.code}
    by_name = {p.key(): p for p in roster if p.full}
    seen: dict[int, int] = {}
    newcomers: list[Participant] = []
    for row in table.rows:
        ident = row.get(who)
        if not ident:
            problems.add(path, row.line, f"row {row.line} has an empty participant; write the participant's code "
                         "or name, or delete the row")
            continue
        p = by_code.get(ident.casefold()) or by_name.get(ident.casefold())
        if p is None:
            if check_not_text(path, row.line, ident, problems):
                continue
            if len(roster) + len(newcomers) >= MAX_PARTICIPANTS:
                problems.add(path, row.line, f"row {row.line} adds a participant who is not on the roster, making "
                             f"more than {MAX_PARTICIPANTS}; {SPLIT_HINT}")
                continue
            if " " not in ident and any(ch.isdigit() for ch in ident):  # a code given on the sheet
                p = Participant(code=ident, row=row.line, newcomer=True)
                by_code[ident.casefold()] = p
            else:
                first, last = split_name(ident)
                p = Participant(code="", first=first, last=last, row=row.line, newcomer=True)
                by_name[p.key()] = p
            newcomers.append(p)
        if id(p) in seen:
            problems.add(path, row.line, f"row {row.line} repeats the participant of row {seen[id(p)]}; keep one row "
                         "per participant")
            continue
        seen[id(p)] = row.line
        statuses: list[str] = []
        for n in range(1, SESSIONS + 1):
            status = _status(row.get(sessions[n]))
            if status is None:
                problems.add(path, row.line, f"row {row.line}, column '{table.header[sessions[n]]}': unknown status; "
                             "expected present, absent or excused (or P, A, E; an empty cell means absent)")
                status = ABSENT
            statuses.append(status)
        care = _count(row.get(care_i), row.line, "childcare", table, problems)
        ride = _count(row.get(ride_i), row.line, "transportation", table, problems)
        record.entries.append(Attendance(p, statuses, care, ride, row.line))
    assign_codes([*roster, *newcomers])
    for p in roster:  # on the roster but not in the record: absent throughout
        if id(p) not in seen:
            record.entries.append(Attendance(p, [ABSENT] * SESSIONS, row=0))
    order = {id(p): i for i, p in enumerate([*roster, *newcomers])}
    record.entries.sort(key=lambda a: order[id(a.participant)])
    return record
