"""Counts after the sessions: attendance per session, completion, childcare and transportation.

Only numbers leave this module — no name or code — so the summary can be shared with funders.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..i18n import format_date
from ..pipeline import Target, write_atomic
from .config import Cohort
from .documents import load_target, texts
from .inputs import CohortInputs
from .record import ABSENT, EXCUSED, PRESENT
from .redact import private_errors


@dataclass
class SessionCount:
    number: int
    present: int
    excused: int
    absent: int


@dataclass
class Summary:
    sessions: list[SessionCount]
    enrolled: int
    completed: int
    threshold: int
    childcare_people: int
    childcare_sessions: int
    transport_people: int
    transport_sessions: int

    @property
    def rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0


def summarize(inp: CohortInputs) -> Summary:
    assert inp.record is not None
    entries = inp.record.entries
    counts = []
    for i, s in enumerate(inp.cohort.sessions):
        statuses = [a.statuses[i] for a in entries]
        counts.append(SessionCount(s.number, statuses.count(PRESENT), statuses.count(EXCUSED), statuses.count(ABSENT)))
    return Summary(
        sessions=counts,
        enrolled=len(entries),
        completed=len(inp.record.completed(inp.threshold)),
        threshold=inp.threshold,
        childcare_people=sum(1 for a in entries if a.childcare),
        childcare_sessions=sum(a.childcare for a in entries),
        transport_people=sum(1 for a in entries if a.transportation),
        transport_sessions=sum(a.transportation for a in entries),
    )


def session_rows(texts, summary: Summary, cohort: Cohort) -> list[list[str]]:
    """summary.csv: one table, a row per session (a spreadsheet can sort, filter and chart it as it is)."""
    rows = [[texts.week, texts.date, texts.present, texts.excused, texts.absent]]
    for s, session in zip(summary.sessions, cohort.sessions, strict=True):
        rows.append([str(s.number), session.date.isoformat(), str(s.present), str(s.excused), str(s.absent)])
    return rows


def total_rows(texts, summary: Summary) -> list[list[str]]:
    """summary-totals.csv: one table of 'measure, value' rows for the whole group."""
    return [
        [texts.measure, texts.value],
        [texts.participants, str(summary.enrolled)],
        [str(texts.completed_label(summary.threshold, len(summary.sessions))), str(summary.completed)],
        [texts.completion_rate, f"{round(summary.rate * 100)}%"],
        [texts.childcare_people, str(summary.childcare_people)],
        [texts.childcare_sessions, str(summary.childcare_sessions)],
        [texts.transport_people, str(summary.transport_people)],
        [texts.transport_sessions, str(summary.transport_sessions)],
    ]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    """UTF-8 with a BOM, so Excel shows French accents right."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))


@private_errors
def summary_csv(target: Target, root: Path) -> None:
    """Renderer: summary.csv, present, excused and absent per session."""
    inp = load_target(target, root)
    _write_csv(target.output, session_rows(texts(inp), summarize(inp), inp.cohort))


@private_errors
def totals_csv(target: Target, root: Path) -> None:
    """Renderer: summary-totals.csv, the group's totals (participants, completion, childcare, transportation)."""
    inp = load_target(target, root)
    _write_csv(target.output, total_rows(texts(inp), summarize(inp)))


def chart_svg(env: jinja2.Environment, texts, summary: Summary, cohort: Cohort) -> tuple[str, str]:
    """A bar chart of the participants present at each session, and its text alternative."""
    width, height, left, top = 560, 260, 40, 24
    base = height - 40
    top_value = max([s.present for s in summary.sessions] + [summary.enrolled, 1])
    # At most 6 ticks: 1, 2, 5, 10, 20, 50 … (any group size, so no count ever runs off the scale).
    step = 1
    while top_value / step > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    scale_max = step * -(-top_value // step)

    def y(v: int) -> float:
        return base - (base - top) * v / scale_max

    slot = (width - 10 - left) / len(summary.sessions)
    bars = []
    for s, session in zip(summary.sessions, cohort.sessions, strict=True):
        x = left + slot * (s.number - 1) + slot * 0.2
        bars.append({"x": round(x, 1), "y": round(y(s.present), 1), "w": round(slot * 0.6, 1),
                     "h": round(base - y(s.present), 1), "value": s.present,
                     "label": f"{texts.week} {s.number}",
                     "date": format_date(session.date, "d MMM", locale=cohort.locale)})
    ticks = [{"y": round(y(v), 1), "value": v} for v in range(0, scale_max + 1, step)]
    counts = ", ".join(f"{texts.week} {s.number}: {s.present}" for s in summary.sessions)
    alt = str(texts.chart_alt(counts)).strip()
    svg = env.get_template("cohort/chart.svg.j2").render(
        width=width, height=height, left=left, base=base, bars=bars, ticks=ticks, title=texts.chart_title, alt=alt)
    return svg, alt
