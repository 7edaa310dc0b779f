"""The facilitator manual: one PDF per variant and paper — cover, contents, overview, six weeks, appendices.

Output paths (``out`` is the dist folder):

- ``manual/<variant>/facilitator-manual-<paper>.pdf``
- ``manual/<variant>/large-print/facilitator-manual-<paper>.pdf`` with --large-print

``--discreet`` does not apply: the manual stays with the facilitator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from ..agenda import is_builtin
from ..context import Options, bundle_for, selected_variants
from ..errors import UserError
from ..markdown_render import LinkMap, render_inline, render_markdown
from ..model import Module, VariantContent, Week
from ..pipeline import Target, write_atomic
from ..validate import Bundle
from . import common
from .engine import render_pdf_pages

# Program sections printed as appendices rather than in the overview.
APPENDIX_SECTIONS = ("group-agreement", "disclosure", "duty-to-report")
# Appendix A prints its section's heading as the chapter's h1, so the section's ### are its h2 (not h3,
# which would skip a level for a screen reader: PDF/UA); the others sit under an h2 of their own.
APPENDIX_HEADING_SHIFT = {"group-agreement": -1}
ATTENDANCE_ROWS = 15
PAGINATION_TRIES = 3  # layouts of the front matter with real page numbers before the build gives up
PARTS_CACHE = ".cache/manual"  # under the dist folder: each manual's rendered parts (see pdf/parts.py)


def manual_path(out: Path, variant: str, paper: str, large_print: bool = False) -> Path:
    folder = out / "manual" / variant
    if large_print:
        folder = folder / "large-print"
    return folder / f"facilitator-manual-{paper}.pdf"


@dataclass(frozen=True)
class ManualParams:
    """What decides one manual besides its input files."""

    variant: str
    paper: str
    large_print: bool
    parts_cache: str  # the folder of this manual's rendered parts (see pdf/parts.py)


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    """The `manual` output kind; with ``print_set`` (the default build), the regular and the large-print manual."""
    if not opts.print_set:
        return manual_targets(bundle, opts)
    return [t for lp in (False, True) for t in manual_targets(bundle, dataclasses.replace(opts, large_print=lp))]


def manual_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """One manual per selected variant and paper; inputs are the variant's content files and shared print files."""
    project = bundle.project
    shared = common.shared_inputs(project, bundle.agency)
    settings = [project.root / "mkdocs.yml"] if (project.root / "mkdocs.yml").is_file() else []  # start time
    targets = []
    for vid in selected_variants(bundle, opts):
        content = bundle.contents[vid]
        inputs = common.module_inputs(content.modules(), content.variant, project.root) + settings
        for paper in opts.papers:
            cache = opts.out / PARTS_CACHE / (f"{vid}-{paper}" + ("-large" if opts.large_print else ""))
            targets.append(Target(
                kind="manual",
                key=f"manual:{vid}:{paper}" + (":large" if opts.large_print else ""),
                output=manual_path(opts.out, vid, paper, opts.large_print),
                render=render_manual,
                inputs=tuple(inputs + shared),
                params=ManualParams(vid, paper, opts.large_print, str(cache)),
                weight=20,
            ))
    return targets


def _prefix(module: Module) -> str:
    return f"w{module.number}-" if isinstance(module, Week) else "program-"


def _chapter_id(module: Module) -> str:
    return f"week-{module.number}" if isinstance(module, Week) else "overview"


