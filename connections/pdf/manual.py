"""The facilitator manual: one PDF per variant and paper — cover, contents, overview, six weeks, appendices.

Output paths (``out`` is the dist folder):

- ``manual/<variant>/facilitator-manual-<paper>.pdf``
- ``manual/<variant>/large-print/facilitator-manual-<paper>.pdf`` with --large-print

``--discreet`` does not apply: the manual stays with the facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from ..context import Options, bundle_for, selected_variants
from ..markdown_render import LinkMap, render_inline, render_markdown
from ..model import Module, Program, VariantContent, Week
from ..pipeline import Target, write_atomic
from ..validate import Bundle
from . import common
from .engine import render_pdf

RENDERER = "connections.pdf.manual:render_manual"
# Program sections printed as appendices rather than in the overview.
APPENDIX_SECTIONS = ("group-agreement", "disclosure", "duty-to-report")
ATTENDANCE_ROWS = 15


def manual_path(out: Path, variant: str, paper: str, large_print: bool = False) -> Path:
    folder = out / "manual" / variant
    if large_print:
        folder = folder / "large-print"
    return folder / f"facilitator-manual-{paper}.pdf"


def manual_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """One manual per selected variant and paper; inputs are the variant's content files and shared print files."""
    project = bundle.project
    shared = common.shared_inputs(project, bundle.agency)
    targets = []
    for vid in selected_variants(bundle, opts):
        content = bundle.contents[vid]
        modules = content.modules()
        inputs = [content.variant.directory / "variant.yml"]
        for m in modules:
            inputs += [m.path, *common.local_files(m.path, project.root)]
        for paper in opts.papers:
            targets.append(Target(
                key=f"manual:{vid}:{paper}" + (":large" if opts.large_print else ""),
                output=manual_path(opts.out, vid, paper, opts.large_print),
                renderer=RENDERER,
                inputs=tuple(inputs + shared),
                params=(("variant", vid), ("paper", paper), ("large_print", opts.large_print), ("weight", 20)),
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


def _part(module: Module, sid: str, content: VariantContent, values: dict[str, str], lang: str,
          minutes: int | None = None) -> Part:
    sec = module.sections[sid]
    prefix = _prefix(module)
    html = render_markdown(sec.body, placeholders=values, lang=lang, id_prefix=f"{prefix}{sid}-",
                           link=link_map(content, module))
    return Part(sid, f"{prefix}{sid}", render_inline(sec.heading, placeholders=values, lang=lang), html, minutes)


def week_chapter(week: Week, content: VariantContent, values: dict[str, str], lang: str) -> WeekChapter:
    minutes = {a.section: a.minutes for a in week.agenda}
    agenda, t = [], 0
    for item in week.agenda:
        sec = week.sections.get(item.section)
        heading = render_inline(sec.heading if sec else item.section, placeholders=values, lang=lang)
        agenda.append(AgendaRow(_clock(t), _clock(t + item.minutes), heading, f"w{week.number}-{item.section}",
                                item.minutes))
        t += item.minutes

    def inline(items: list[str]) -> list[Markup]:
        return [render_inline(i, placeholders=values, lang=lang) for i in items]

    chapter = WeekChapter(week, f"week-{week.number}", inline(week.key_messages), inline(week.objectives),
                          inline(week.materials), agenda)
    chapter.parts = [_part(week, sid, content, values, lang, minutes.get(sid)) for sid in week.sections]
    return chapter


def manual_html(bundle: Bundle, vid: str, paper: str, large_print: bool) -> str:
    """The whole manual as one HTML document through templates/pdf/manual.html."""
    project = bundle.project
    content = bundle.contents[vid]
    variant = content.variant
    agency = bundle.agency
    values = agency.placeholders() if agency else {}
    lang = variant.lang
    program: Program = content.program  # validated: every variant has one
    overview = [_part(program, sid, content, values, lang) for sid in program.sections
                if sid not in APPENDIX_SECTIONS]
    appendix = {sid: _part(program, sid, content, values, lang) for sid in APPENDIX_SECTIONS}
    weeks = [week_chapter(content.weeks[n], content, values, lang) for n in sorted(content.weeks)]
    local, national = common.help_lines(agency, variant, discreet=False)
    env = common.environment(project, variant)
    return env.get_template("pdf/manual.html").render(
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
    )


def render_manual(target: Target, root: Path) -> None:
    """Renderer (runs in a worker): one manual PDF, written atomically."""
    bundle, _ = bundle_for(root)
    vid, paper, large_print = target.param("variant"), target.param("paper"), target.param("large_print", False)
    project = bundle.project
    content = bundle.contents[vid]
    variant = content.variant
    html = manual_html(bundle, vid, paper, large_print)
    sources = [m.path for m in content.modules()] + [variant.directory / "variant.yml", project.agency_yml]
    data = render_pdf(html, base=variant.directory, root=project.root,
                      stylesheets=common.stylesheets(project, "manual.css", large_print=large_print),
                      title=f"{variant.label} facilitator manual", lang=variant.lang,
                      source_date=variant.content_date.isoformat(), sources=sources)
    write_atomic(target.output, data)
