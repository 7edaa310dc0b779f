"""The cohort file: one delivery of the program, read and checked with line numbers.

Why strict: an agency edits this file by hand and prints what comes out; a holiday on the wrong
day or a misspelt time zone must be caught here, with the line to fix, not found on paper.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import config_options as co
from ..context import PAPERS
from ..errors import Problems, UserError
from ..loader import load_variant_config, read_yaml_file
from ..model import WEEKS, Variant
from ..project import Project

SESSIONS = len(WEEKS)
PRIVACY_MODES = ("full", "initials", "codes")
CADENCES = {"weekly": 7, "every-2-weeks": 14}
DEFAULT_TIMEZONE = "America/Toronto"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


MAX_DURATION = 600  # minutes: a session is a morning, an afternoon or an evening, never a day


COHORT_OPTIONS: dict[str, co.Option] = {
    "id": co.Text(required=True, hint="lowercase letters, digits and hyphens, e.g. riverside-2027-spring"),
    "name": co.Text(),
    "variant": co.Text(required=True, hint="a folder of content/, e.g. en, fr or indigenous"),
    "agency": co.Text(hint="the name printed on the sheets; default: agency.yml"),
    "facilitators": co.ListOf(co.Text(), min_items=1, expected="a list of one or more texts (one '- item' per line)"),
    "location": co.Text(required=True),
    "first_session": co.Date(required=True),
    "start_time": co.Time(required=True),
    "duration": co.Integer(30, MAX_DURATION, unit="minutes", hint="the session length, e.g. 120"),
    "timezone": co.TimeZone(),
    "cadence": co.Choice(tuple(CADENCES)),
    "skip": co.ListOf(co.Date(), expected="a list of dates written YYYY-MM-DD, e.g. [2027-03-16]"),
    "roster": co.File(what="roster file", missing="{what} '{value}' not found next to the cohort file; check the "
                      "name, or use 'blank_rows: N' to print N empty rows instead"),
    "blank_rows": co.Integer(0, 200),
    "spare_rows": co.Integer(0, 200),
    "privacy": co.Choice(PRIVACY_MODES, explain="full: whole names; initials: first name and last initial; "
                         "codes: participant codes only"),
    "threshold": co.Integer(1, SESSIONS, hint=f"sessions needed for a certificate, 1 to {SESSIONS}"),
    "attendance": co.File(what="attendance record", missing="{what} '{value}' not found next to the cohort file"),
    "paper": co.Choice(PAPERS),
    "discreet_calendar": co.Boolean(),
    "revised": co.Date(),
    "fidelity": co.File(what="fidelity record", may_be_missing=True),  # filled in as the sessions go
    "feedback": co.File(what="feedback record", may_be_missing=True),
    "ocap": co.Boolean(),
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


def load_cohort(path: Path, project: Project) -> Cohort:
    """Read and check a cohort file; raise UserError listing every problem with its line."""
    path = path.expanduser().resolve()
    problems = Problems(project.root)
    if not path.is_file():
        raise UserError(f"{problems.rel(path)}: no such cohort file; copy cohorts/sample/cohort.yml and edit it")
    loc = read_yaml_file(path, problems)
    problems.raise_if_errors("The cohort file has problems")
    assert loc is not None
    data = co.validate(COHORT_OPTIONS, co.Context(path, loc, problems, project.root), "cohort file")
    if data is None:
        problems.raise_if_errors("The cohort file has problems")
    assert data is not None
    # Fields with a wrong value were reported and left out of ``data``; check the rest so every problem shows at once.

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
    if vname and ("/" in vname or "\\" in vname or vname.startswith(".") or co.path_problem(vname)
                  or not (vdir / "variant.yml").is_file()):
        known = ", ".join(d.name for d in project.variant_dirs())
        bad("variant", f"no variant {vname!r}; expected one of: {known}")
    elif vname:
        variant = load_variant_config(vdir, problems)
    tz = data.get("timezone", DEFAULT_TIMEZONE)
    cadence = data.get("cadence", "weekly")
    privacy = data.get("privacy", "initials")
    threshold = data.get("threshold", SESSIONS - 1)
    paper = data.get("paper", "letter")
    roster = data.get("roster")
    if "roster" in loc.data and "blank_rows" in loc.data:
        bad("blank_rows", "give either 'roster' (a CSV of participants) or 'blank_rows' (empty rows), not both")
    if "roster" not in loc.data and "blank_rows" not in loc.data:
        problems.add(path, loc.line(), "missing 'roster: roster.csv' (a CSV of participants) or 'blank_rows: N' "
                     "(N empty rows to fill in by hand)")
    attendance = data.get("attendance")
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
    start = data["start_time"]
    duration = data.get("duration", 120)
    return Cohort(
        path=path, id=cid, name=data.get("name", cid).strip(), variant=variant, agency=data.get("agency"),
        facilitators=[f.strip() for f in data["facilitators"]], location=data["location"].strip(),
        first_session=first, start_time=start, duration=duration, timezone=tz, cadence=cadence, skip=skip,
        roster=roster, blank_rows=data.get("blank_rows", 0), spare_rows=data.get("spare_rows", 5),
        privacy=privacy, threshold=threshold, attendance=attendance, paper=paper,
        discreet_calendar=data.get("discreet_calendar", True), revised=data.get("revised", first),
        sessions=make_sessions(planned, start, duration, tz),
        fidelity=data.get("fidelity"),
        feedback=data.get("feedback"),
        ocap=data.get("ocap", False),
    )