def link_map(content: VariantContent, current: Module) -> LinkMap:
    """Links between content files become links inside the manual; anything else prints as text."""
    by_file = {m.path.name: m for m in content.modules()}

    def resolve(href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme.lower() in {"mailto", "tel"}:
            return href
        if parts.scheme or parts.netloc:
            return None
        target = current if not parts.path else by_file.get(Path(parts.path).name)
        if target is None:
            return None
        if not parts.fragment:
            return f"#{_chapter_id(target)}"
        if parts.fragment in target.sections:
            return f"#{_prefix(target)}{parts.fragment}"
        return None

    return resolve


@dataclass
class Part:
    """One body section as printed: heading, HTML, and its minutes when it is on the agenda."""

    id: str
    anchor: str
    heading: str
    html: Markup
    minutes: int | None = None


@dataclass
class AgendaRow:
    start: str
    end: str
    heading: str
    anchor: str
    minutes: int
    builtin: str = ""  # "break" or "reunion": labelled by the template, no section to link to
    clock: str = ""  # "6:00 p.m. – 6:10 p.m." from the site's configured start time, when there is one


@dataclass
class WeekChapter:
    week: Week
    anchor: str
    key_messages: list[Markup]
    objectives: list[Markup]
    materials: list[Markup]
    agenda: list[AgendaRow]
    parts: list[Part] = field(default_factory=list)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


_CONTENT_LINK = re.compile(r'<a href="#([^"]+)">')


def cross_references(html: str) -> Markup:
    """Content links to a section or chapter become cross-references: printed with the target's page number
    (`see Responding to a disclosure, page 62`). The number comes from WeasyPrint's target-counter() when the
    target is in the same part, or from the page-number pass (see part_html) when it is in another part."""
    return Markup(_CONTENT_LINK.sub(r'<a class="xref" href="#\1">', str(html)))


def _part(module: Module, sid: str, content: VariantContent, values: dict[str, str], lang: str,
          minutes: int | None = None, heading_shift: int = 0) -> Part:
    sec = module.sections[sid]
    prefix = _prefix(module)
    html = cross_references(render_markdown(sec.body, placeholders=values, lang=lang, id_prefix=f"{prefix}{sid}-",
                                             link=link_map(content, module), heading_shift=heading_shift))
    return Part(sid, f"{prefix}{sid}", render_inline(sec.heading, placeholders=values, lang=lang), html, minutes)


def start_time(project) -> dt.time | None:  # noqa: ANN001
    """The session's start time from the site settings (mkdocs.yml), or None when there is none to read."""
    from ..errors import UserError
    from ..site.settings import read_settings

    try:
        return read_settings(project.root / "mkdocs.yml").start_time
    except (UserError, OSError):
        return None  # `check` reports a bad setting; the manual then prints elapsed times only


def week_chapter(week: Week, content: VariantContent, values: dict[str, str], lang: str,
                 start: dt.time | None = None, locale: str = "en_CA") -> WeekChapter:
    from babel.dates import format_time

    from ..site.settings import clock_times

    minutes = {a.section: a.minutes for a in week.agenda}
    spans = clock_times(start, [a.minutes for a in week.agenda]) if start else []
    agenda, t = [], 0
    for i, item in enumerate(week.agenda):
        sec = week.sections.get(item.section)
        heading = render_inline(sec.heading if sec else item.section, placeholders=values, lang=lang)
        clock = ("\u2013".join(format_time(x, "short", locale=locale) for x in spans[i])) if spans else ""
        agenda.append(AgendaRow(_clock(t), _clock(t + item.minutes), heading, f"w{week.number}-{item.section}",
                                item.minutes, item.section if is_builtin(item.section) else "", clock))
        t += item.minutes

    def inline(items: list[str]) -> list[Markup]:
        return [render_inline(i, placeholders=values, lang=lang) for i in items]

    chapter = WeekChapter(week, f"week-{week.number}", inline(week.key_messages), inline(week.objectives),
                          inline(week.materials), agenda)
    chapter.parts = [_part(week, sid, content, values, lang, minutes.get(sid)) for sid in week.sections]
    return chapter


PLACEHOLDER_PAGE = "000"  # as wide as any page number the manual will print, for the first layout of the contents


class _Placeholders(dict):
    """Page numbers not known yet: every id maps to the widest placeholder."""

    def __missing__(self, key: str) -> str:
        return PLACEHOLDER_PAGE


def manual_context(bundle: Bundle, vid: str, paper: str, large_print: bool) -> dict:
    """Everything manual.html needs except which part to print: the Markdown is rendered once per manual."""
    project = bundle.project
    content = bundle.contents[vid]
    variant = content.variant
    agency = bundle.agency
    values = agency.placeholders() if agency else {}
    lang = variant.lang
    program = content.program
    assert program is not None  # validated: every variant has one
    overview = [_part(program, sid, content, values, lang) for sid in program.sections
                if sid not in APPENDIX_SECTIONS]
    appendix = {sid: _part(program, sid, content, values, lang, heading_shift=APPENDIX_HEADING_SHIFT.get(sid, 0))
                for sid in APPENDIX_SECTIONS}
    start = start_time(project)
    weeks = [week_chapter(content.weeks[n], content, values, lang, start, variant.locale)
             for n in sorted(content.weeks)]
    local, national = common.help_lines(agency, variant, discreet=False)
    return dict(
        variant=variant,
        program=program,
        program_title=render_inline(program.title, placeholders=values, lang=lang),
        program_subtitle=render_inline(program.subtitle, placeholders=values, lang=lang),
        overview=overview,
        appendix=appendix,
        weeks=weeks,
        agency=agency,
        logo_uri=agency.logo.as_uri() if agency and agency.logo else "",
        local_lines=local,
        national_lines=national,
        paper=paper,
        large_print=large_print,
        attendance_rows=ATTENDANCE_ROWS,
        ui_lang=common.ui_lang(project, variant),
        doc_lang=common.document_lang(variant),
        has_xrefs=any('class="xref"' in str(p.html) for p in (*overview, *appendix.values(),
                                                                 *(x for w in weeks for x in w.parts))),
    )


def part_names(context: dict) -> list[str]:
    """The manual's parts in print order: front matter, overview, each week, appendices."""
    return ["front", "overview", *(ch.anchor for ch in context["weeks"]), "appendices"]


_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]+)"')
_XREF = re.compile(r'<a class="xref" href="#([^"]+)">')


