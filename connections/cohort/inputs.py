"""Everything one cohort document is made from, loaded and checked together.

Why together: the collector checks it all before anything is written (one message listing every
problem, with file and row), and each worker loads the same thing again for the document it renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems, UserError
from ..loader import load_agency
from ..project import Project
from .config import SESSIONS, Cohort, load_cohort
from .printable import check_fonts
from .record import Record, load_record
from .redact import private_errors
from .roster import MAX_PARTICIPANTS, SPLIT_HINT, Participant, blank_participants, load_roster


@dataclass
class CohortInputs:
    project: Project
    cohort: Cohort
    agency_name: str
    participants: list[Participant]  # the roster, in order; empty for a cohort printed with blank rows
    record: Record | None
    threshold: int
    logo: Path | None = None  # the agency's logo from agency.yml, printed on certificates

    @property
    def codes(self) -> list[str]:
        """Codes on the sign-in sheets: roster codes, or 01 … N for blank rows."""
        people = self.participants or blank_participants(self.cohort.blank_rows)
        return [p.code for p in people]


def check_threshold(threshold: int | None) -> None:
    if threshold is not None and not 1 <= threshold <= SESSIONS:
        raise UserError(f"--threshold should be a number of sessions from 1 to {SESSIONS}, not {threshold}")


def _line_of(path: Path, key: str) -> int:
    """The line where ``key:`` is set in a YAML file (0 if not found), for a message about its value."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 0)


def check_sizes(cohort: Cohort, problems: Problems) -> None:
    """Blank and spare rows are rows of the attendance sheet: a group's size bounds them too."""
    for key, value in (("blank_rows", cohort.blank_rows), ("spare_rows", cohort.spare_rows)):
        if value > MAX_PARTICIPANTS:
            problems.add(cohort.path, _line_of(cohort.path, key), f"'{key}: {value}' is more rows than a group "
                         f"can need; write a number from 0 to {MAX_PARTICIPANTS} ({SPLIT_HINT})")


def _printed_texts(cohort: Cohort, roster: list[Participant], record: Record | None) -> list[tuple[str, Path, int]]:
    """Every participant text the paperwork prints (as the privacy mode prints it), with its file and row.

    Why as printed: with ``privacy: codes`` no name reaches the paper, so a name in a script the bundled
    fonts lack is no reason to refuse the roster.
    """
    def text(p: Participant) -> str:
        return f"{p.printed(cohort.privacy)} {p.code}"

    out = [(text(p), cohort.roster, p.row) for p in roster] if cohort.roster is not None else []
    if record is not None:
        out += [(text(a.participant), record.path, a.participant.row) for a in record.entries if a.participant.newcomer]
    return out


@private_errors
def load_inputs(project: Project, cohort_path: Path, attendance: Path | None = None,
                threshold: int | None = None, need_record: bool | None = False) -> CohortInputs:
    """Load the cohort file, agency, roster and the attendance record; raise UserError listing the problems.

    ``need_record``: True requires the record, None reads it only when the cohort file names one.
    """
    cohort = load_cohort(cohort_path, project)
    check_threshold(threshold)
    problems = Problems(project.root)
    check_sizes(cohort, problems)
    problems.raise_if_errors("The cohort file has problems")
    agency = load_agency(project.agency_yml, problems, cohort.lang)
    problems.raise_if_errors("The agency configuration has problems")
    roster = load_roster(cohort.roster, cohort.privacy, problems) if cohort.roster else []
    problems.raise_if_errors("The roster has problems")
    record = None
    if need_record is None:
        need_record = attendance is not None or cohort.attendance is not None
    if need_record:
        path = attendance.expanduser().resolve() if attendance else cohort.attendance
        if path is None:
            raise UserError(f"{problems.rel(cohort.path)}: certificates need the attendance record; pass "
                            "--attendance FILE or add 'attendance: attendance.csv' to the cohort file")
        if not path.is_file():
            raise UserError(f"{problems.rel(path)}: no such attendance record; check the path")
        record = load_record(path, roster, problems)
        problems.raise_if_errors("The attendance record has problems")
    check_fonts(project, _printed_texts(cohort, roster, record), problems)
    problems.raise_if_errors("Some names cannot be printed")
    name = cohort.agency or (agency.name if agency else "")
    return CohortInputs(project, cohort, name.strip(), roster, record, threshold or cohort.threshold,
                        agency.logo if agency else None)
