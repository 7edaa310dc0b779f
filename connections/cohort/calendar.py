"""sessions.ics: one event per session, in local time with its time zone, the same bytes on every build.

Why discreet by default: participants may add these events to a phone someone else looks at, so
titles say "Group session 2 of 6" unless the cohort file sets ``discreet_calendar: false``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ..pipeline import Target, write_atomic
from .documents import load_target, texts
from .inputs import CohortInputs
from .redact import private_errors

if TYPE_CHECKING:
    from ..context import Options
    from ..validate import Bundle

# Neutral: a calendar on a shared phone should not name the program in its hidden fields either.
PRODID = "-//Group sessions//Calendar//EN"


def event_uid(inp: CohortInputs, number: int) -> str:
    """Stable across rebuilds and edits of the dates, so calendars update an event instead of adding one."""
    seed = f"{inp.agency_name}\n{inp.cohort.id}\n{number}".encode()
    return f"{hashlib.sha256(seed).hexdigest()[:24]}-session-{number}@group-sessions"


def build_calendar(inp: CohortInputs, texts, week_titles: tuple[str, ...]) -> Calendar:
    c = inp.cohort
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", c.name)
    cal.add("x-wr-timezone", c.timezone)
    first, last = c.sessions[0].date, c.sessions[-1].date
    cal.add_component(Timezone.from_tzinfo(ZoneInfo(c.timezone), tzid=c.timezone,
                                           first_date=dt.date(first.year, 1, 1),
                                           last_date=dt.date(last.year + 1, 1, 1)))
    stamp = dt.datetime.combine(c.revised, dt.time(0, 0), tzinfo=dt.UTC)
    total = len(c.sessions)
    for s in c.sessions:
        if c.discreet_calendar:
            title = texts.event_title(s.number, total)
        elif s.number <= len(week_titles) and week_titles[s.number - 1]:
            title = texts.event_title_full(texts.program, s.number, week_titles[s.number - 1])
        else:
            title = texts.event_title_program(texts.program, s.number)
        ev = Event()
        ev.add("uid", event_uid(inp, s.number))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", s.start)
        ev.add("dtend", s.end)
        ev.add("summary", str(title).strip())
        ev.add("location", c.location)
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    return cal


@private_errors
def sessions_ics(target: Target, root: Path) -> None:
    inp = load_target(target, root)
    cal = build_calendar(inp, texts(inp), target.params.weeks)
    write_atomic(target.output, cal.to_ical())


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    """The `calendar` output kind: sessions.ics."""
    from .targets import calendar_targets

    return calendar_targets(bundle, opts)
