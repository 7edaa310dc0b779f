"""Read content and configuration into typed objects, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from . import config_options as co
from . import schema
from .errors import Problems
from .model import WEEKS, Agency, AgendaItem, HelpLine, Program, Variant, VariantContent, Week
from .project import Project
from .sections import split_sections
from .yamlfile import Located, MarkdownFile, YamlSyntaxError, load_yaml, split_front_matter

RELATIONS = ("source", "translation", "adaptation")
NATIONAL_LINES = Path(__file__).with_name("data") / "national_lines.yml"


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text (a leading byte-order mark dropped); None, with the problem and its line, when unreadable."""
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.add(path, 0, f"cannot read the file: {reason}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.add(path, line, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start + 1}, "
                     f"0x{data[exc.start]:02x}); save it as UTF-8 (in most editors: Save As, encoding UTF-8)")
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


LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class LanguageTag(co.Option):
    """A BCP 47 language tag for HTML and PDF: en, fr, iu, fr-CA."""

    def check(self, value: object, ctx: co.Context, where: tuple) -> object:
        if isinstance(value, str) and LANG_RE.match(value.strip()):
            return value.strip()
        raise co.ValidationError("a language tag such as en, fr, iu or fr-CA")


def national_line_ids() -> tuple[str, ...]:
    """The ids of the national help lines shipped in data/national_lines.yml, in the file's order."""
    return tuple(str(item["id"]) for item in _national_data()["lines"])


# The national lines a variant prints when its variant.yml does not list them: every variant prints the
# overdose response line (the content discusses not using alone); the adaptation for Indigenous
# communities adds the residential-schools and MMIWG2S+ lines its weeks refer to.
DEFAULT_NATIONAL_LINES: dict[str, tuple[str, ...]] = {
    "source": ("hope-for-wellness", "kids-help-phone", "988", "overdose-response"),
    "translation": ("hope-for-wellness", "kids-help-phone", "988", "overdose-response"),
    "adaptation": ("hope-for-wellness", "irs-crisis", "mmiwg", "kids-help-phone", "988", "overdose-response"),
}


class NationalLineId(co.Option):
    """The id of a line in data/national_lines.yml (988 may be written unquoted)."""

    def check(self, value: object, ctx: co.Context, where: tuple) -> object:
        ids = national_line_ids()
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is not None and text.strip().lower() in ids:
            return text.strip().lower()
        raise co.ValidationError(message=f"national line {co.show(value)} is not one of the toolkit's national "
                                 f"lines; expected ids among: {', '.join(ids)}")


VARIANT_OPTIONS: dict[str, co.Option] = {
    "label": co.Text(required=True),
    "locale": co.Locale(required=True, hint="a Babel locale such as en_CA, fr_CA or iu"),
    "lang": LanguageTag(required=True),
    "relation": co.Choice(RELATIONS, required=True),
    "source": co.Type((str, type(None)), "a text or nothing"),
    "theme_language": co.Text(),
    "discreet_name": co.Text(required=True),
    "content_date": co.Date(required=True),
    "order": co.Integer(1),
    "national_lines": co.ListOf(NationalLineId(), expected="a list of national line ids, e.g. [hope-for-wellness, "
                                "kids-help-phone, 988, overdose-response]"),
}


def load_variant_config(directory: Path, problems: Problems) -> Variant | None:
    path = directory / "variant.yml"
    loc = read_yaml_file(path, problems)
    if loc is None:
        return None
    data = co.validate(VARIANT_OPTIONS, co.Context(path, loc, problems, problems.root), "variant configuration")
    if data is None or not all(k in data for k in ("label", "locale", "lang", "relation", "discreet_name")):
        return None
    ok = True
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
        national_lines=tuple(dict.fromkeys(data["national_lines"])) if "national_lines" in data else None,
        lines={k: loc.line(k) for k in VARIANT_OPTIONS if k in loc.data},
    )


def _base_module_fields(data: dict, sections: dict) -> dict:
    return {
        "title": data.get("title", ""),
        "sections": sections,
        "translated_from": dict(data.get("translated_from") or {}),
        "extra_sections": list(data.get("extra_sections") or []),
    }


MAX_MODULE_BYTES = 200_000  # a module file; the largest bundled one is about 30 KB


def _module_refused(path: Path, problems: Problems) -> bool:
    """Refuse, before any slow work, a module that lives outside the project (through a link) or is huge."""
    try:
        real = path.resolve()
        size = real.stat().st_size
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        problems.add(path, 0, f"cannot read the file: {getattr(exc, 'strerror', None) or exc}")
        return True
    if not real.is_relative_to(problems.root.resolve()):
        problems.add(path, 0, f"this file is a link to {real}, outside the project folder; content must live in the "
                     "project: replace the link with a copy of the file")
        return True
    if size > MAX_MODULE_BYTES:
        shown = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"
        problems.add(path, 1, f"the file is {shown}; a module file holds at most "
                     f"{MAX_MODULE_BYTES // 1000} KB (the longest bundled one is about 30 KB): shorten it, or move "
                     "long reading into a separate document")
        return True
    return False


