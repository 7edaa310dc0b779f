"""The glossary: agreed translations of recurring terms, and protected terms copied exactly.

``glossary.yml`` at the project root::

    terms:
      - en: key message                  # the source term; plurals and possessives match too
        fr: [message clé, messages clés] # accepted translations, for variants with lang (or id) fr
    protected:                           # copied exactly, in every variant
      - Mothercraft

`check` compares each translated section with its source section. When the source section uses a
term, the translation should use one of the agreed translations (warning otherwise). When the source
section holds a protected term, the translation holds it exactly: a form that differs only in case,
accents, spaces, hyphens or apostrophes ("Metis" for "Métis", "Mi'kmaq" for "Mi’kmaq") is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from ..loader import read_yaml_file
from ..model import Module, Week
from ..validate import Bundle, relpath
from ..yamlfile import Located
from .prose import mask_inline

SUFFIX = r"(?:s|x|es|'s|’s)?"
IGNORED_IN_NAMES = " -'’\u00a0\u202f"


@dataclass
class Term:
    source: str
    targets: dict[str, list[str]]  # language or variant id -> accepted translations
    line: int
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.pattern = term_pattern(self.source)


@dataclass
class Glossary:
    path: Path
    source_lang: str
    terms: list[Term]
    protected: list[tuple[str, int]]


def term_pattern(term: str) -> re.Pattern[str]:
    """A term as a whole-word, case-insensitive pattern; each word may take a plural ending."""
    words = [re.escape(w) + SUFFIX for w in term.split()]
    return re.compile(r"(?<![\w-])" + r"[\s\u00a0\u202f-]+".join(words) + r"(?![\w-])", re.I)


def _list_of(loc: Located, data: dict, key: str, example: str, path: Path, problems: Problems) -> list:
    """The list under ``key`` (empty when absent); anything else is reported at its line and read as empty."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(path, loc.line(key), f"'{key}' should be a list, one '- ' entry per line such as {example}, "
                     f"not {value!r}")
        return []
    return value


def load_glossary(path: Path, problems: Problems) -> Glossary | None:
    """Read glossary.yml; mistakes are errors with their line, like every configuration file."""
    if not path.is_file():
        return None
    loc = read_yaml_file(path, problems)
    if loc is None:
        return None
    data = loc.data or {}
    if not isinstance(data, dict):
        problems.add(path, 1, "expected 'terms:' and 'protected:' lists")
        return None
    unknown = set(data) - {"source", "terms", "protected"}
    for key in sorted(unknown):
        problems.add(path, loc.line(key), f"unknown field '{key}'; expected one of: source, terms, protected")
    source_lang = data.get("source", "en")
    if not isinstance(source_lang, str) or not source_lang.strip():
        problems.add(path, loc.line("source"), f"'source' should be the language of the source terms, e.g. "
                     f"source: en, not {source_lang!r}")
        source_lang = "en"
    terms: list[Term] = []
    for i, item in enumerate(_list_of(loc, data, "terms", "- {en: key message, fr: [message clé]}", path, problems)):
        line = loc.line("terms", i)
        if not isinstance(item, dict) or not isinstance(item.get(source_lang), str) or not item[source_lang].strip():
            problems.add(path, line, f"a term needs '{source_lang}: <term>' and its translations, "
                         "e.g. {en: key message, fr: [message clé]}")
            continue
        targets: dict[str, list[str]] = {}
        for key, value in item.items():
            if key in (source_lang, "note"):
                continue
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
                problems.add(path, loc.line("terms", i, key), f"'{key}' should be a translation or a list of "
                             "accepted translations")
                continue
            targets[str(key)] = values
        terms.append(Term(item[source_lang], targets, line))
    protected = []
    for i, item in enumerate(_list_of(loc, data, "protected", "- Mothercraft", path, problems)):
        if isinstance(item, str) and item.strip():
            protected.append((item, loc.line("protected", i)))
        else:
            problems.add(path, loc.line("protected", i), "a protected term is a text, e.g. - Mothercraft")
    return Glossary(path, source_lang, terms, protected)


