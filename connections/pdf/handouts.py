"""Participant handouts: one PDF per variant, week and paper, with the agency's name and help lines.

Output paths (``out`` is the dist folder):

- ``handouts/<variant>/week-<N>-<paper>.pdf``                    the handout
- ``handouts/<variant>/large-print/week-<N>-<paper>.pdf``        with --large-print (body 18 pt)
- ``handouts/<variant>/notes/notes-<N>-<paper>.pdf``             with --discreet: neutral file name and words
- ``handouts/<variant>/notes/large-print/notes-<N>-<paper>.pdf`` with both
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..context import Options, bundle_for, selected_variants
from ..discreet import mentions_sensitive
from ..markdown_render import render_inline, render_markdown
from ..model import WEEKS
from ..pipeline import Target, write_atomic
from ..validate import Bundle
from . import common
from .engine import Rendered, render_pdf_pages

MAX_PAGES = 2  # a handout is one sheet, printed on both sides
ONE_PAGE_IF_UNDER = 0.35  # a second page this empty is worth a tighter layout that fits on one
# Tried in order until the handout fits: fewer lines to write on, then tighter spacing (never smaller type:
# one type size across a series of handouts), then one line in the tighter spacing (a long week whose help
# lines say who each is for); the last page's free space becomes more lines afterwards.
LAYOUTS = ({"reflection_lines": 5, "compact": False}, {"reflection_lines": 3, "compact": False},
           {"reflection_lines": 3, "compact": True}, {"reflection_lines": 1, "compact": True})
FILL_TO = 0.9  # the last page's free space becomes lines to write on, up to this share of the page
# Height of the text area (mm) and of one writing line (mm, as in handout.css / large-print.css).
BODY_MM = {"letter": 279.4 - 40, "a4": 297 - 40}
LINE_MM = {False: 10.0, True: 13.0}
LINE_RULE_MM = 0.6 * 25.4 / 72  # the rule under each writing line (0.6pt in handout.css)


def handout_path(out: Path, variant: str, week: int, paper: str, large_print: bool = False,
                 discreet: bool = False) -> Path:
    """Where a handout goes; the discreet one has a neutral folder and file name."""
    folder = out / "handouts" / variant
    if discreet:
        folder = folder / "notes"
    if large_print:
        folder = folder / "large-print"
    name = f"notes-{week}-{paper}.pdf" if discreet else f"week-{week}-{paper}.pdf"
    return folder / name


@dataclass(frozen=True)
class HandoutParams:
    """What decides one handout besides its input files."""

    variant: str
    week: int
    paper: str
    large_print: bool = False
    discreet: bool = False


# The handouts a full build makes (large_print, discreet): every week's materials offer the discreet one.
PRINT_SET = ((False, False), (False, True), (True, False))


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    """The `handouts` output kind; with ``print_set`` (the default build), standard, discreet and large print."""
    if not opts.print_set:
        return handout_targets(bundle, opts)
    return [t for lp, disc in PRINT_SET
            for t in handout_targets(bundle, dataclasses.replace(opts, large_print=lp, discreet=disc))]


def handout_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """One target per selected variant, week and paper; inputs are exactly what the handout is made from."""
    project = bundle.project
    shared = common.shared_inputs(project, bundle.agency)
    targets = []
    for vid in selected_variants(bundle, opts):
        content = bundle.contents[vid]
        for n in WEEKS:
            week = content.weeks.get(n)
            if week is None:
                continue
            inputs = (*common.module_inputs([week], content.variant, project.root), *shared)
            for paper in opts.papers:
                suffix = (":large" if opts.large_print else "") + (":discreet" if opts.discreet else "")
                targets.append(Target(
                    kind="handouts",
                    key=f"handout:{vid}:{n}:{paper}{suffix}",
                    output=handout_path(opts.out, vid, n, paper, opts.large_print, opts.discreet),
                    render=render_handout,
                    inputs=tuple(inputs),
                    params=HandoutParams(vid, n, paper, opts.large_print, opts.discreet),
                ))
    return targets


def handout_html(bundle: Bundle, vid: str, n: int, paper: str, large_print: bool, discreet: bool,
                 reflection_lines: int = 5, compact: bool = False) -> str:
    """The handout as HTML: the week's words, the agency and the help lines through templates/pdf/handout.html."""
    project = bundle.project
    content = bundle.contents[vid]
    variant = content.variant
    week = content.weeks[n]
    agency = bundle.agency
    values = agency.placeholders() if agency else {}
    lang = variant.lang
    section = week.sections["handout-discreet" if discreet else "handout"]
    local, national = common.help_lines(agency, variant, discreet)
    env = common.environment(project, variant)
    show_agency = agency is not None and not (discreet and mentions_sensitive(agency.name))
    return env.get_template("pdf/handout.html").render(
        variant=variant,
        week=week,
        agency=agency,
        show_agency=show_agency,
        logo_uri=agency.logo.as_uri() if show_agency and agency and agency.logo else "",
        paper=paper,
        discreet=discreet,
        large_print=large_print,
        ui_lang=common.ui_lang(project, variant),
        doc_lang=common.document_lang(variant),
        key_messages=[render_inline(m, placeholders=values, lang=lang) for m in week.participant_key_messages],
        body=render_markdown(section.body, placeholders=values, lang=lang, heading_shift=-1,
                             id_prefix="handout-"),
        reflection_lines=reflection_lines,
        compact=compact,
        local_lines=local,
        national_lines=national,
    )