def read_module(path: Path, problems: Problems) -> MarkdownFile | None:
    """A module file split into front matter and body; None (with the problem recorded) when unreadable."""
    if _module_refused(path, problems):
        return None
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


def _check_content_folders(project: Project, problems: Problems) -> None:
    """A folder of content/ with Markdown but no variant.yml is not built: say so, and how to make it a variant."""
    for d in sorted(project.content.iterdir()) if project.content.is_dir() else []:
        if d.is_dir() and not d.name.startswith(".") and not (d / "variant.yml").is_file() and any(d.glob("*.md")):
            example = next((v.name for v in project.variant_dirs()), "en")
            problems.warn(d, 0, f"this folder has no variant.yml, so it is ignored (nothing in it is checked or "
                          f"built); to make it a variant, copy content/{example}/variant.yml into it and edit label, "
                          "locale, lang, relation and source — or move the folder out of content/")


def _check_languages(variants: list[Variant], problems: Problems) -> None:
    """Two variants in one language make two sites and catalogs that cannot be told apart, unless one adapts
    the program for a community (an adaptation may keep its source's language, as content/indigenous does)."""
    first: dict[str, Variant] = {}
    for v in sorted(variants, key=lambda v: v.id):
        key = v.lang.lower()
        other = first.get(key)
        if other is None:
            first[key] = v
        elif v.relation != "adaptation" and other.relation != "adaptation":
            problems.add(v.directory / "variant.yml", v.lines.get("lang", 0),
                         f"lang '{v.lang}' is already the language of variant '{other.id}' "
                         f"({problems.rel(other.directory / 'variant.yml')}:{other.lines.get('lang', 0)}); give each "
                         "translation its own language tag (e.g. fr-CA and fr-FR), or write 'relation: adaptation' "
                         "if this variant adapts the program for a community in the same language")


def load_variants(project: Project, problems: Problems) -> list[Variant]:
    """Every variant, the source first, then by 'order' and id."""
    variants = [v for d in project.variant_dirs() if (v := load_variant_config(d, problems))]
    ids = {d.name for d in project.variant_dirs()}
    for v in variants:
        if v.source and v.source not in ids:
            problems.add(v.directory / "variant.yml", v.lines.get("source", 0), f"source variant '{v.source}' does "
                         f"not exist; expected one of: {', '.join(sorted(ids))}")
    _check_languages(variants, problems)
    _check_content_folders(project, problems)
    if not project.variant_dirs():
        problems.add(project.content, 0, "no variants found; expected folders like content/en/ with a variant.yml")
    return sorted(variants, key=lambda v: (v.relation != "source", v.order, v.id))


HELP_LINE_OPTIONS: dict[str, co.Option] = {
    "name": co.TextByLanguage(required=True),
    "number": co.Phone(required=True),
    "hours": co.TextByLanguage(),
    "languages": co.TextByLanguage(),
    "audience": co.TextByLanguage(),
    "last_verified": co.Date(not_future=True),
    "discreet_ok": co.Boolean(),
}


def _split_child_welfare(text: str) -> tuple[str, str]:
    """'Sample CAS, 555-010-0199' -> ('Sample CAS', '555-010-0199'); the whole text as the name otherwise."""
    name, sep, tail = text.rpartition(",")
    if sep and name.strip() and co.PHONE_RE.match(tail.strip()):
        return name.strip(), tail.strip()
    return text.strip(), ""


class ChildWelfare(co.Option):
    """``child_welfare: {name: …, phone: …}``; the old single text still works, with a warning.

    Why: content reads ``[[agency.child_welfare]]`` inside sentences ("ask … for advice"), in English and
    French, so the name must not carry a phone number; the phone has its own placeholder.
    """

    FIELDS: dict[str, co.Option] = {"name": co.Text(required=True, hint="e.g. Sample County Children's Aid Society"),
                                    "phone": co.Phone()}

    def run(self, value: object, ctx: co.Context, where: tuple, name: str) -> object:
        if isinstance(value, str) and value.strip():
            agency, phone = _split_child_welfare(value)
            ctx.warn(where, f"child_welfare is one text ({value.strip()!r}), read inside sentences of the content; "
                     "write the agency's name and its phone apart (one text is deprecated): "
                     f"child_welfare: {{name: {agency}, phone: {phone or '…'}}}")
            return {"name": agency, "phone": phone}
        if isinstance(value, dict):
            return co.SubConfig(self.FIELDS, "child-welfare agency").run(value, ctx, where, name)
        ctx.error(where, f"field 'child_welfare' should be the local child-welfare agency's name and phone, "
                  f"written 'child_welfare: {{name: …, phone: …}}', not {co.show(value)}")
        return co.INVALID


EMERGENCY_OPTIONS: dict[str, co.Option] = {
    "number": co.Phone(required=True, hint="9-1-1 where it exists, else the local police and ambulance number"),
    "label": co.TextByLanguage(),
}

