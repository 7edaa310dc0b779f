"""Render a cohort's PDFs in a worker: attendance sheets, sign-in sheets, certificates and the summary.

Names are printed only through Jinja2 autoescaping (a name like '<b>Ann</b>' prints literally) and only
into files under dist/cohorts/.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_time
from babel.numbers import format_percent

from ..errors import Problems, UserError
from ..i18n import format_date
from ..pdf.engine import render_pdf
from ..pdf.glyphs import Locator, private_text
from ..pipeline import Target, write_atomic
from .config import Cohort
from .documents import environment, load_target, texts
from .inputs import CohortInputs
from .printable import stylesheets
from .redact import private_errors
from .summary import chart_svg, summarize

ROWS_PER_TABLE = 40  # long tables are slow in WeasyPrint and repeat headers unreliably past this
# Rows of 6.5 mm that fit a landscape page under the table's header (cohort.css): the first page also holds
# the title block. Each table after the first starts a page, so no table breaks and no page holds only the
# last rows, the total or the initials (which take the room of three rows and stay with at least three rows).
ROWS_PER_PAGE = {"letter": (20, 24), "a4": (19, 23)}
FOOTER_ROWS = 3
SPARE_ROWS_DROPPED = 2  # spare rows an attendance sheet may leave off to fit on one page
SIGNIN_ROOM_MM = {"letter": 185, "a4": 200}  # the page's height left for the sign-in rows
PAGE_SIZES = {"letter": "letter", "a4": "A4"}


@dataclass
class SessionView:
    number: int
    date_text: str  # 'mardi 2 mars 2027'


@dataclass
class RowView:
    number: str
    name: str
    spare: bool = False


def time_range(cohort: Cohort) -> str:
    s, loc = cohort.sessions[0], cohort.locale
    return f"{format_time(s.start, 'short', locale=loc)} – {format_time(s.end, 'short', locale=loc)}"


def base_context(inp: CohortInputs, target: Target, paper: str, landscape: bool) -> dict:
    c = inp.cohort
    return {
        "program": texts(inp).program,
        "cohort": c,
        "agency": inp.agency_name,
        "lang": c.lang,
        "page_size": PAGE_SIZES[paper] + (" landscape" if landscape else ""),
        "sessions": [SessionView(s.number, format_date(s.date, "full", locale=c.locale)) for s in c.sessions],
        "time_range": time_range(c),
    }


def locator(inp: CohortInputs) -> Locator:
    """Where a character of a cohort document comes from: a roster or record row, else a cohort file line."""
    rel = Problems(inp.project.root).rel
    people = [(p, inp.cohort.roster) for p in inp.participants]
    if inp.record is not None:
        people += [(a.participant, inp.record.path) for a in inp.record.entries if a.participant.newcomer]
    sources = [inp.cohort.path, inp.project.agency_yml]

    def locate(ch: str) -> tuple[str, int] | None:
        for p, path in people:
            if path is not None and ch in p.full + p.code:
                return rel(path), p.row
        for src in sources:
            try:
                lines = src.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for n, line in enumerate(lines, 1):
                if ch in line:
                    return rel(src), n
        return None

    return locate


@contextlib.contextmanager
def _private(inp: CohortInputs) -> Iterator[None]:
    """Names stay in dist/cohorts/: out of the benchmark dump folder and out of every glyph message."""
    saved = os.environ.pop("CONNECTIONS_BENCH_DUMP", None)
    try:
        with private_text(locator(inp)):
            yield
    finally:
        if saved is not None:
            os.environ["CONNECTIONS_BENCH_DUMP"] = saved


def scrub(text: str, inp: CohortInputs) -> str:
    """Each participant's name in ``text`` replaced by its row: the last guard for messages the PDF engine
    writes itself (the glyph check already names rows; another warning could one day quote the page)."""
    people = list(inp.participants)
    if inp.record is not None:
        people += [a.participant for a in inp.record.entries if a.participant.newcomer]
    parts = sorted({(part, p.row) for p in people for part in (p.full, p.first, p.last) if len(part) > 1},
                   key=lambda item: -len(item[0]))  # whole names before their parts
    for part, row in parts:
        text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", f"(the name on row {row})", text)
    return text


def _write_pdf(inp: CohortInputs, target: Target, template: str, context: dict, title: str) -> None:
    project = inp.project
    sheets = stylesheets(project)
    html = environment(project, inp.cohort).get_template(template).render(**context)
    try:
        with _private(inp):
            data = render_pdf(html, base=project.templates / "cohort", root=project.root, stylesheets=sheets,
                              title=title, lang=inp.cohort.lang, source_date=inp.cohort.revised.isoformat(),
                              sources=[inp.cohort.path, project.agency_yml])
    except UserError as exc:
        raise UserError(scrub(str(exc), inp)) from None
    write_atomic(target.output, data)


def attendance_rows(inp: CohortInputs) -> list[RowView]:
    c = inp.cohort
    rows = [RowView(str(i), p.printed(c.privacy)) for i, p in enumerate(inp.participants, start=1)]
    extra = c.blank_rows if not inp.participants else c.spare_rows
    start = len(rows) + 1
    # Without a roster the rows are numbered like the sign-in codes (01, 02 …) handed out at the first session.
    fmt = "{:d}" if inp.participants else "{:02d}"
    rows += [RowView(fmt.format(i), "", spare=True) for i in range(start, start + extra)]
    return rows


def chunks(rows: list, size: int = ROWS_PER_TABLE) -> list[dict]:
    """Split rows into tables of at most ``size`` rows, as evenly as possible."""
    if not rows:
        return [{"rows": []}]
    n = -(-len(rows) // size)
    per = -(-len(rows) // n)
    return [{"rows": rows[i:i + per]} for i in range(0, len(rows), per)]


def one_sheet(rows: list[RowView], paper: str) -> list[RowView]:
    """A group that misses one page by a row or two of its spare rows gets its sheet on one page: up to
    SPARE_ROWS_DROPPED empty rows for newcomers are left off, never the last two of them."""
    first, _ = ROWS_PER_PAGE.get(paper, ROWS_PER_PAGE["a4"])
    over = len(rows) + FOOTER_ROWS - first
    spare = sum(1 for r in rows if r.spare)
    if 0 < over <= min(SPARE_ROWS_DROPPED, spare - 2) and all(r.spare for r in rows[-over:]):
        return rows[:-over]
    return rows


def page_chunks(rows: list, paper: str) -> list[dict]:
    """Rows in one table per page: the first page's share, then a page's, leaving room for the total and the
    initials rows on the last page and never fewer than FOOTER_ROWS rows with them."""
    first, per = ROWS_PER_PAGE.get(paper, ROWS_PER_PAGE["a4"])
    if len(rows) + FOOTER_ROWS <= first:
        return [{"rows": rows}]
    out, i, size = [], 0, first
    while i < len(rows):
        out.append({"rows": rows[i:i + size]})
        i, size = i + size, per
    last = out[-1]["rows"]
    if len(last) + FOOTER_ROWS > (first if len(out) == 1 else per):  # no room left for the footer rows
        out.append({"rows": []})
    if len(out[-1]["rows"]) < FOOTER_ROWS and len(out) > 1:  # move rows over so the footer is not alone
        move = FOOTER_ROWS - len(out[-1]["rows"])
        out[-1]["rows"] = out[-2]["rows"][-move:] + out[-1]["rows"]
        out[-2]["rows"] = out[-2]["rows"][:-move]
    return out


@private_errors
def attendance_pdf(target: Target, root: Path) -> None:
    """attendance-<paper>.pdf: landscape, one column group per session, a row per participant."""
    inp = load_target(target, root)
    paper = target.params.paper
    ctx = base_context(inp, target, paper, landscape=True)
    rows = one_sheet(attendance_rows(inp), paper)
    ctx.update(chunks=page_chunks(rows, paper), name_width="50mm" if paper == "letter" else "48mm")
    _write_pdf(inp, target, "cohort/attendance.html", ctx, f"Attendance {inp.cohort.id}")


def signin_grid(codes: list[str], spare: int) -> list[list[str]]:
    """Codes laid out in rows of 4 (6 for large groups), then empty code lines for newcomers."""
    cells = [*codes, *([""] * spare)]
    cols = 4 if len(cells) <= 80 else 6
    cells += [""] * (-len(cells) % cols)
    return [cells[i:i + cols] for i in range(0, len(cells), cols)]


@private_errors
def signin_pdf(target: Target, root: Path) -> None:
    """signin-<paper>.pdf: one page per session listing codes and tick boxes, never a name."""
    inp = load_target(target, root)
    ctx = base_context(inp, target, target.params.paper, landscape=False)
    spare = inp.cohort.spare_rows if inp.participants else 0
    grid = signin_grid(inp.codes, max(spare, 4))
    # The rows share the page below the heading and instructions (a small group gets taller rows, easier to
    # find a code and tick in), between 10 and 24 mm.
    room = SIGNIN_ROOM_MM.get(target.params.paper, SIGNIN_ROOM_MM["a4"])
    ctx.update(grid=grid, row_mm=max(10, min(24, room // max(len(grid), 1))))
    _write_pdf(inp, target, "cohort/signin.html", ctx, f"Sign-in {inp.cohort.id}")


@private_errors
def certificates_pdf(target: Target, root: Path) -> None:
    """certificates.pdf: one page per participant who attended at least the threshold of sessions."""
    inp = load_target(target, root)
    assert inp.record is not None
    c = inp.cohort
    ctx = base_context(inp, target, c.paper, landscape=True)
    # The full name only when the cohort prints full names; otherwise a line to write it by hand (nothing else
    # on the page names her: the certificate is hers to keep). No count of sessions: it celebrates, it does not
    # grade. Issued on the last session's date, so a rebuild prints the same certificate.
    certs = [{"name": a.participant.full if c.privacy == "full" else ""}
             for a in inp.record.completed(inp.threshold)]
    ctx.update(certificates=certs, total=len(c.sessions), threshold=inp.threshold,
               first_date=format_date(c.sessions[0].date, "long", locale=c.locale),
               last_date=format_date(c.sessions[-1].date, "long", locale=c.locale),
               issued=format_date(c.sessions[-1].date, "long", locale=c.locale),
               logo_uri=inp.logo.as_uri() if inp.logo and inp.logo.is_file() else "")
    _write_pdf(inp, target, "cohort/certificates.html", ctx, f"Certificates {c.id}")


@private_errors
def summary_pdf(target: Target, root: Path) -> None:
    """summary.pdf: attendance per session, completion, childcare and transportation, and a bar chart."""
    inp = load_target(target, root)
    c = inp.cohort
    env = environment(inp.project, c)
    summary = summarize(inp)
    svg, alt = chart_svg(env, texts(inp), summary, c)
    ctx = base_context(inp, target, c.paper, landscape=False)
    ctx.update(summary=summary, rate=format_percent(summary.rate, locale=c.locale),
               chart_uri="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(), chart_alt=alt)
    _write_pdf(inp, target, "cohort/summary.html", ctx, f"Summary {c.id}")