def render_handout(target: Target, root: Path) -> None:
    """Renderer (runs in a worker): one handout PDF, written atomically."""
    bundle, _ = bundle_for(root)
    params: HandoutParams = target.params
    vid, n, paper = params.variant, params.week, params.paper
    large_print, discreet = params.large_print, params.discreet
    project = bundle.project
    variant = bundle.variant(vid)
    week = bundle.contents[vid].weeks[n]
    title = week.discreet_title if discreet else week.title
    sources = [week.path, variant.directory / "variant.yml", project.agency_yml]
    style = common.stylesheets(project, "handout.css", large_print=large_print)

    def attempt(layout: dict, max_pages: int | None, write: bool = False) -> tuple[Rendered, dict]:
        """Lay out (and write only when asked: choosing a layout needs its page count, not its PDF). A layout
        not written keeps its document: the one chosen is written from it, not laid out again."""
        html = handout_html(bundle, vid, n, paper, large_print, discreet, **layout)
        return render_pdf_pages(html, base=variant.directory, root=project.root, stylesheets=style, title=title,
                                lang=variant.lang, source_date=variant.content_date.isoformat(), sources=sources,
                                max_pages=max_pages if write else 0, keep=not write), layout

    def fits(tried: tuple[Rendered, dict], limit: int | None) -> bool:
        return limit is None or tried[0].pages <= limit

    def hopeless(tried: tuple[Rendered, dict] | None, layout: dict, limit: int) -> bool:
        """Whether ``layout`` surely takes more than ``limit`` pages, known from the layout ``tried`` before it
        (the same spacing, more writing lines), so that laying it out is not worth it."""
        if tried is None or tried[1]["compact"] != layout["compact"] or tried[0].pages <= limit:
            return False
        fewer = tried[1]["reflection_lines"] - layout["reflection_lines"]
        return fewer >= 0 and layout["reflection_lines"] >= 1 and \
            _keeps_its_pages(tried[0], fewer * (LINE_MM[large_print] + LINE_RULE_MM))

    best = attempt(LAYOUTS[0], None)  # large print takes the pages it needs
    if not large_print:
        if not fits(best, MAX_PAGES):  # too long: fewer writing lines, then tighter spacing
            last: tuple[Rendered, dict] | None = best
            for i, layout in enumerate(LAYOUTS[1:], 1):
                if i < len(LAYOUTS) - 1 and hopeless(last, layout, MAX_PAGES):
                    continue  # it would not fit either (the last one is laid out: it is kept even so)
                best = last = attempt(layout, None)
                if fits(best, MAX_PAGES):
                    break
        elif best[0].pages > 1 and best[0].last_page_fill < ONE_PAGE_IF_UNDER:  # a few lines over one page
            last = best
            for layout in LAYOUTS[1:]:
                if hopeless(last, layout, 1):
                    continue
                tighter = last = attempt(layout, None)
                if fits(tighter, 1):
                    best = tighter
                    break
    elif best[0].pages > 1 and best[0].last_page_fill < ONE_PAGE_IF_UNDER:
        # Large print: a last page holding only a few writing lines. Fewer lines take a page less.
        for lines in (3, 1):
            layout = {"reflection_lines": lines, "compact": False}
            if hopeless(best, layout, best[0].pages - 1):
                continue
            fewer = attempt(layout, None)
            if fits(fewer, best[0].pages - 1):
                best = fewer
                break
    final = _more_room_to_write(best, attempt, paper, large_print)
    if final is None:  # no more lines fit: write the chosen layout as it is laid out
        assert best[0].write is not None
        data = best[0].write()
    else:
        assert final.data is not None
        data = final.data
    write_atomic(target.output, data)


def _keeps_its_pages(rendered: Rendered, less_mm: float) -> bool:
    """Whether the same handout with ``less_mm`` of writing lines taken away surely keeps all its pages.

    Why it holds: layout runs from the start, so the pages before the one where "My reflection" begins are
    laid out the same (what comes before the heading, the heading, its note and first line are unchanged).
    With the heading on the last page, that page stays. With it on the page before, the lines and what
    follows (the help lines, kept whole) end on one page less only if that page and the last one hold,
    together, less than a page once the lines are shorter — their fills are lower bounds of what they hold.
    """
    last = rendered.pages - 1
    heading = rendered.anchors.get("reflection")
    if heading == last:
        return True
    fills = rendered.page_fills
    if heading != last - 1 or len(fills) != rendered.pages or not rendered.page_mm or max(fills) > 1:
        return False
    return (fills[-2] + fills[-1]) * rendered.page_mm - less_mm > rendered.page_mm + 0.01


def _more_room_to_write(best: tuple[Rendered, dict], attempt, paper: str,  # noqa: ANN001
                        large_print: bool) -> Rendered | None:
    """Turn the last page's empty space into more lines to write on, on the same number of pages; the PDF
    written, or None when no more lines fit."""
    rendered, layout = best
    extra = int((FILL_TO - rendered.last_page_fill) * BODY_MM[paper] // LINE_MM[large_print])
    for more in (extra, extra - 2):
        if more < 1:
            break
        fuller, _ = attempt({**layout, "reflection_lines": layout["reflection_lines"] + more}, rendered.pages,
                            write=True)
        if fuller.data is not None:
            return fuller
    return None