AGENCY_OPTIONS: dict[str, co.Option] = {
    "name": co.Text(required=True),
    "province": co.Text(required=True, hint="e.g. Ontario"),
    "child_welfare": ChildWelfare(required=True, hint="the local child-welfare agency's name and phone, "
                                  "written child_welfare: {name: …, phone: …}"),
    "emergency": co.SubConfig(EMERGENCY_OPTIONS, "emergency number"),
    "address": co.Text(),
    "phone": co.Phone(),
    "logo": co.File(inside_project=True, image=True, what="logo file"),
    "quick_exit_url": co.Url(),
    "help_lines": co.ListOf(co.SubConfig(HELP_LINE_OPTIONS, "help line"), expected="a list of entries",
                          keep_valid=True),
    "show_national_lines": co.Boolean(),
}


def _help_line(ok: dict) -> HelpLine | None:
    if "name" not in ok or "number" not in ok:
        return None
    texts: dict[str, str] = {}
    by_language: dict[str, dict[str, str]] = {}
    for name in ("name", "hours", "languages", "audience"):
        value = ok.get(name, "")
        if isinstance(value, dict):  # one text per language: English (or the first given) by default
            by_language[name] = value
            value = value.get("en", next(iter(value.values())))
        texts[name] = value
    return HelpLine(number=ok["number"], last_verified=ok.get("last_verified"),
                    discreet_ok=ok.get("discreet_ok", True), by_language=by_language, **texts)  # type: ignore[arg-type]


def _national_data() -> dict:
    return _national_cached(NATIONAL_LINES.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _national_cached(mtime: int) -> dict:
    return load_yaml(NATIONAL_LINES.read_text(encoding="utf-8")).data


def _in(texts: object, lang: str) -> str:
    """The text for ``lang`` (or its base language), else the English; texts is one text or {lang: text}."""
    if not isinstance(texts, dict):
        return str(texts or "")
    return str(texts.get(lang) or texts.get(lang.split("-")[0]) or texts.get("en", ""))


def load_national_lines(lang: str, ids: tuple[str, ...] | None = None) -> list[HelpLine]:
    """National help lines shipped with the toolkit, in ``lang`` when a translation exists.

    ``ids``: the lines to print, in that order (a variant's choice); None: every line.
    """
    items = {str(item["id"]): item for item in _national_data()["lines"]}
    base = lang.split("-")[0]
    fields = ("name", "hours", "languages", "audience", "discreet_name")

    def english(item: dict) -> bool:  # no text in this language: printed in English, and marked so
        return base != "en" and lang not in item["name"] and base not in item["name"]

    return [HelpLine(id=i, name=_in(item["name"], lang), number=str(item["number"]),
                     hours=_in(item.get("hours"), lang), languages=_in(item.get("languages"), lang),
                     audience=_in(item.get("audience"), lang), discreet_name=_in(item.get("discreet_name"), lang),
                     last_verified=item.get("last_verified"), discreet_ok=True,
                     text_lang=dict.fromkeys(fields, "en") if english(item) else {})  # for screen readers
            for i, item in ((i, items[i]) for i in (ids if ids is not None else tuple(items)) if i in items)]


def national_lines_for(variant: Variant) -> list[HelpLine]:
    """The national lines ``variant`` prints: its variant.yml list, else its relation's default."""
    ids = variant.national_lines
    if ids is None:
        ids = DEFAULT_NATIONAL_LINES.get(variant.relation, DEFAULT_NATIONAL_LINES["source"])
    return load_national_lines(variant.lang, ids)


def load_agency(path: Path, problems: Problems, lang: str = "en") -> Agency | None:
    if not path.is_file():
        problems.add(path, 0, "missing agency configuration; copy agency.yml from the toolkit and edit it")
        return None
    loc = read_yaml_file(path, problems)
    if loc is None:
        return None
    data = co.validate(AGENCY_OPTIONS, co.Context(path, loc, problems, problems.root), "agency configuration")
    if data is None:
        return None
    lines = [hl for item in data.get("help_lines", []) if (hl := _help_line(item))]
    if not all(k in data for k in ("name", "province", "child_welfare")):
        return None
    logo = data.get("logo")
    quick_exit_url = data.get("quick_exit_url", "https://weather.gc.ca/")
    emergency = HelpLine(name="", number="9-1-1", id="emergency")
    if "number" in data.get("emergency", {}):
        label = data["emergency"].get("label", "")
        emergency = HelpLine(name=_in(label, "en") if isinstance(label, dict) else label,
                             number=data["emergency"]["number"], id="emergency",
                             by_language={"name": label} if isinstance(label, dict) else {})
    return Agency(
        name=data["name"], province=data["province"], child_welfare=data["child_welfare"].get("name", ""),
        child_welfare_phone=data["child_welfare"].get("phone", ""), emergency=emergency,
        address=data.get("address", ""), phone=data.get("phone", ""), logo=logo, help_lines=lines,
        national_lines=load_national_lines(lang) if data.get("show_national_lines", True) else [],
        quick_exit_url=quick_exit_url, path=path,
    )