def part_html(bundle: Bundle, context: dict, name: str, first_page: int = 1,
              toc_pages: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """One part of the manual as its own HTML document, and the ids it links to in other parts."""
    env = common.environment(bundle.project, context["variant"])
    html = env.get_template("pdf/manual.html").render(context, manual_part=name, first_page=first_page,
                                                      toc_pages=toc_pages or _Placeholders())
    foreign = sorted(set(_HREF.findall(html)) - set(_ID.findall(html)))
    pages = toc_pages or _Placeholders()

    def numbered(m: re.Match) -> str:  # a cross-reference to another part: its page from the page-number pass
        if m[1] not in foreign:
            return m[0]
        return f'<a class="xref" href="#{m[1]}" data-page="{pages.get(m[1], PLACEHOLDER_PAGE)}">'

    html = _XREF.sub(numbered, html)
    if foreign:  # empty anchors for them, so WeasyPrint keeps the links until the parts are joined
        stubs = "".join(f'<span id="{i}"></span>' for i in foreign)  # as written in the href: attribute-safe
        html = html.replace("</body>", f'<div class="xref-stubs">{stubs}</div>\n</body>', 1)
    return html, set(foreign)


def render_manual(target: Target, root: Path) -> None:
    """Renderer (runs in a worker): one manual PDF, rendered by parts, each part reused while unchanged.

    Order: the front matter is laid out with placeholder page numbers to learn its length; each
    following part starts on the page after the last; then the contents are printed with the
    real numbers (laid out again only if that changed their length), and the parts are joined.
    """
    from ..pipeline import code_fingerprint
    from .joincheck import JoinError
    from .merge import merge
    from .parts import PartCache, salt

    bundle, _ = bundle_for(root)
    params: ManualParams = target.params
    vid, paper, large_print = params.variant, params.paper, params.large_print
    project = bundle.project
    content = bundle.contents[vid]
    variant = content.variant
    modules = {m.path for m in content.modules()}
    cache = PartCache(Path(params.parts_cache), salt(code_fingerprint(),
                      [p for p in target.inputs if p not in modules], root), fresh=target.fresh, root=root)
    context = manual_context(bundle, vid, paper, large_print)
    sources = [m.path for m in content.modules()] + [variant.directory / "variant.yml", project.agency_yml]
    style = common.stylesheets(project, "manual.css", large_print=large_print)
    title = f"{variant.label} facilitator manual"

    def renderer(html: str):
        def render(layout_only: bool):
            return render_pdf_pages(html, base=variant.directory, root=project.root, stylesheets=style, title=title,
                                    lang=variant.lang, source_date=variant.content_date.isoformat(),
                                    sources=sources, max_pages=0 if layout_only else None)
        return render

    names = part_names(context)
    front_html, _ = part_html(bundle, context, "front")
    front_pages = cache.get(front_html, renderer(front_html), layout_only=True).pages
    tried = [front_pages]
    known: dict[str, str] = {}  # page numbers from the previous pass, for cross-references between parts
    for _attempt in range(PAGINATION_TRIES):
        body, stubs, page = [], [], front_pages + 1
        pages: dict[str, str] = {}
        for name in names[1:]:
            html, foreign = part_html(bundle, context, name, first_page=page, toc_pages=known | pages)
            part = cache.get(html, renderer(html))
            pages |= {anchor: str(page + i) for anchor, i in part.anchors.items() if anchor not in foreign}
            body.append(part)
            stubs.append(foreign)
            page += part.pages
        front_html, foreign = part_html(bundle, context, "front", toc_pages=pages)
        front = cache.get(front_html, renderer(front_html))
        tried.append(front.pages)
        if front.pages == front_pages and (known == pages or not context["has_xrefs"]):
            break
        front_pages = front.pages  # the real numbers changed the contents' length: lay the rest out again
        known = pages  # cross-references printed with placeholders: lay out again with the numbers
    else:
        raise UserError(unsettled_message(target.output, tried))
    try:
        data = merge([p.data for p in (front, *body)], [foreign, *stubs])  # type: ignore[misc]
    except JoinError as exc:
        raise JoinError(f"{target.output}: {exc}") from None
    write_atomic(target.output, data)
    cache.prune()


def unsettled_message(output: Path, tried: list[int]) -> str:
    """Why a manual was not written when its page numbers would not settle, and what to do."""
    lengths = ", then ".join(str(n) for n in tried)
    return (f"{output}: the page numbers in the contents did not settle after {PAGINATION_TRIES} layouts (the front "
            f"matter took {lengths} pages), so this manual was not written and the previous one is kept. This is a "
            "fault in the toolkit, not in your content: please report it with this message. If it came from a part "
            "kept from an earlier build, running the same command with --force (every part laid out anew) gets "
            "past it.")
