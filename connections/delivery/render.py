"""Render the delivery tools of a cohort in a worker: run sheets, fidelity checklists, feedback forms and
their CSV templates.

Nothing here reads the roster: run sheets name the facilitators only, and feedback forms name no one.
"""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date, format_time

from ..cohort.config import Cohort
from ..cohort.inputs import load_inputs
from ..context import bundle_for
from ..discreet import mentions_sensitive
from ..errors import UserError
from ..files import write_atomic
from ..markdown_render import render_inline
from ..pdf import common
from ..pdf.engine import render_pdf
from ..pipeline import Target
from ..project import Project
from ..validate import Bundle
from .plan import Part, session_parts

CSS = ("delivery.css",)


@dataclass
class SessionView:
    number: int
    title: str
    date_text: str
    short_date: str
    time_range: str
    parts: list[Part]
    clocks: list[str]
    key_messages: list
    materials: list
    last: bool


def environment(project: Project, cohort: Cohort):  # noqa: ANN201
    """The variant's Jinja2 environment (pdf/common: Babel, css_string, css_counters)."""
    return with_faces(common.environment(project, cohort.variant))


def with_faces(env):  # noqa: ANN001, ANN201
    """The environment with ``face_uri(kind)``: a face of the scale as an SVG data URI (1 frown … 3 smile)."""
    if "face_uri" not in env.globals:
        def face_uri(kind: int) -> str:
            svg = env.get_template("delivery/face.svg.j2").render(kind=kind)
            return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        env.globals["face_uri"] = face_uri
    return env


def texts(project: Project, cohort: Cohort):  # noqa: ANN201
    return environment(project, cohort).get_template("delivery/texts.txt").module


def participant_texts(env):  # noqa: ANN001, ANN201
    return env.get_template("delivery/participant.txt").module


def stylesheets(project: Project, large_print: bool = False) -> list[Path]:
    sheets = common.stylesheets(project, large_print=large_print)
    extra = project.templates / "delivery" / "delivery.css"
    return [*sheets[:2], extra, *sheets[2:]]


def cohort_bundle(target: Target, root: Path) -> tuple[Bundle, Cohort, str]:
    bundle, _ = bundle_for(root)
    inp = load_inputs(bundle.project, Path(target.params.cohort))
    return bundle, inp.cohort, inp.agency_name


def session_views(bundle: Bundle, cohort: Cohort) -> list[SessionView]:
    """Each cohort session with its week's agenda on the clock, key messages and materials."""
    content = bundle.contents.get(cohort.variant.id)
    if content is None:
        raise UserError(f"variant '{cohort.variant.id}' has no content to plan sessions from")
    t = texts(bundle.project, cohort)
    values = bundle.agency.placeholders() if bundle.agency else {}
    loc, lang = cohort.locale, cohort.lang
    out = []
    for s in cohort.sessions:
        week = content.weeks[s.number]
        parts = session_parts(week, s, t)
        out.append(SessionView(
            number=s.number, title=week.title,
            date_text=format_date(s.date, "full", locale=loc),
            short_date=format_date(s.date, "long", locale=loc),
            time_range=f"{format_time(s.start, 'short', locale=loc)} – {format_time(s.end, 'short', locale=loc)}",
            parts=parts, clocks=[p.clock(loc) for p in parts],
            key_messages=[render_inline(m, placeholders=values, lang=lang) for m in week.key_messages],
            materials=[render_inline(m, placeholders=values, lang=lang) for m in week.materials],
            last=s.number == len(cohort.sessions),
        ))
    return out


def write_pdf(bundle: Bundle, target: Target, template: str, context: dict, title: str, lang: str,
              source_date: str, large_print: bool = False, env=None) -> None:  # noqa: ANN001
    project = bundle.project
    html = env.get_template(template).render(doc_title=title, lang=lang, large_print=large_print, **context)
    data = render_pdf(html, base=project.templates / "delivery", root=project.root,
                      stylesheets=stylesheets(project, large_print), title=title, lang=lang,
                      source_date=source_date, sources=[project.agency_yml])
    write_atomic(target.output, data)


def _cohort_pdf(target: Target, root: Path, template: str, title_key: str, **extra) -> None:
    bundle, cohort, agency = cohort_bundle(target, root)
    env = environment(bundle.project, cohort)
    t = texts(bundle.project, cohort)
    local, national = common.help_lines(bundle.agency, cohort.variant, discreet=False)
    views = session_views(bundle, cohort)
    for v in views:  # the template prints the clock next to each part
        v.parts = [_ClockPart(p, c) for p, c in zip(v.parts, v.clocks, strict=True)]  # type: ignore[misc]
    title = f"{getattr(t, title_key)} · {cohort.name}"
    context = dict(sessions=views, cohort=cohort, agency=agency, texts=t, local_lines=local,
                   national_lines=national, paper=target.params.paper, author=agency,
                   footer=f"{cohort.name} · {agency}", **extra)
    write_pdf(bundle, target, template, context, title, cohort.lang, cohort.revised.isoformat(), env=env)


@dataclass
class _ClockPart:
    part: Part
    clock: str

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.part, name)


def runsheets_pdf(target: Target, root: Path) -> None:
    """runsheets-<paper>.pdf: one page per session."""
    _cohort_pdf(target, root, "delivery/runsheets.html", "runsheets_title")


def fidelity_pdf(target: Target, root: Path) -> None:
    """fidelity-<paper>.pdf: one checklist per session."""
    _cohort_pdf(target, root, "delivery/fidelity.html", "fidelity_title")


def feedback_pdf(target: Target, root: Path) -> None:
    """feedback-<paper>.pdf: one anonymous form per session, then the end-of-program form."""
    bundle, cohort, agency = cohort_bundle(target, root)
    env = environment(bundle.project, cohort)
    t = participant_texts(env)
    views = session_views(bundle, cohort)
    shown = "" if mentions_sensitive(agency) else agency
    # Neutral everywhere a reader of the page or of the file's properties would look.
    context = dict(sessions=views, t=t, show_agency=shown, paper=target.params.paper, author="",
                   footer=str(t.feedback_title))
    write_pdf(bundle, target, "delivery/feedback.html", context, str(t.feedback_title), cohort.lang,
              cohort.revised.isoformat(), env=env)


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """UTF-8 with a BOM, so Excel shows accents right."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))


def fidelity_template(target: Target, root: Path) -> None:
    """fidelity-template.csv: a row per session and agenda part, then per key message, ready to fill in."""
    bundle, cohort, _ = cohort_bundle(target, root)
    t = texts(bundle.project, cohort)
    content = bundle.contents[cohort.variant.id]
    rows = [[t.col_week, t.col_date, t.col_item, t.col_part, t.col_planned, t.col_status, t.col_minutes,
             t.col_notes]]
    for s in cohort.sessions:
        week = content.weeks[s.number]
        for p in session_parts(week, s, t):
            rows.append([str(s.number), s.date.isoformat(), p.id, p.label, str(p.minutes), "", "", ""])
        for i, m in enumerate(week.key_messages, start=1):
            label = f"{t.key_message} {i}: {m}"
            rows.append([str(s.number), s.date.isoformat(), f"message-{i}", label, "", "", "", ""])
    write_csv(target.output, [[str(c) for c in r] for r in rows])


def feedback_template(target: Target, root: Path) -> None:
    """feedback-template.csv: the columns to type each form into (no name, no code)."""
    write_csv(target.output, [["session", "q1", "q2", "q3", "q4", "comment"]])

