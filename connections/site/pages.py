"""Write one variant's Markdown pages (the mkdocs docs folder) from the loaded bundle through Jinja2.

Why here: everything a page shows is decided from content and agency.yml only — never from cohort
files — so the site cannot carry participant data; mkdocs then only turns these pages into HTML.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_time, get_time_format
from markupsafe import Markup

from ..agenda import is_builtin
from ..errors import UserError
from ..i18n import format_date
from ..loader import national_lines_for
from ..model import HelpLine, Module, Section, Variant, VariantContent, Week
from ..pdf.handouts import handout_path
from ..translation.tracking import FRONT, REVIEW, module_status
from ..validate import Bundle
from .markdown import LinkMapper, page_name, section_markdown
from .settings import SiteSettings, clock_times
from .strings import SITE_TEMPLATES, site_env

HANDOUT_SECTIONS = ("handout", "handout-discreet")
DISCREET = "handout-discreet"
PAPERS = ("letter", "a4")
# The printed handouts, from the site folder dist/site/<variant>/: (kind, large print, discreet).
HANDOUT_KINDS = (("standard", False, False), ("discreet", False, True), ("large", True, False))
TIME_WORD_RE = re.compile(r"(?<=\d) (?=h\b)|(?<=\bh) (?=\d)|(?<=\d) (?=(?:a\.m\.|p\.m\.|AM|PM)\b)")
NOTES = "facilitator-notes"
ASSETS = "assets"  # templates/site/assets → docs/assets/connections


@dataclass
class PageSection:
    """A content section as a page shows it."""

    id: str
    heading: str
    body: Markup
    activity: bool = False
    changed: bool = False  # the source changed since this translation was checked
    fallback_lang: str | None = None  # shown from the source, in this language, because it is not translated
    time: str = ""  # a clock span "18:10 – 18:25" when the section is on the agenda
    minutes: int = 0


@dataclass
class AgendaRow:
    id: str
    heading: str
    minutes: int
    time: str
    builtin: str = ""  # "break" or "reunion": labelled by the template, no section to link to
    offset: int = 0  # minutes from the session's start


@dataclass
class PageModule:
    slug: str
    page: str  # docs file name
    title: str
    sections: list[PageSection]
    unchecked: bool = False  # some sections were never checked against the source
    front_changed: bool = False
    week: Week | None = None
    subtitle: str = ""
    agenda: list[AgendaRow] = field(default_factory=list)
    time: str = ""

    def section(self, sid: str) -> PageSection | None:
        return next((s for s in self.sections if s.id == sid), None)


@dataclass
class StatusRow:
    id: str
    heading: str
    state: str
    href: str  # where the section shows on the site, or "" (the discreet handout is only printed)


@dataclass
class StatusModule:
    slug: str
    page: str
    title: str
    rows: list[StatusRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)


class PageWriter:
    """Renders the pages of one variant into a docs folder."""

    def __init__(self, bundle: Bundle, variant_id: str, settings: SiteSettings, strict: bool = False) -> None:
        self.bundle = bundle
        self.project = bundle.project
        self.variant: Variant = bundle.variant(variant_id)
        self.content: VariantContent = bundle.contents[variant_id]
        self.source: VariantContent | None = bundle.source_of(variant_id)
        self.settings = settings
        self.strict = strict
        self.locale = self.variant.locale
        self.env = site_env(self.project.templates, self.project.locales, self.locale)
        self.mapper = LinkMapper(self.project.root)
        agency = bundle.agency
        if agency is None:  # validation reports it; this guards direct calls
            raise UserError("agency.yml:0: missing agency configuration; copy agency.yml from the toolkit")
        self.agency = agency
        self.labels: dict[str, str] = json.loads(self.env.get_template("pages/labels.json.j2").render())

    # ---- formatting -------------------------------------------------------------------------------
    def time_text(self, t) -> str:
        """A clock time that never breaks inside ("18 h 10", "6:10 PM")."""
        return format_time(t, "short", locale=self.locale).replace(" ", "\u00a0").replace("\u202f", "\u00a0")

    def clock(self, start, end, offset: int = 0, minutes: int = 0) -> Markup:
        """A time span that the start-time picker (assets/connections/session.js) can recompute: minutes from the
        session's start in data attributes, the time at the configured start as text."""
        text = f"{self.time_text(start)}\u00a0– {self.time_text(end)}"
        return Markup('<span class="cx-clock" data-cx-from="{}" data-cx-to="{}">{}</span>').format(
            offset, offset + minutes, text)

    def source_name(self) -> str:
        """The source's language as this variant's readers call it ("anglais" on the French site)."""
        if self.source is None:
            return ""
        try:
            name = Locale.parse(self.source.variant.locale).get_language_name(self.locale)
        except (ValueError, UnknownLocaleError):
            name = None
        return name or self.source.variant.label

    def date(self, d) -> str:
        return format_date(d, "long", locale=self.locale) if d else ""

    def _md(self, section: Section, module: Module) -> Markup:
        return Markup(section_markdown(section, module, self.agency.placeholders(), self.mapper))

    # ---- modules ----------------------------------------------------------------------------------
    def _status(self, slug: str) -> dict[str, tuple[str, bool]]:
        """section id → (state, ever checked) for a translated module; empty for the source."""
        if self.source is None:
            return {}
        return {s.section: (s.state, s.recorded is not None)
                for s in module_status(self.bundle, self.variant.id, slug)}

    def module(self, mod: Module) -> PageModule:
        status = self._status(mod.slug)
        src = next((m for m in self.source.modules() if m.slug == mod.slug), None) if self.source else None
        order = list(mod.sections)
        if src is not None:  # a section the translation lacks is shown from the source, in its place
            for i, sid in enumerate(src.sections):
                if sid not in mod.sections:
                    if self.strict:
                        raise UserError(f"{self._rel(mod.path)}:0: section '{sid}' is not translated yet (strict "
                                        f"mode); add '## … {{#{sid}}}' translated from {self._rel(src.path)}")
                    order.insert(min(i, len(order)), sid)
        agenda = {a.section: a.minutes for a in mod.agenda} if isinstance(mod, Week) else {}
        times: dict[str, str] = {}
        rows: list[AgendaRow] = []
        offsets: dict[str, int] = {}
        if isinstance(mod, Week):
            spans = clock_times(self.settings.start_time, [a.minutes for a in mod.agenda])
            offset = 0
            for a, (t0, t1) in zip(mod.agenda, spans, strict=True):
                times[a.section] = self.clock(t0, t1, offset, a.minutes)
                offsets[a.section] = offset
                offset += a.minutes
        sections: list[PageSection] = []
        unchecked = False
        src_lang = self.source.variant.lang if self.source is not None else None
        for sid in order:
            sec = mod.sections.get(sid)
            fallback = None
            if sec is None and src is not None:
                sec, fallback = src.sections[sid], src_lang
                owner: Module = src
            else:
                owner = mod
            assert sec is not None
            state, checked = status.get(sid, ("", True))
            unchecked |= state == REVIEW and not checked
            sections.append(PageSection(
                id=sid, heading=sec.heading, body=self._md(sec, owner), activity=sid.startswith("activity"),
                changed=state == REVIEW and checked, fallback_lang=fallback,
                time=times.get(sid, ""), minutes=agenda.get(sid, 0)))
        if isinstance(mod, Week):
            rows = [AgendaRow(a.section, mod.sections[a.section].heading if a.section in mod.sections else a.section,
                              a.minutes, times[a.section], a.section if is_builtin(a.section) else "",
                              offsets[a.section]) for a in mod.agenda]
        front_state, front_checked = status.get(FRONT, ("", True))
        unchecked |= front_state == REVIEW and not front_checked
        pm = PageModule(mod.slug, page_name(mod.slug), mod.title, sections, unchecked=unchecked,
                        front_changed=front_state == REVIEW and front_checked, agenda=rows,
                        subtitle=getattr(mod, "subtitle", ""))
        if isinstance(mod, Week):
            pm.week = mod
            if mod.agenda:
                total = sum(a.minutes for a in mod.agenda)
                spans = clock_times(self.settings.start_time, [total])
                pm.time = self.clock(*spans[0], 0, total)
        return pm

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.project.root).as_posix()
        except ValueError:
            return str(path)

    # ---- pages ------------------------------------------------------------------------------------
    def status_modules(self) -> list[StatusModule]:
        if self.source is None:
            return []
        out = []
        for src in self.source.modules():
            mod = next((m for m in self.content.modules() if m.slug == src.slug), None)
            rows = []
            for s in module_status(self.bundle, self.variant.id, src.slug):
                if s.section == FRONT:
                    heading, href = self.labels["front_matter"], page_name(src.slug)
                else:
                    sec = (mod.sections.get(s.section) if mod else None) or src.sections.get(s.section)
                    heading, href = (sec.heading if sec else s.section), f"{page_name(src.slug)}#{s.section}"
                    if s.section == "handout" and isinstance(src, Week):
                        href = f"handout-{src.number}.md#handout"
                    elif s.section in HANDOUT_SECTIONS:
                        href = ""
                rows.append(StatusRow(s.section, heading, s.state, href))
            out.append(StatusModule(src.slug, page_name(src.slug), mod.title if mod else src.title, rows))
        return out

    def help_lines(self) -> tuple[list[dict], list[dict]]:
        """Local lines (with their dates), then the variant's national lines and the agency's emergency number."""
        def row(h: HelpLine, verified: bool = True) -> dict:
            return {"id": h.id, "name": h.name, "number": h.number, "tel": _tel(h.number),
                    "hours": keep_together(h.hours), "languages": h.languages, "audience": h.audience,
                    "verified": self.date(h.last_verified) if verified else "", "text_lang": h.text_lang}

        local = [row(line.localized(self.variant.lang)) for line in self.agency.help_lines]
        national = [row(h) for h in national_lines_for(self.variant)] if self.agency.national_lines else []
        emergency = self.agency.emergency.localized(self.variant.lang)
        national.append(row(emergency, verified=False) | {
            "name": emergency.name or self.labels["emergency"],
            "hours": self.labels["emergency_for"], "text_lang": emergency.text_lang if emergency.name else {}})
        return local, national

    def print_links(self, n: int) -> list[dict]:
        """The printed handouts of week ``n`` (standard, discreet, large print; each paper), as relative links from
        dist/site/<variant>/ to the files `handouts` writes (connections/pdf/handouts.py handout_path)."""
        up = Path("..") / ".."
        return [{"kind": kind, "links": [(p, handout_path(up, self.variant.id, n, p, large, discreet).as_posix())
                                         for p in PAPERS]}
                for kind, large, discreet in HANDOUT_KINDS]

    def downloads(self, weeks: list[PageModule]) -> dict:
        v = self.variant.id
        return {
            "handouts": [{"week": w.week.number if w.week else 0, "title": w.title,
                          "kinds": self.print_links(w.week.number if w.week else 0)} for w in weeks],
            "manual": [(p, f"../../manual/{v}/facilitator-manual-{p}.pdf") for p in PAPERS],
            "forms": {form: [(p, f"../../forms/{v}/{form}-{p}.pdf") for p in PAPERS]
                      for form in ("intake-guide", "my-plan")},
        }

    def clock_config(self) -> dict[str, str]:
        """What the start-time picker needs to write times as the page does (CLDR pattern, AM/PM words)."""
        periods = Locale.parse(self.locale).day_periods.get("format", {}).get("abbreviated", {})
        return {"default": self.settings.start_time.strftime("%H:%M"),
                "pattern": get_time_format("short", locale=self.locale).pattern,
                "am": str(periods.get("am", "AM")), "pm": str(periods.get("pm", "PM"))}

    def write(self, docs: Path) -> list:
        """Write every page into ``docs``; return the mkdocs navigation (titles in the variant's language)."""
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        program = self.module(self.content.program) if self.content.program else None
        weeks = [self.module(self.content.weeks[n]) for n in sorted(self.content.weeks)]
        local, national = self.help_lines()
        quick_all = self.settings.quick_exit == "all"
        ctx = {
            "variant": self.variant, "agency": self.agency, "program": program, "weeks": weeks,
            "labels": self.labels, "source": self.source.variant if self.source else None,
            "source_name": self.source_name(),
            "start_time": format_time(self.settings.start_time, "short", locale=self.locale),
            "local_lines": local, "national_lines": national, "content_date": self.date(self.variant.content_date),
            "downloads": self.downloads(weeks), "status": self.status_modules(),
            "handout_sections": HANDOUT_SECTIONS, "notes_id": NOTES, "discreet_id": DISCREET,
            "print_links": self.print_links, "clock": self.clock_config(),
        }
        L = self.labels

        def page(name: str, template: str, title: str, participant: bool = False, hide: tuple[str, ...] = (),
                 **extra) -> None:
            meta: dict = {"title": title, "quick_exit": participant or quick_all}
            if participant:
                meta["participant"] = True
            if hide:
                meta["hide"] = list(hide)
            try:
                body = self.env.get_template(f"pages/{template}").render(**ctx, **extra)
            except jinja2.TemplateError as exc:
                raise template_error(exc, self.project.root, f"pages/{template}") from None
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
            (docs / name).write_text(f"---\n{front}\n---\n\n{body.strip()}\n", encoding="utf-8")

        if program:
            page("index.md", "overview.md.j2", program.title, module=program)
        for w in weeks:
            n = w.week.number if w.week else 0
            page(w.page, "week.md.j2", L["week_title"].format(n=n, title=w.title), module=w)
            page(f"handout-{n}.md", "handout.md.j2", L["handout_title"].format(n=n), participant=True, module=w)
            if w.section(DISCREET):
                page(f"notes-{n}.md", "handout-discreet.md.j2", L["discreet_title"].format(n=n), participant=True,
                     module=w)
            page(f"session-{n}.md", "session.md.j2", L["session_title"].format(n=n), module=w,
                 hide=("navigation", "toc", "footer"))
        page("schedule.md", "schedule.md.j2", L["schedule"])
        page("key-messages.md", "key-messages.md.j2", L["key_messages"])
        page("facilitator-notes.md", "facilitator-notes.md.j2", L["facilitator_notes"])
        page("resources.md", "resources.md.j2", L["resources"])
        page("downloads.md", "downloads.md.j2", L["downloads"])
        if self.source is not None:
            page("translation-status.md", "translation-status.md.j2", L["translation_status"])
        self.mapper.copy_files(docs)
        shutil.copytree(self.project.templates / SITE_TEMPLATES / ASSETS, docs / "assets" / "connections")
        nav: list = []
        if program:
            nav.append({program.title: "index.md"})
        nav.append({L["sessions"]: [{L["week_title"].format(n=w.week.number if w.week else 0, title=w.title): w.page}
                                    for w in weeks]})
        nav += [{L["schedule"]: "schedule.md"}, {L["key_messages"]: "key-messages.md"},
                {L["facilitator_notes"]: "facilitator-notes.md"}]
        handouts: list = []
        for w in weeks:
            n = w.week.number if w.week else 0
            handouts.append({L["handout_title"].format(n=n): f"handout-{n}.md"})
            if w.section(DISCREET):
                handouts.append({L["discreet_title"].format(n=n): f"notes-{n}.md"})
        nav.append({L["handouts"]: handouts})
        nav.append({L["session_views"]: [{L["session_title"].format(n=w.week.number if w.week else 0):
                                          f"session-{w.week.number if w.week else 0}.md"} for w in weeks]})
        nav += [{L["resources"]: "resources.md"}, {L["downloads"]: "downloads.md"}]
        if self.source is not None:
            nav.append({L["translation_status"]: "translation-status.md"})
        return nav


