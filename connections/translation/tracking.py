"""Which source text each translated section was made from, and whether it is still current.

A translation's front matter ends with ``translated_from: {section-id: hash}``, written by
``build.py mark-current``. The hash is of the source section as it was when the translator
reviewed it; when the source changes, the hashes differ and the section needs review.
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
                 "materials": module.materials,
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
