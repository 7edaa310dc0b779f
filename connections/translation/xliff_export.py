"""`build.py translate export VARIANT`: an XLIFF 1.2 file a CAT tool opens, with the state of each section.

One ``<file>`` per module (``original`` is the translated file, e.g. content/fr/week-3.md), one
``<trans-unit>`` per front-matter value and per paragraph, list item, heading, table cell and
admonition title. The state comes from the section tracking (tracking.py):

    current section                  state="final", approved="yes"
    English changed since marked     state="needs-review-translation"; the English it was translated
                                     from as an <alt-trans> and a note
    never marked, or missing         state="new" (a translation already in the file is a draft)

Each unit records its section and the section's English hash in a context group, so an import can
refuse a unit whose English changed after the export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..validate import Bundle
from . import segments as S
from . import store
from .tracking import CURRENT, FRONT, MISSING, REVIEW, module_pairs, module_status, tracked_ids
from .units import FileText, Unit, aligned, old_texts, read_file, section_units
from .xliff_format import CONTEXT, Xliff12File, to_strelem


@dataclass
class ExportCounts:
    units: int = 0
    words: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def lang_tag(locale: str, lang: str) -> str:
    """fr_CA -> fr-CA; a locale without a region keeps the variant's language tag."""
    return locale.replace("_", "-") if "_" in locale else lang


def words(text: str) -> int:
    return len(S.plain(S.parse_inline(text)).split())


def _state(state: str, recorded: str | None) -> str:
    if state == CURRENT:
        return "final"
    if state == REVIEW and recorded is not None:
        return "needs-review-translation"
    return "new"


def _add_unit(xf: Xliff12File, u: Unit, src_hash: str, state: str, target: str | None, before: str | None,
              src_lang: str, tgt_lang: str, counts: ExportCounts) -> None:
    unit = xf.UnitClass("")
    unit.setid(u.id)
    unit.set_rich_source([to_strelem(u.nodes)], src_lang)
    tree = S.renumber_like(S.parse_inline(target), u.nodes) if target is not None else None
    if state == "new" and target is not None and target == u.markdown:
        tree = None  # an untranslated copy of the English is not a draft
    if target is not None and tree is None and target != u.markdown:
        unit.addnote(f"Translation now in the file (its markup differs from the English, so it is not the "
                     f"target): {target}", origin="connections")
        if state == "final":
            state = "needs-review-translation"
    if tree is not None:
        unit.set_rich_target([to_strelem(tree)], tgt_lang)
        unit.set_state_n(unit.statemap[state])
    else:
        state = "new"  # nothing in the target: a CAT tool shows it as untranslated
    if before is not None and before != u.markdown:
        unit.addalttrans(target or "", origin="previous-source", sourcetxt=before)
        unit.addnote(f"The English changed. Before: {before}", origin="connections")
    unit.createcontextgroup(CONTEXT.format(u.id), [("x-section", u.section), ("x-source-hash", src_hash)],
                            "information")
    xf.addunit(unit)
    counts.units += 1
    counts.by_state[state] = counts.by_state.get(state, 0) + 1
    if state != "final":
        counts.words += words(u.markdown)


def build(bundle: Bundle, vid: str, everything: bool) -> tuple[Xliff12File, ExportCounts]:
    """The XLIFF store of a translated variant: what needs work, or with ``everything`` every unit."""
    variant = bundle.variant(vid)
    src_variant = bundle.variant(variant.source or "")
    src_lang = lang_tag(src_variant.locale, src_variant.lang)
    tgt_lang = lang_tag(variant.locale, variant.lang)
    xf = Xliff12File(sourcelanguage=src_lang, targetlanguage=tgt_lang)
    counts = ExportCounts()
    root = bundle.project.root
    for src, mod in module_pairs(bundle, vid):
        english = read_file(src.slug, src.path)
        if english is None:
            continue
        path = variant.directory / f"{src.slug}.md"
        mine: FileText | None = read_file(src.slug, path) if mod is not None else None
        statuses = {s.section: s for s in module_status(bundle, vid, src.slug)}
        original = path.resolve().relative_to(root.resolve()).as_posix()
        for sid in tracked_ids(src):
            st = statuses[sid]
            if st.state == CURRENT and not everything:
                continue
            if xf.getfilenode(original) is None or xf._filename != original:
                xf.switchfile(original, createifmissing=True)
                filenode = xf.getfilenode(original)
                filenode.set("datatype", "x-markdown")
                filenode.set("target-language", tgt_lang)
            units = section_units(english, sid)
            targets = aligned(units, mine, sid) if st.state != MISSING else None
            befores = old_texts(units, store.load(bundle.project, st.recorded), sid) \
                if st.state == REVIEW and st.recorded else None
            state = _state(st.state, st.recorded)
            for i, u in enumerate(units):
                _add_unit(xf, u, st.current or "", state, targets[i] if targets else None,
                          befores[i] if befores else None, src_lang, tgt_lang, counts)
            sec = mine.sections.get(sid) if mine is not None and sid != FRONT else None
            if targets is None and sec is not None and units:
                now = "".join(mine.lines[sec.start:sec.end]).strip()  # type: ignore[union-attr]
                xf.units[-len(units)].addnote("The translation now in the file does not line up with the English "
                                              f"block by block, so it is not in the targets; all of it: {now}",
                                              origin="connections")
            if st.state == REVIEW and st.recorded and befores is None and units:
                old = store.load(bundle.project, st.recorded)
                if old:
                    last = xf.units[-len(units)]
                    last.addnote(f"The English of this section changed; all of it before: {old}", origin="connections")
    return xf, counts


def write(xf: Xliff12File, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        xf.serialize(f)