def variant_pages(bundle: Bundle, variant_id: str) -> set[str]:
    """The HTML pages a variant's site has, for the language switcher of the other variants (a page without a
    counterpart, such as translation-status, leads to the other variant's home instead)."""
    content = bundle.contents.get(variant_id)
    if content is None:
        return {"index.html"}
    names = {"index.html", "404.html", "schedule.html", "key-messages.html", "facilitator-notes.html",
             "resources.html", "downloads.html"}
    for n, w in content.weeks.items():
        names |= {f"week-{n}.html", f"handout-{n}.html", f"session-{n}.html"}
        source = bundle.source_of(variant_id)
        if DISCREET in w.sections or (source is not None and DISCREET in source.weeks.get(n, w).sections):
            names.add(f"notes-{n}.html")
    if bundle.source_of(variant_id) is not None:
        names.add("translation-status.html")
    return names


def template_error(exc: jinja2.TemplateError, root: Path, name: str) -> UserError:
    """A template mistake as 'templates/site/…:line: what', found from the error or its traceback."""
    where, line = f"templates/{SITE_TEMPLATES}/{name}", 0
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        where, line = f"templates/{SITE_TEMPLATES}/{exc.name or name}", exc.lineno
    else:
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                try:
                    where = Path(filename).resolve().relative_to(root).as_posix()
                except ValueError:
                    where = filename
                line = tb.tb_lineno
            tb = tb.tb_next
    return UserError(f"{where}:{line}: template error: {exc.message or exc}; fix the template (or copy it again "
                     "from the toolkit)")


def keep_together(text: str) -> str:
    """No-break spaces inside clock times ("9 h", "17 h 30", "9 a.m."), so an hour never ends a line."""
    return TIME_WORD_RE.sub("\u00a0", text or "")


def _tel(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return f"tel:{digits}"
