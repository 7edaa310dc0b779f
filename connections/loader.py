"""Read content and configuration into typed objects, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import babel

from . import schema
from .errors import Problems
from .model import WEEKS, Agency, AgendaItem, HelpLine, Program, Variant, VariantContent, Week
from .project import Project
from .sections import split_sections
from .yamlfile import Located, MarkdownFile, YamlSyntaxError, load_yaml, split_front_matter

RELATIONS = ("source", "translation", "adaptation")
NATIONAL_LINES = Path(__file__).with_name("data") / "national_lines.yml"


def read_text(path: Path, problems: Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(path, 1, f"the file is not UTF-8 text ({exc.reason}); save it as UTF-8")
    except OSError as exc:
        problems.add(path, 0, f"cannot read the file: {exc.strerror}")
    return None


def read_yaml_file(path: Path, problems: Problems) -> Located | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except YamlSyntaxError as exc:
        problems.add(path, exc.line, exc.message)
        return None


def load_variant_config(directory: Path, problems: Problems) -> Variant | None:
    path = directory / "variant.yml"
    loc = read_yaml_file(path, problems)
    if loc is None:
        return None
    data = schema.check_mapping(loc, loc.data, schema.VARIANT_FIELDS, path, problems, what="variant configuration")
    if data is None or not all(k in data for k in ("label", "locale", "lang", "relation", "discreet_name")):
        return None
    ok = True
    try:
        babel.Locale.parse(data["locale"])
    except (ValueError, babel.UnknownLocaleError):
        problems.add(path, loc.line("locale"), f"locale '{data['locale']}' is not known to Babel; "
                     "use one such as en_CA, fr_CA, iu or csw")
        ok = False
    if data["relation"] not in RELATIONS:
        problems.add(path, loc.line("relation"), f"relation should be one of {', '.join(RELATIONS)}, "
                     f"not '{data['relation']}'")
        ok = False
    source = data.get("source")
    if data["relation"] == "source" and source:
        problems.add(path, loc.line("source"), "a source variant translates nothing; remove 'source'")
        ok = False
    if data["relation"] != "source" and not source:
        problems.add(path, loc.line("relation"), f"a {data['relation']} needs 'source: <variant id>', e.g. source: en")
        ok = False
    if not ok:
        return None
    return Variant(
        id=directory.name,
        label=data["label"],
        locale=data["locale"],
        lang=data["lang"],
        relation=data["relation"],
        source=source,
        theme_language=data.get("theme_language", data["lang"]),
        discreet_name=data["discreet_name"],
        content_date=data.get("content_date", dt.date(2026, 1, 1)),
        order=data.get("order", 100),
        directory=directory,
    )


def _base_module_fields(data: dict, sections: dict) -> dict:
    return {
        "title": data.get("title", ""),
        "sections": sections,
        "translated_from": dict(data.get("translated_from") or {}),
        "extra_sections": list(data.get("extra_sections") or []),
    }


def read_module(path: Path, problems: Problems) -> MarkdownFile | None:
    """A module file split into front matter and body; None (with the problem recorded) when unreadable."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return split_front_matter(text)
    except YamlSyntaxError as exc:
        problems.add(path, exc.line, exc.message)
        return None


def load_program(path: Path, problems: Problems) -> Program | None:
    md = read_module(path, problems)
    if md is None:
        return None
    data = schema.check_mapping(md.front, md.front.data, schema.PROGRAM_FIELDS, path, problems) or {}
    sections = split_sections(md.body, md.body_line, path, problems)
    return Program(path=path, subtitle=data.get("subtitle", ""), **_base_module_fields(data, sections))


def load_week(path: Path, problems: Problems) -> tuple[Week, Located] | None:
    md = read_module(path, problems)
    if md is None:
        return None
    loc = md.front
    data = schema.check_mapping(loc, loc.data, schema.WEEK_FIELDS, path, problems) or {}
    sections = split_sections(md.body, md.body_line, path, problems)
    agenda: list[AgendaItem] = []
    for i, item in enumerate(data.get("agenda") or []):
        ok = schema.check_mapping(loc, item, schema.AGENDA_FIELDS, path, problems, where=("agenda", i),
                                  what="agenda entry")
        if ok and "section" in ok and "minutes" in ok:
            agenda.append(AgendaItem(ok["section"], ok["minutes"], loc.line("agenda", i)))
    week = Week(
        path=path,
        number=data.get("week", 0),
        duration=data.get("duration", 0),
        discreet_title=data.get("discreet_title", ""),
        objectives=list(data.get("objectives") or []),
        key_messages=list(data.get("key_messages") or []),
        participant_key_messages=list(data.get("participant_key_messages") or []),
        materials=list(data.get("materials") or []),
        agenda=agenda,
        **_base_module_fields(data, sections),
    )
    return week, loc


