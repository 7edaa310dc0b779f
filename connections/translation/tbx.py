"""`build.py translate glossary`: glossary.yml as TBX and CSV, so a CAT tool enforces the terms `check` does.

One TBX concept entry per English term, with every accepted translation per language (or variant id)
as alternatives. Protected terms (names, words in Indigenous languages) are entries whose every
language holds the term exactly, marked "do not translate" (``<descrip type="Translation needed">no``,
which translate-toolkit and Weblate read) with a note saying why. The CSV has the same rows, for tools
that import term lists as spreadsheets (memoQ, Phrase, Trados MultiTerm's wizard, OmegaT via a TSV).
"""

from __future__ import annotations

import csv
from pathlib import Path

from lxml import etree
from translate.storage.tbx import tbxfile

from ..errors import Problems, UserError
from ..project import Project
from .glossary import Glossary, load_glossary

PROTECTED_NOTE = "Protected term: copy it exactly in every language (same case, accents, spaces, apostrophes)."


def languages(glossary: Glossary) -> list[str]:
    """Every language or variant id the glossary gives translations for, in first-seen order."""
    seen: dict[str, None] = {}
    for term in glossary.terms:
        for lang in term.targets:
            seen.setdefault(lang, None)
    return list(seen)


def to_tbx(glossary: Glossary) -> tbxfile:
    store = tbxfile(sourcelanguage=glossary.source_lang)
    langs = languages(glossary)
    for n, term in enumerate(glossary.terms, 1):
        unit = store.addsourceunit(term.source)
        unit.setid(f"term-{n}")
        for lang in langs:
            if term.targets.get(lang):
                unit.set_target_terms(list(term.targets[lang]), lang)
    for n, (name, _) in enumerate(glossary.protected, 1):
        unit = store.addsourceunit(name)
        unit.setid(f"protected-{n}")
        for lang in langs:
            unit.set_target_terms([name], lang)
        unit.addnote(PROTECTED_NOTE)
        note = unit.xmlelement[-1]
        flag = etree.Element(unit.namespaced("descrip"), type="Translation needed")
        flag.text = "no"
        unit.xmlelement.insert(0, note)  # TBX puts a concept's notes before its language sets
        unit.xmlelement.insert(0, flag)
    return store


def write_csv(glossary: Glossary, out: Path) -> None:
    langs = languages(glossary)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([glossary.source_lang, *langs, "protected", "note"])
        for term in glossary.terms:
            w.writerow([term.source, *("; ".join(term.targets.get(lang, [])) for lang in langs), "no", ""])
        for name, _ in glossary.protected:
            w.writerow([name, *(name for _ in langs), "yes", PROTECTED_NOTE])


def export_glossary(root: Path, out: Path | None) -> int:
    """Write translations/glossary.tbx and glossary.csv (or into ``out``)."""
    project = Project.at(root)
    problems = Problems(project.root)
    glossary = load_glossary(project.glossary, problems) if project.glossary.is_file() else None
    if problems.errors:
        raise UserError("translate glossary: fix glossary.yml first; nothing was written", problems.errors)
    if glossary is None:
        raise UserError(f"{project.glossary}: no glossary; write glossary.yml (terms: and protected: lists) first")
    folder = (out or project.root / "translations").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    tbx_path, csv_path = folder / "glossary.tbx", folder / "glossary.csv"
    store = to_tbx(glossary)
    with tbx_path.open("wb") as f:
        store.serialize(f)
    write_csv(glossary, csv_path)
    print(f"{tbx_path}: {len(glossary.terms)} terms and {len(glossary.protected)} protected terms "
          f"({', '.join(languages(glossary)) or 'no translations yet'})")
    print(f"{csv_path}: the same, as a spreadsheet. Add it to your CAT tool's termbase.")
    return 0