def _fold(text: str) -> tuple[str, list[int]]:
    """Text without accents, case, spaces, hyphens and apostrophes; and where each kept char came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in IGNORED_IN_NAMES:
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
        for c in base:
            out.append(c)
            where.append(i)
    return "".join(out), where


def altered_forms(text: str, term: str) -> list[str]:
    """Forms in ``text`` that are ``term`` up to case, accents, spaces, hyphens or apostrophes, but not it."""
    folded, where = _fold(text)
    target, _ = _fold(term)
    found = []
    start = folded.find(target)
    while target and start >= 0:
        a, b = where[start], where[start + len(target) - 1] + 1
        form = text[a:b]
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < len(text) else " "
        if form != term and not before.isalnum() and not after.isalnum():
            found.append(form)
        start = folded.find(target, start + 1)
    return found


def _prose(text: str) -> str:
    return "\n".join(mask_inline(line) for line in text.splitlines())


def _units(module: Module, bundle: Bundle, vid: str) -> dict[str, tuple[str, int]]:
    """The texts compared, by key: each section, and each translatable front-matter field."""
    out = {sid: (_prose(f"{s.heading}\n{s.body}"), s.line) for sid, s in module.sections.items()}
    front = bundle.fronts.get((vid, module.number)) if isinstance(module, Week) else None
    fields = ["title", "discreet_title", "objectives", "key_messages", "participant_key_messages", "materials"]
    if not isinstance(module, Week):
        fields = ["title", "subtitle"]
    for name in fields:
        value = getattr(module, name, "")
        text = "\n".join(value) if isinstance(value, list) else str(value)
        out[f"front matter '{name}'"] = (text, front.line(name) if front else 1)
    return out


def _line_of(path: Path, start: int, needle: str) -> int:
    """The first line from ``start`` on that holds ``needle`` (``start`` when none does)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    return next((i + 1 for i in range(max(start - 1, 0), len(lines)) if needle in lines[i]), start)


def _targets_for(term: Term, ids: tuple[str, ...]) -> list[str] | None:
    return next((term.targets[k] for k in ids if k in term.targets), None)


@dataclass(frozen=True)
class Unit:
    """One translated text and its source, with everything a warning names."""

    path: Path
    what: str
    text: str
    line: int
    source_text: str
    source_where: str  # path:line of the source text
    source_label: str
    translation: bool


def _check_terms(unit: Unit, glossary: Glossary, ids: tuple[str, ...], g_rel: str, problems: Problems) -> None:
    for term in glossary.terms:
        accepted = _targets_for(term, ids)
        if not accepted or not term.pattern.search(unit.source_text):
            continue
        if not any(term_pattern(a).search(unit.text) for a in accepted):
            problems.warn(unit.path, unit.line, f"{unit.what}: the {unit.source_label} source uses '{term.source}' "
                          f"({unit.source_where}) but none of its agreed translations is here: "
                          f"{', '.join(repr(a) for a in accepted)} ({g_rel}:{term.line}); use one, or add this "
                          "wording to the list")


def _check_protected(unit: Unit, glossary: Glossary, g_rel: str, problems: Problems) -> None:
    for name, g_line in glossary.protected:
        if name not in unit.source_text or name in unit.text:
            continue
        altered = sorted(set(altered_forms(unit.text, name)) - set(altered_forms(unit.source_text, name)))
        if altered:
            problems.warn(unit.path, _line_of(unit.path, unit.line, altered[0]),
                          f"{unit.what}: protected term '{name}' is written {', '.join(repr(a) for a in altered)}; "
                          f"copy it exactly as in {unit.source_where} ({g_rel}:{g_line})")
        elif unit.translation:
            problems.warn(unit.path, unit.line, f"{unit.what}: protected term '{name}' of the {unit.source_label} "
                          f"source ({unit.source_where}) is not here; copy it exactly ({g_rel}:{g_line})")


def check_glossary(bundle: Bundle, problems: Problems) -> None:
    """`check`: agreed translations and protected terms, section by section, as warnings."""
    glossary = load_glossary(bundle.project.glossary, problems)
    if glossary is None:
        return
    g_rel = relpath(bundle.project, glossary.path)
    for v in bundle.variants:
        source = bundle.source_of(v.id)
        if source is None:
            continue
        ids = (v.id, v.locale, v.lang)
        same_language = v.lang.split("-")[0] == source.variant.lang.split("-")[0]
        by_slug = {m.slug: m for m in source.modules()}
        for mod in bundle.contents[v.id].modules():
            src = by_slug.get(mod.slug)
            if src is None:
                continue
            src_units = _units(src, bundle, source.variant.id)
            for key, (text, line) in _units(mod, bundle, v.id).items():
                if key not in src_units:
                    continue
                s_text, s_line = src_units[key]
                unit = Unit(mod.path, f"section '{key}'" if not key.startswith("front") else key, text, line,
                            s_text, f"{relpath(bundle.project, src.path)}:{s_line}", source.variant.label,
                            v.relation == "translation")
                if not same_language:
                    _check_terms(unit, glossary, ids, g_rel, problems)
                _check_protected(unit, glossary, g_rel, problems)
