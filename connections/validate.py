"""Check loaded content: structure of each module, agreement between variants, safety of links."""

from __future__ import annotations

from pathlib import Path

from .agenda import BUILTIN_ITEMS, is_builtin
from .errors import Problems
from .loader import load_agency, load_variant, load_variants
from .model import WEEKS, Bundle, Module, Program, VariantContent, Week
from .project import Project
from .safety import scan_markdown
from .yamlfile import Located

WEEK_SECTIONS = ("preparation", "welcome", "check-in", "review", "key-messages", "activity-1", "activity-2",
                 "grounding", "closing", "handout", "handout-discreet", "facilitator-notes")
PROGRAM_SECTIONS = ("about", "practice", "session-format", "group-setting", "childcare", "group-agreement",
                    "disclosure", "duty-to-report", "safety-planning", "self-care")


def required_sections(module: Module) -> tuple[str, ...]:
    if isinstance(module, Week):
        return tuple(s for s in WEEK_SECTIONS if s != "review" or module.number > 1)
    return PROGRAM_SECTIONS


MAX_SECTION_WORDS = 5_000  # about ten printed pages; the longest bundled section has about 1,000 words


def check_sizes(module: Module, problems: Problems) -> bool:
    """Refuse a section too long to print or read in a session, before any slow check or render; False if one is."""
    ok = True
    for sec in module.sections.values():
        words = len(sec.body.split())
        if words > MAX_SECTION_WORDS:
            problems.add(module.path, sec.line, f"section '{sec.id}' has {words:,} words; a section holds at most "
                         f"{MAX_SECTION_WORDS:,} (about ten printed pages): shorten it or split it into sections")
            ok = False
    return ok


def _first_line(module: Module) -> int:
    return min((s.line for s in module.sections.values()), default=1)


