"""The `report` output kind: a cohort's delivery report for the agency and its funder (report.pdf, report.csv).

Only counts leave this module — never a name, a participant code or a participant's words — and any count
from 1 to 4 is printed as "fewer than 5", so a small group's answers cannot be traced to a person.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_percent

from ..cohort.inputs import CohortInputs, load_inputs
from ..cohort.record import PRESENT
from ..context import Options, bundle_for
from ..errors import Problems
from ..pipeline import Target
from ..validate import Bundle
from .plan import part_label, planned_minutes
from .records import (
    ADAPTED,
    COVERED,
    DELIVERED,
    END,
    END_QUESTIONS,
    SESSION_QUESTIONS,
    SKIPPED,
    Feedback,
    Fidelity,
    load_feedback,
    load_fidelity,
)
from .render import environment, participant_texts, texts, write_csv, write_pdf
from .targets import DeliveryParams, inputs, load, out_dir, shown_weeks, target

SMALL = 5  # counts below this (but above 0) are printed as "fewer than 5"


def shown(n: int, t) -> str:  # noqa: ANN001
    """A count as it may leave the agency."""
    return str(t.fewer_than_5) if 0 < n < SMALL else str(n)


@dataclass
class WeekFidelity:
    number: int
    date: str
    parts: int
    recorded: int
    as_written: int
    minutes_used: int | None
    minutes_planned: int
    messages: int
    covered: int
    adaptations: list[tuple[str, str, str]] = field(default_factory=list)  # (part, status word, notes)


def fidelity_weeks(bundle: Bundle, inp: CohortInputs, fidelity: Fidelity, t) -> list[WeekFidelity]:  # noqa: ANN001
    content = bundle.contents[inp.cohort.variant.id]
    words = {ADAPTED: str(t.status_adapted), SKIPPED: str(t.status_skipped)}
    out = []
    for s in inp.cohort.sessions:
        week = content.weeks[s.number]
        rows = fidelity.week(s.number)
        parts = [r for r in rows if not r.item.startswith("message-")]
        msgs = [r for r in rows if r.item.startswith("message-")]
        used = [r.minutes for r in parts if r.minutes is not None]
        wf = WeekFidelity(s.number, format_date(s.date, "medium", locale=inp.cohort.locale), len(week.agenda),
                          sum(1 for r in parts if r.status), sum(1 for r in parts if r.status == DELIVERED),
                          sum(used) if used else None, planned_minutes(week), len(week.key_messages),
                          sum(1 for r in msgs if r.status == COVERED))
        for r in parts:
            if r.status in (ADAPTED, SKIPPED):
                wf.adaptations.append((part_label(week, r.item, t), words[r.status], r.notes))
        out.append(wf)
    return out


def bar_chart(rows: list[tuple[str, list[int]]], pt, t, title: str) -> tuple[str, str]:  # noqa: ANN001
    """A horizontal 100% stacked bar per row (frown, straight, smile), black-and-white safe; and its alt text."""
    width, label_w, bar_w, row_h = 560, 110, 400, 26
    height = row_h * len(rows) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Connections Sans">',
           '<defs><pattern id="h" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="3"/></pattern></defs>']
    fills = ("#1d2326", "url(#h)", "#fff")
    inks = ("#fff", "#1d2326", "#1d2326")
    alts = []
    for i, (label, counts) in enumerate(rows):
        y = 4 + i * row_h
        out.append(f'<text x="0" y="{y + 16}" font-size="12" fill="#1d2326">{_esc(label)}</text>')
        total = sum(counts)
        if total < SMALL:
            out.append(f'<text x="{label_w}" y="{y + 16}" font-size="11" fill="#4f5b60">'
                       f'{_esc(str(t.no_chart(shown(total, t))).strip())}</text>')
            alts.append(f"{label}: {str(t.no_chart(shown(total, t))).strip()}")
            continue
        x = float(label_w)
        for k, c in enumerate(counts):
            w = bar_w * c / total
            if w <= 0:
                continue
            out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{fills[k]}" '
                       'stroke="#1d2326" stroke-width="1"/>')
            if w >= 22:
                label_text = "<5" if 0 < c < SMALL else str(c)
                bg = ""
                if k == 1:  # a white patch under the number, so it reads on the stripes
                    out.append(f'<rect x="{x + w / 2 - 11:.1f}" y="{y + 5}" width="22" height="14" fill="#fff"/>')
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 16}" font-size="11" text-anchor="middle" '
                           f'fill="{inks[k]}" font-weight="700"{bg}>{_esc(label_text)}</text>')
            x += w
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}" font-size="11" fill="#4f5b60">n = {total}</text>')
        alts.append(f"{label}: " + ", ".join(f"{w} {shown(c, t)}" for w, c in zip((pt.no, pt.a_bit, pt.yes), counts,
                                                                                 strict=True)))
    out.append("</svg>")
    svg = "\n".join(out)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(), f"{title}. " + "; ".join(alts)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def counts(feedback: Feedback, session: int | str, q: int) -> list[int]:
    answers = feedback.answers(session, q)
    return [answers.count(v) for v in (1, 2, 3)]


@dataclass
class ReportData:
    inp: CohortInputs
    held: int
    attendance: list[tuple[int, str, int | None]]  # (week, date, present or None without a record)
    weeks: list[WeekFidelity]
    feedback: Feedback
    fidelity_path: Path | None
    feedback_path: Path | None


def gather(bundle: Bundle, inp: CohortInputs) -> ReportData:
    """Everything the report counts, loaded and checked (problems by file and row, then exit 1)."""
    c = inp.cohort
    t = texts(bundle.project, c)
    problems = Problems(bundle.project.root)
    weeks = bundle.contents[c.variant.id].weeks
    fidelity = load_fidelity(c.fidelity, c, weeks, t, problems) if c.fidelity else Fidelity(None)
    feedback = load_feedback(c.feedback, c, t, problems) if c.feedback else Feedback(None)
    problems.raise_if_errors("The delivery records have problems")
    attendance = []
    for i, s in enumerate(c.sessions):
        present = sum(1 for a in inp.record.entries if a.statuses[i] == PRESENT) if inp.record else None
        attendance.append((s.number, format_date(s.date, "medium", locale=c.locale), present))
    wf = fidelity_weeks(bundle, inp, fidelity, t)
    if inp.record is not None:
        held = sum(1 for _, _, p in attendance if p)
    else:
        held = sum(1 for w in wf if w.recorded) or sum(1 for s in c.sessions if feedback.forms(s.number))
    return ReportData(inp, held, attendance, wf, feedback, c.fidelity, c.feedback)


def _load(target: Target, root: Path) -> tuple[Bundle, ReportData]:
    bundle, _ = bundle_for(root)
    inp = load_inputs(bundle.project, Path(target.params.cohort), need_record=None)
    return bundle, gather(bundle, inp)


def report_pdf(target: Target, root: Path) -> None:
    """report.pdf: sessions held, attendance, fidelity, feedback charts, end-of-program feedback."""
    bundle, data = _load(target, root)
    c = data.inp.cohort
    env = environment(bundle.project, c)
    t, pt = texts(bundle.project, c), participant_texts(env)
    questions = [pt.q1, pt.q2, pt.q3, pt.q4]
    charts = []
    for q, text in enumerate(questions):
        rows = [(f"{t.week_label} {s.number}", counts(data.feedback, s.number, q)) for s in c.sessions]
        uri, alt = bar_chart(rows, pt, t, str(text))
        charts.append({"question": text, "uri": uri, "alt": alt})
    end_rows = [(f"{i + 1}.", counts(data.feedback, END, i)) for i in range(END_QUESTIONS)]
    end_uri, end_alt = bar_chart(end_rows, pt, t, str(t.end_heading))
    loc = c.locale

    def pct(a: int, b: int) -> str:
        return format_percent(a / b, locale=loc) if b else "–"

    context = dict(
        cohort=c, agency=data.inp.agency_name, author=data.inp.agency_name, paper=c.paper, t=t, pt=pt,
        footer=f"{t.report_title} · {c.name}",
        first=format_date(c.sessions[0].date, "long", locale=loc), last=format_date(c.sessions[-1].date, "long",
                                                                                     locale=loc),
        held=data.held, total=len(c.sessions),
        attendance=[(n, d, "–" if p is None else shown(p, t)) for n, d, p in data.attendance],
        weeks=data.weeks, pct=pct, charts=charts, end_questions=[pt.e1, pt.e2, pt.e3],
        end_chart={"uri": end_uri, "alt": end_alt}, end_forms=shown(data.feedback.forms(END), t),
        forms=[(s.number, shown(data.feedback.forms(s.number), t)) for s in c.sessions],
        has_fidelity=data.fidelity_path is not None, has_feedback=data.feedback_path is not None,
        faces=True,
    )
    write_pdf(bundle, target, "delivery/report.html", context, f"{t.report_title} · {c.name}", c.lang,
              c.revised.isoformat(), env=env)


def report_csv(target: Target, root: Path) -> None:
    """report.csv: one 'section, week, measure, value' row per number in the report, small counts suppressed."""
    bundle, data = _load(target, root)
    c = data.inp.cohort
    t = texts(bundle.project, c)
    pt = participant_texts(environment(bundle.project, c))
    rows: list[list[str]] = [[t.col_section, t.col_week, t.measure, t.value]]
    if c.ocap:
        rows.append(["OCAP®", "", str(t.ocap_note).strip(), ""])
    rows.append([t.s_sessions, "", t.m_sessions_held, str(data.held)])
    for n, _, p in data.attendance:
        if p is not None:
            rows.append([t.s_attendance, str(n), t.m_present, shown(p, t)])
    for w in data.weeks:
        if not w.recorded:
            continue
        rows += [[t.s_fidelity, str(w.number), t.m_parts, str(w.parts)],
                 [t.s_fidelity, str(w.number), t.m_parts_as_written, str(w.as_written)],
                 [t.s_fidelity, str(w.number), t.m_minutes_planned, str(w.minutes_planned)],
                 [t.s_fidelity, str(w.number), t.m_minutes_used, "" if w.minutes_used is None else str(w.minutes_used)],
                 [t.s_fidelity, str(w.number), t.m_messages, f"{w.covered}/{w.messages}"]]
    labels = (pt.no, pt.a_bit, pt.yes)
    for s in c.sessions:
        forms = data.feedback.forms(s.number)
        if not forms:
            continue
        rows.append([t.s_feedback, str(s.number), t.m_forms, shown(forms, t)])
        for q in range(SESSION_QUESTIONS):
            for label, k in zip(labels, counts(data.feedback, s.number, q), strict=True):
                rows.append([t.s_feedback, str(s.number), f"q{q + 1} · {label}", shown(k, t)])
    if data.feedback.forms(END):
        rows.append([t.s_end, "", t.m_forms, shown(data.feedback.forms(END), t)])
        for q in range(END_QUESTIONS):
            for label, k in zip(labels, counts(data.feedback, END, q), strict=True):
                rows.append([t.s_end, "", f"q{q + 1} · {label}", shown(k, t)])
    write_csv(target.output, [[str(x) for x in r] for r in rows])


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    """report.pdf and report.csv, from the attendance record, fidelity.csv and feedback.csv the cohort file names."""
    inp = load(bundle, opts)
    if inp is None:
        return []
    c = inp.cohort
    sample = opts.cohort == bundle.project.sample_cohort.resolve()
    if sample and not (c.fidelity or c.feedback or c.attendance):
        return []
    gather(bundle, load_inputs(bundle.project, c.path, need_record=None))  # report bad records before building
    files = inputs(bundle, inp, c.attendance, c.fidelity, c.feedback, *([inp.cohort.roster] if c.roster else []))
    out = out_dir(opts, inp)
    params = DeliveryParams(str(c.path), c.paper)
    weeks = shown_weeks(bundle, inp)
    return [target("report", inp, out / "report.pdf", report_pdf, params, files, 2, weeks),
            target("report", inp, out / "report.csv", report_csv, params, files, 0, weeks)]