def load_variant(variant: Variant, problems: Problems) -> tuple[VariantContent, dict[int, Located]]:
    """Load program.md and week-1..6.md of one variant; the Located front matter is kept for line lookups."""
    d = variant.directory
    program = None
    if (d / "program.md").is_file():
        program = load_program(d / "program.md", problems)
    else:
        problems.add(d / "program.md", 0, "missing file; every variant needs program.md")
    weeks: dict[int, Week] = {}
    fronts: dict[int, Located] = {}
    for n in WEEKS:
        p = d / f"week-{n}.md"
        if not p.is_file():
            problems.add(p, 0, f"missing file; every variant needs week-1.md to week-6.md (week {n} is missing)")
            continue
        loaded = load_week(p, problems)
        if loaded:
            week, loc = loaded
            if week.number and week.number != n:
                problems.add(p, loc.line("week"), f"this file is week-{n}.md but says 'week: {week.number}'; "
                             f"expected 'week: {n}'")
            week.number = n
            weeks[n] = week
            fronts[n] = loc
    expected = {"variant.yml", "program.md", *(f"week-{n}.md" for n in WEEKS)}
    for p in sorted(d.iterdir()):
        if p.suffix == ".md" and p.name not in expected:
            problems.add(p, 0, "unexpected module file; a variant holds program.md and week-1.md to week-6.md, "
                         "once each")
    return VariantContent(variant, program, weeks), fronts


def load_variants(project: Project, problems: Problems) -> list[Variant]:
    """Every variant, the source first, then by 'order' and id."""
    variants = [v for d in project.variant_dirs() if (v := load_variant_config(d, problems))]
    ids = {d.name for d in project.variant_dirs()}
    for v in variants:
        if v.source and v.source not in ids:
            problems.add(v.directory / "variant.yml", 0, f"source variant '{v.source}' does not exist; "
                         f"expected one of: {', '.join(sorted(ids))}")
    if not project.variant_dirs():
        problems.add(project.content, 0, "no variants found; expected folders like content/en/ with a variant.yml")
    return sorted(variants, key=lambda v: (v.relation != "source", v.order, v.id))


def _help_line(loc: Located, item: dict, where: tuple, path: Path, problems: Problems) -> HelpLine | None:
    ok = schema.check_mapping(loc, item, schema.HELP_LINE_FIELDS, path, problems, where=where, what="help line")
    if not ok or "name" not in ok or "number" not in ok:
        return None
    texts: dict[str, str] = {}
    by_language: dict[str, dict[str, str]] = {}
    for name in ("name", "hours", "languages"):
        value = ok.get(name, "")
        if isinstance(value, dict):  # one text per language: English (or the first given) by default
            by_language[name] = value
            value = value.get("en", next(iter(value.values())))
        texts[name] = value
    return HelpLine(number=str(ok["number"]), last_verified=ok.get("last_verified"),
                    discreet_ok=ok.get("discreet_ok", True), by_language=by_language, **texts)


def load_national_lines(lang: str) -> list[HelpLine]:
    """National help lines shipped with the toolkit, named in ``lang`` when a translation exists."""
    data = load_yaml(NATIONAL_LINES.read_text(encoding="utf-8")).data
    lines = []
    for item in data["lines"]:
        names = item["name"]
        lines.append(HelpLine(name=names.get(lang, names["en"]), number=item["number"],
                              hours=item.get("hours", {}).get(lang, item.get("hours", {}).get("en", "")),
                              languages=item.get("languages", {}).get(lang, item.get("languages", {}).get("en", "")),
                              last_verified=item.get("last_verified"), discreet_ok=True))
    return lines


def load_agency(path: Path, problems: Problems, lang: str = "en") -> Agency | None:
    if not path.is_file():
        problems.add(path, 0, "missing agency configuration; copy agency.yml from the toolkit and edit it")
        return None
    loc = read_yaml_file(path, problems)
    if loc is None:
        return None
    data = schema.check_mapping(loc, loc.data, schema.AGENCY_FIELDS, path, problems, what="agency configuration")
    if data is None:
        return None
    lines = [hl for i, item in enumerate(data.get("help_lines") or [])
             if (hl := _help_line(loc, item, ("help_lines", i), path, problems))]
    if not all(k in data for k in ("name", "province", "child_welfare")):
        return None
    logo = None
    if data.get("logo"):
        logo = (path.parent / data["logo"]).resolve()
        root = problems.root.resolve()
        if not logo.is_relative_to(root):
            problems.add(path, loc.line("logo"), "the logo must be a file inside the project folder")
            logo = None
        elif not logo.is_file():
            problems.add(path, loc.line("logo"), f"logo file '{data['logo']}' not found")
            logo = None
    quick_exit_url = data.get("quick_exit_url", "https://weather.gc.ca/")
    if "quick_exit_url" in data and not re.fullmatch(r"https?://[^\s/\"'<>]+(/[^\s\"'<>]*)?", quick_exit_url):
        problems.add(path, loc.line("quick_exit_url"), f"field 'quick_exit_url' should be a whole web address "
                     f"starting with https://, e.g. https://weather.gc.ca/, not '{quick_exit_url}'")
    return Agency(
        name=data["name"], province=data["province"], child_welfare=data["child_welfare"],
        address=data.get("address", ""), phone=data.get("phone", ""), logo=logo, help_lines=lines,
        national_lines=load_national_lines(lang) if data.get("show_national_lines", True) else [],
        quick_exit_url=quick_exit_url, path=path,
    )