def _last_line(module: Module) -> int:
    try:
        return len(module.path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return 1


def check_structure(module: Module, problems: Problems) -> None:
    """Required sections present and in order; no undeclared extras; declared extras exist."""
    required = required_sections(module)
    ids = list(module.sections)
    for i, sid in enumerate(required):
        if sid not in module.sections:
            after = next((module.sections[s] for s in required[i + 1:] if s in module.sections), None)
            where = f"before line {after.line} ('{after.id}')" if after else "at the end of the file"
            problems.add(module.path, after.line if after else _last_line(module), f"missing section '{sid}'; "
                         f"expected a heading '## ... {{#{sid}}}' {where}. Required sections, in order: "
                         f"{', '.join(required)}")
    present = [s for s in ids if s in required]
    expected_order = [s for s in required if s in module.sections]
    if present != expected_order:
        for got, want in zip(present, expected_order, strict=True):
            if got != want:
                problems.add(module.path, module.sections[got].line, f"section '{got}' is out of order; expected "
                             f"'{want}' here (order: {', '.join(required)})")
                break
    for sid, sec in module.sections.items():
        if sid in required or sid in module.extra_sections:
            continue
        if isinstance(module, Week) and sid == "review" and module.number == 1:
            problems.add(module.path, sec.line, "week 1 has no 'review' section (there is no earlier week to review)")
            continue
        problems.add(module.path, sec.line, f"unexpected section id '{sid}'; expected one of: {', '.join(required)}"
                     " — or declare it in the front matter with 'extra_sections: [" + sid + "]'")
    for sid in module.extra_sections:
        if sid not in module.sections:
            problems.add(module.path, _first_line(module), f"extra section '{sid}' is declared but there is no "
                         f"'## ... {{#{sid}}}' heading")


def _items(n: int) -> str:
    return f"{n} item{'s' * (n != 1)}"


def check_week(week: Week, front: Located, problems: Problems) -> None:
    check_structure(week, problems)
    seen: set[str] = set()
    for item in week.agenda:
        if item.section not in week.sections and not is_builtin(item.section):
            problems.add(week.path, item.line, f"agenda entry '{item.section}' does not match any section; "
                         f"expected one of: {', '.join([*week.sections, *BUILTIN_ITEMS])}")
        if item.section in seen:
            problems.add(week.path, item.line, f"agenda entry '{item.section}' appears twice")
        seen.add(item.section)
    total = sum(i.minutes for i in week.agenda)
    if week.agenda and week.duration and total != week.duration:
        problems.add(week.path, front.line("duration"), f"agenda minutes add up to {total} but duration is "
                     f"{week.duration}; change the minutes or the duration so they match")
    plain, facilitator = len(week.participant_key_messages), len(week.key_messages)
    if plain and facilitator and plain != facilitator:
        problems.add(week.path, front.line("participant_key_messages"), f"participant_key_messages has "
                     f"{_items(plain)}, but key_messages has {_items(facilitator)}; write one plain-language "
                     "participant message for each key message, in the same order")
    km = week.sections.get("key-messages")
    if km and week.key_messages:
        subs = sum(1 for line in km.body.splitlines() if line.startswith("### "))
        if subs != len(week.key_messages):
            problems.add(week.path, km.line, f"the key-messages section has {subs} '### ' sub-headings but the "
                         f"front matter lists {len(week.key_messages)} key messages; expected one sub-heading each")


def check_against_source(content: VariantContent, source: VariantContent, bundle: Bundle,
                         problems: Problems) -> None:
    """A translation or adaptation keeps the source's section ids and number of key messages."""
    pairs: list[tuple[Module | None, Module | None]] = [(content.program, source.program)]
    pairs += [(content.weeks.get(n), source.weeks.get(n)) for n in WEEKS]
    src_label = source.variant.label
    for mod, src in pairs:
        if mod is None or src is None:
            continue
        required = required_sections(mod)
        for sid in src.sections:
            # Required sections are reported by check_structure; here, the source's own extra sections.
            if sid not in mod.sections and sid not in required and sid in src.extra_sections:
                problems.add(mod.path, _last_line(mod), f"section '{sid}' of the {src_label} source "
                             f"({relpath(bundle.project, src.path)}) is missing; add '## ... {{#{sid}}}' "
                             "with the same id")
        if isinstance(mod, Week) and isinstance(src, Week) and len(mod.key_messages) != len(src.key_messages):
            front = bundle.fronts.get((content.variant.id, mod.number))
            problems.add(mod.path, front.line("key_messages") if front else 1,
                         f"{len(mod.key_messages)} key messages, but the {src_label} source has "
                         f"{len(src.key_messages)}; keep one per source message, in the same order")


def load_bundle(project: Project, problems: Problems, variant_ids: list[str] | None = None) -> Bundle:
    """Load and check everything; problems are collected, never raised here."""
    variants = load_variants(project, problems)
    if variant_ids:
        known = {v.id for v in variants}
        for vid in variant_ids:
            if vid not in known:
                problems.add(project.content / vid, 0, f"no such variant '{vid}'; expected one of: "
                             f"{', '.join(sorted(known))}")
    contents: dict[str, VariantContent] = {}
    bundle = Bundle(project, variants, contents, None)
    for v in variants:
        content, fronts = load_variant(v, problems)
        contents[v.id] = content
        for n, loc in fronts.items():
            bundle.fronts[(v.id, n)] = loc
        for mod in content.modules():
            if not check_sizes(mod, problems):
                continue
            text = mod.path.read_text(encoding="utf-8")
            scan_markdown(text, 1, mod.path, project.root, problems)
            if isinstance(mod, Week):
                check_week(mod, fronts[mod.number], problems)
            elif isinstance(mod, Program):
                check_structure(mod, problems)
    for v in variants:
        src = bundle.source_of(v.id)
        if src is not None:
            check_against_source(contents[v.id], src, bundle, problems)
    bundle.agency = load_agency(project.agency_yml, problems)
    return bundle


def module_by_slug(content: VariantContent, slug: str) -> Module | None:
    return next((m for m in content.modules() if m.slug == slug), None)


def relpath(project: Project, path: Path) -> str:
    return path.resolve().relative_to(project.root).as_posix()
