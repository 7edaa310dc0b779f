"""A cohort session's plan: the week's agenda with clock times from the cohort's start time.

Why here: the run sheet, the fidelity checklist, its CSV template and the report must agree on the parts
of a session, their order, their planned minutes and their names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_time

from ..cohort.config import Cohort, Session
from ..model import Week

# Agenda entries with no body section of their own (``{section: break}``): named by the toolkit, translated.
NO_SECTION = ("break", "reunion")


@dataclass(frozen=True)
class Part:
    """One agenda part of a session."""

    id: str  # the section id, e.g. activity-1, or break / reunion
    label: str  # its heading as the content names it, or the toolkit's name for a break or reunion
    minutes: int
    start: dt.datetime
    end: dt.datetime

    def clock(self, locale: str) -> str:
        """'10:20 – 10:45' as the locale writes times."""
        return f"{format_time(self.start, 'short', locale=locale)} – {format_time(self.end, 'short', locale=locale)}"


def part_label(week: Week, section_id: str, texts) -> str:  # noqa: ANN001
    """The part's heading; a break or reunion without a section is named in the page's language."""
    section = week.sections.get(section_id)
    if section is not None:
        return section.heading
    if section_id == "reunion":
        return str(texts.reunion)
    if section_id == "break":
        return str(texts.break_)
    return section_id.replace("-", " ").capitalize()


def session_parts(week: Week, session: Session, texts) -> list[Part]:  # noqa: ANN001
    """The week's agenda laid on the session's clock."""
    parts, at = [], session.start
    for item in week.agenda:
        end = at + dt.timedelta(minutes=item.minutes)
        parts.append(Part(item.section, part_label(week, item.section, texts), item.minutes, at, end))
        at = end
    return parts


def planned_minutes(week: Week) -> int:
    return sum(item.minutes for item in week.agenda)


def session_of(cohort: Cohort, number: int) -> Session:
    return cohort.sessions[number - 1]
