"""Which source text each translated section was made from, and whether it is still current.

A translation's front matter ends with ``translated_from: {section-id: hash}``, written by
``build.py mark-current``. The hash is of the source section as it was when the translator
reviewed it; when the source changes, the hashes differ and the section needs review. The text
behind each hash is kept in content/.sources/ (store.py), so `status --diff` can show the change.
A section never marked current counts as needing review.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import yaml

from ..model import Module, Week
from ..validate import Bundle

FRONT = "front-matter"  # pseudo-section: the week's title, objectives, key messages, materials and agenda
CURRENT, REVIEW, MISSING, EXTRA = "current", "needs review", "missing", "extra"


def front_text(module: Module) -> str:
    """The translatable front matter of a module, as stable text (for hashing and diffs)."""
    data: dict = {"title": module.title}
    if isinstance(module, Week):
        data |= {"discreet_title": module.discreet_title, "duration": module.duration,
                 "objectives": module.objectives, "key_messages": module.key_messages,
                 "participant_key_messages": module.participant_key_messages, "materials": module.materials,
                 "agenda": [{"section": a.section, "minutes": a.minutes} for a in module.agenda]}
    else:
        data["subtitle"] = getattr(module, "subtitle", "")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def section_text(module: Module, section_id: str) -> str | None:
    """The source text that a translated section is made from."""
    if section_id == FRONT:
        return front_text(module)
    sec = module.sections.get(section_id)
    if sec is None:
        return None
    return f"## {sec.heading}\n\n{sec.body.strip()}\n"


def text_hash(text: str) -> str:
    normalized = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class SectionStatus:
    section: str
    state: str  # current | needs review | missing | extra
    recorded: str | None  # hash of the source when last marked current
    current: str | None  # hash of the source now


def tracked_ids(source: Module) -> list[str]:
    return [FRONT, *source.sections]


def module_status(bundle: Bundle, variant_id: str, slug: str) -> list[SectionStatus]:
    """Status of every section of one translated module against its source, in source order."""
    src_content = bundle.source_of(variant_id)
    content = bundle.contents[variant_id]
    if src_content is None:
        return []
    source = next((m for m in src_content.modules() if m.slug == slug), None)
    module = next((m for m in content.modules() if m.slug == slug), None)
    if source is None:
        return []
    out: list[SectionStatus] = []
    for sid in tracked_ids(source):
        now = text_hash(section_text(source, sid) or "")
        if module is None or (sid != FRONT and sid not in module.sections):
            out.append(SectionStatus(sid, MISSING, None, now))
            continue
        recorded = module.translated_from.get(sid)
        out.append(SectionStatus(sid, CURRENT if recorded == now else REVIEW, recorded, now))
    if module is not None:
        for sid in module.sections:
            if sid not in source.sections:
                out.append(SectionStatus(sid, EXTRA, None, None))
    return out


def needs_review(bundle: Bundle, variant_id: str, slug: str) -> set[str]:
    """Section ids of a translated module whose source changed since it was last marked current."""
    return {s.section for s in module_status(bundle, variant_id, slug) if s.state == REVIEW}


def normalized(text: str) -> str:
    """The text exactly as it is hashed: trailing spaces and outer blank lines dropped, one final newline."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def module_pairs(bundle: Bundle, variant_id: str) -> list[tuple[Module, Module | None]]:
    """(source module, translated module or None) for every module of the source, in program order."""
    src_content = bundle.source_of(variant_id)
    if src_content is None:
        return []
    content = bundle.contents[variant_id]
    by_slug = {m.slug: m for m in content.modules()}
    return [(src, by_slug.get(src.slug)) for src in src_content.modules()]


@dataclass
class ModuleReport:
    """One translated file's status, ready to print or to dump as JSON."""

    slug: str
    source: Module
    module: Module | None
    sections: list[SectionStatus]

    def count(self, state: str) -> int:
        return sum(1 for s in self.sections if s.state == state)


@dataclass
class VariantReport:
    """A translated variant's status: every file, and the counts a CI gate reads."""

    variant_id: str
    source_id: str
    modules: list[ModuleReport]

    def count(self, state: str) -> int:
        return sum(m.count(state) for m in self.modules)

    @property
    def tracked(self) -> int:
        """Sections of the source that the variant should hold (extra sections are not counted)."""
        return sum(1 for m in self.modules for s in m.sections if s.state != EXTRA)

    @property
    def percent(self) -> float:
        return 100.0 if not self.tracked else round(100.0 * self.count(CURRENT) / self.tracked, 1)


def variant_report(bundle: Bundle, variant_id: str) -> VariantReport:
    """Status of every file of a translated or adapted variant against its source."""
    source_id = bundle.variant(variant_id).source or ""
    modules = [ModuleReport(src.slug, src, mod, module_status(bundle, variant_id, src.slug))
               for src, mod in module_pairs(bundle, variant_id)]
    return VariantReport(variant_id, source_id, modules)
