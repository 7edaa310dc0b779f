"""The cohort file: one delivery of the program, read and checked with line numbers.

Why strict: an agency edits this file by hand and prints what comes out; a holiday on the wrong
day or a misspelt time zone must be caught here, with the line to fix, not found on paper.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import schema
from ..context import PAPERS
from ..errors import Problems, UserError
from ..loader import load_variant_config, read_yaml_file
from ..model import WEEKS, Variant
from ..project import Project
from ..schema import Field

SESSIONS = len(WEEKS)
PRIVACY_MODES = ("full", "initials", "codes")
CADENCES = {"weekly": 7, "every-2-weeks": 14}
DEFAULT_TIMEZONE = "America/Toronto"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")


def _any(v: object) -> str | None:
    return None


def _is_time(v: object) -> str | None:
    # YAML 1.1 reads an unquoted 18:00 as the number 1080 (minutes); both forms are accepted.
    if isinstance(v, int) and not isinstance(v, bool) and 60 <= v < 24 * 60:
        return None
    if isinstance(v, str) and _TIME.match(v.strip()):
        return None
    return 'a time written "HH:MM" in quotes, e.g. "10:00"'


def _is_date_list(v: object) -> str | None:
    if isinstance(v, list) and all(isinstance(d, dt.date) for d in v):
        return None
    return "a list of dates written YYYY-MM-DD, e.g. [2027-03-16]"


def _is_count(v: object) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else "a whole number, 0 or more"


COHORT_FIELDS: dict[str, Field] = {
    "id": Field(schema._is_str, hint="lowercase letters, digits and hyphens, e.g. riverside-2027-spring"),
    "name": Field(schema._is_str, required=False),
    "variant": Field(schema._is_str, hint="a folder of content/, e.g. en, fr or indigenous"),
    "agency": Field(schema._is_str, required=False, hint="the name printed on the sheets; default: agency.yml"),
    "facilitators": Field(schema._is_str_list),
    "location": Field(schema._is_str),
    "first_session": Field(schema._is_date),
    "start_time": Field(_is_time),
    "duration": Field(schema._is_int, required=False, hint="minutes, e.g. 120"),
    "timezone": Field(schema._is_str, required=False, hint="e.g. America/Toronto, America/Winnipeg"),
    "cadence": Field(schema._is_str, required=False, hint="weekly or every-2-weeks"),
    "skip": Field(_is_date_list, required=False),
    "roster": Field(schema._is_str, required=False, hint="a CSV file beside the cohort file, e.g. roster.csv"),
    "blank_rows": Field(_is_count, required=False),
    "spare_rows": Field(_is_count, required=False),
    "privacy": Field(schema._is_str, required=False, hint="full, initials or codes"),
    "threshold": Field(schema._is_int, required=False, hint=f"sessions needed for a certificate, 1 to {SESSIONS}"),
    "attendance": Field(schema._is_str, required=False, hint="the attendance record CSV, e.g. attendance.csv"),
    "paper": Field(schema._is_str, required=False, hint="letter or a4, for certificates and the summary"),
    "discreet_calendar": Field(schema._is_bool, required=False),
    "revised": Field(schema._is_date, required=False),
    "fidelity": Field(schema._is_str, required=False, hint="the fidelity record CSV, e.g. fidelity.csv"),
    "feedback": Field(schema._is_str, required=False, hint="the participants' feedback CSV, e.g. feedback.csv"),
    "ocap": Field(schema._is_bool, required=False),
}


@dataclass(frozen=True)
class Session:
    number: int  # the program week, 1 to 6
    start: dt.datetime  # aware, in the cohort's time zone
    end: dt.datetime

    @property
    def date(self) -> dt.date:
        return self.start.date()


@dataclass
class Cohort:
    """A validated cohort file with its sessions worked out."""

    path: Path
    id: str
    name: str
    variant: Variant
    agency: str | None
    facilitators: list[str]
    location: str
    first_session: dt.date
    start_time: dt.time
    duration: int
    timezone: str
    cadence: str
    skip: list[dt.date]
    roster: Path | None
    blank_rows: int
    spare_rows: int
    privacy: str
    threshold: int
    attendance: Path | None
    paper: str
    discreet_calendar: bool
    revised: dt.date
    sessions: list[Session] = field(default_factory=list)
    fidelity: Path | None = None  # delivery report: the fidelity record CSV
    feedback: Path | None = None  # delivery report: the participants' feedback CSV
    ocap: bool = False  # the community holds its data under OCAP® principles

    @property
    def locale(self) -> str:
        return self.variant.locale

    @property
    def lang(self) -> str:
        return self.variant.lang


def parse_time(v: int | str) -> dt.time:
    if isinstance(v, int):
        return dt.time(v // 60, v % 60)
    m = _TIME.match(v.strip())
    assert m  # checked by _is_time
    return dt.time(int(m.group(1)), int(m.group(2)))


def session_dates(first: dt.date, step_days: int, skip: set[dt.date], count: int = SESSIONS) -> list[dt.date]:
    """Meeting dates: every ``step_days`` from ``first``, passing over skipped dates without counting them."""
    dates: list[dt.date] = []
    d = first
    while len(dates) < count:
        if d not in skip:
            dates.append(d)
        d += dt.timedelta(days=step_days)
    return dates


def make_sessions(dates: list[dt.date], start: dt.time, minutes: int, tz: str) -> list[Session]:
    zone = ZoneInfo(tz)
    out = []
    for n, d in enumerate(dates, start=1):
        begin = dt.datetime.combine(d, start, tzinfo=zone)
        out.append(Session(n, begin, begin + dt.timedelta(minutes=minutes)))
    return out


def _resolve(base: Path, name: str) -> Path:
    return (base / name).expanduser().resolve()


def load_cohort(path: Path, project: Project) -> Cohort:
    """Read and check a cohort file; raise UserError listing every problem with its line."""
    path = path.expanduser().resolve()
    problems = Problems(project.root)
    if not path.is_file():
        raise UserError(f"{problems.rel(path)}: no such cohort file; copy cohorts/sample/cohort.yml and edit it")
    loc = read_yaml_file(path, problems)
    problems.raise_if_errors("The cohort file has problems")
    assert loc is not None
    data = schema.check_mapping(loc, loc.data, COHORT_FIELDS, path, problems, what="cohort file")
    if data is None:
        problems.raise_if_errors("The cohort file has problems")
    assert data is not None
    # Fields with a wrong type were reported and left out of ``data``; check the rest so every problem shows at once.

    def bad(key: str, message: str, index: int | None = None) -> None:
        line = loc.line(key) if index is None else loc.line(key, index)
        problems.add(path, line, message)

    cid = data.get("id", "cohort").strip()
    if not _ID.match(cid):
        bad("id", f"the id '{cid}' names the output folder; use lowercase letters, digits and hyphens, "
            "e.g. riverside-2027-spring")
    variant = None
    vname = data.get("variant", "")
    vdir = project.content / vname
    if vname and ("/" in vname or vname.startswith(".") or not (vdir / "variant.yml").is_file()):
        known = ", ".join(d.name for d in project.variant_dirs())
        bad("variant", f"no variant '{vname}'; expected one of: {known}")
    elif vname:
        variant = load_variant_config(vdir, problems)
    tz = data.get("timezone", DEFAULT_TIMEZONE).strip()
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        bad("timezone", f"unknown time zone '{tz}'; use a name such as America/Toronto, America/Winnipeg, "
            "America/Edmonton, America/Vancouver, America/Halifax or America/St_Johns")
        tz = DEFAULT_TIMEZONE
    cadence = data.get("cadence", "weekly").strip()
    if cadence not in CADENCES:
        bad("cadence", f"cadence should be one of {', '.join(CADENCES)}, not '{cadence}'")
        cadence = "weekly"
    privacy = data.get("privacy", "initials").strip()
    if privacy not in PRIVACY_MODES:
        bad("privacy", f"privacy should be one of {', '.join(PRIVACY_MODES)}, not '{privacy}' (full: whole names; "
            "initials: first name and last initial; codes: participant codes only)")
    threshold = data.get("threshold", SESSIONS - 1)
    if not 1 <= threshold <= SESSIONS:
        bad("threshold", f"threshold should be a number of sessions from 1 to {SESSIONS}, not {threshold}")
    paper = data.get("paper", "letter").strip().lower()
    if paper not in PAPERS:
        bad("paper", f"paper should be one of {', '.join(PAPERS)}, not '{paper}'")
    roster = _resolve(path.parent, data["roster"]) if "roster" in data else None
    if roster is not None and not roster.is_file():
        bad("roster", f"roster file '{data['roster']}' not found next to the cohort file; check the name, or use "
            "'blank_rows: N' to print N empty rows instead")
    if roster is not None and "blank_rows" in data:
        bad("blank_rows", "give either 'roster' (a CSV of participants) or 'blank_rows' (empty rows), not both")
    if roster is None and "blank_rows" not in data:
        problems.add(path, loc.line(), "missing 'roster: roster.csv' (a CSV of participants) or 'blank_rows: N' "
                     "(N empty rows to fill in by hand)")
    attendance = _resolve(path.parent, data["attendance"]) if "attendance" in data else None
    if attendance is not None and not attendance.is_file():
        bad("attendance", f"attendance record '{data['attendance']}' not found next to the cohort file")
    first = data.get("first_session", dt.date(2000, 1, 1))
    skip = list(data.get("skip") or [])
    planned = session_dates(first, CADENCES[cadence], set(skip))
    for i, d in enumerate(skip if "first_session" in data else []):
        if d < first or (d - first).days % CADENCES[cadence] or d > planned[-1]:
            weekday = first.strftime("%A")
            bad("skip", f"skipped date {d.isoformat()} is not a session day of this cohort (sessions fall on a "
                f"{weekday}, {cadence}, from {first.isoformat()} to {planned[-1].isoformat()}); fix or remove it", i)
    problems.raise_if_errors("The cohort file has problems")
    assert variant is not None
    start = parse_time(data["start_time"])
    duration = data.get("duration", 120)
    return Cohort(
        path=path, id=cid, name=data.get("name", cid).strip(), variant=variant, agency=data.get("agency"),
        facilitators=[f.strip() for f in data["facilitators"]], location=data["location"].strip(),
        first_session=first, start_time=start, duration=duration, timezone=tz, cadence=cadence, skip=skip,
        roster=roster, blank_rows=data.get("blank_rows", 0), spare_rows=data.get("spare_rows", 5),
        privacy=privacy, threshold=threshold, attendance=attendance, paper=paper,
        discreet_calendar=data.get("discreet_calendar", True), revised=data.get("revised", first),
        sessions=make_sessions(planned, start, duration, tz),
        fidelity=_resolve(path.parent, data["fidelity"]) if "fidelity" in data else None,
        feedback=_resolve(path.parent, data["feedback"]) if "feedback" in data else None,
        ocap=data.get("ocap", False),
    )
