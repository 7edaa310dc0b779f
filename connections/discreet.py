"""`check`: a discreet handout carries no word about violence or abuse.

Why: the discreet handout is for a participant who takes it home where a paper about violence could be
unsafe. Every word on it comes from the week's ``discreet_title``, the variant's ``discreet_name``, the
``handout-discreet`` section and the names of the agency's help lines it prints, so those are checked
against the word lists in ``data/discreet_words.yml`` (per language; see that file for how matching works).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Problems
from .model import Variant, Week
from .validate import Bundle
from .yamlfile import YamlSyntaxError, load_yaml

WORDS_FILE = Path(__file__).with_name("data") / "discreet_words.yml"
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
PLACEHOLDER_RE = re.compile(r"\[\[\s*([\w.]+)\s*\]\]")
WHY = "a discreet handout may be taken home where a paper about violence or abuse could be unsafe"
NEUTRAL = "neutral words such as relationships, feeling safe and calm, looking after yourself and your children"


def fold(text: str) -> str:
    """Lowercase, accents and typographic apostrophes removed, compatibility forms (no-break spaces) unified."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(APOSTROPHES).casefold()


@dataclass(frozen=True)
class WordList:
    """The flagged words of one language, as one regular expression over folded text."""

    words: tuple[str, ...]
    pattern: re.Pattern[str]

    def find(self, text: str) -> str | None:
        """The listed word found in ``text`` (as listed), or None."""
        m = self.pattern.search(fold(text))
        if not m:
            return None
        found = " ".join(m[1].split())
        return next((w for w in self.words if " ".join(fold(w).split()) == found), found)


def _compile(words: list[str]) -> WordList:
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)  # longest first: phrases before words
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in folded)
    return WordList(tuple(words), re.compile(rf"(?<!\w)({alternatives})(?:s|es|x)?(?!\w)"))


@lru_cache(maxsize=4)
def _lists(path: Path, mtime: int) -> dict[str, WordList]:
    data = load_yaml(path.read_text(encoding="utf-8")).data or {}
    return {str(lang).lower(): _compile([str(w) for w in words]) for lang, words in data.items() if words}


def word_lists() -> dict[str, WordList]:
    """Word lists by language code, from data/discreet_words.yml."""
    return _lists(WORDS_FILE, WORDS_FILE.stat().st_mtime_ns)


def mentions_sensitive(text: str) -> bool:
    """True when ``text`` carries a flagged word of any language (used for the agency's own name)."""
    return any(words.find(text or "") for words in word_lists().values())


def _language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def list_for(variant: Variant, bundle: Bundle) -> WordList | None:
    """The variant's own language list, else its source variant's (a new variant before anyone adds words)."""
    lists = word_lists()
    for v in (variant, bundle.variant(variant.source) if variant.source else None):
        if v is not None and _language(v.lang) in lists:
            return lists[_language(v.lang)]
    return None


def _section_lines(week: Week, section_id: str) -> list[tuple[int, str]]:
    """The body lines of a section, numbered as in the file (from the line after its heading)."""
    section = week.sections[section_id]
    following = [s.line for s in week.sections.values() if s.line > section.line]
    try:
        lines = week.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    end = min(following, default=len(lines) + 1) - 1
    return [(n, lines[n - 1]) for n in range(section.line + 1, end + 1)]


def _check_variant_name(variant: Variant, words: WordList, problems: Problems) -> None:
    word = words.find(variant.discreet_name)
    if not word:
        return
    path = variant.directory / "variant.yml"
    try:
        line = load_yaml(path.read_text(encoding="utf-8")).line("discreet_name")
    except (OSError, YamlSyntaxError):
        line = 0
    problems.add(path, line, f"discreet_name '{variant.discreet_name}' has the word '{word}'; it heads every "
                 f"discreet handout in place of the program's name, and {WHY}. Choose a neutral name, "
                 "e.g. 'Weekly group notes'")


def _check_week(week: Week, front_line: int, words: WordList, values: dict[str, str], problems: Problems) -> None:
    word = words.find(week.discreet_title)
    if word:
        problems.add(week.path, front_line, f"discreet_title '{week.discreet_title}' has the word '{word}'; it is "
                     f"the title of the discreet handout, and {WHY}. Choose a neutral title, e.g. "
                     f"'Week {week.number} — Notes for me'")
    if "handout-discreet" not in week.sections:
        return
    for n, text in _section_lines(week, "handout-discreet"):
        word = words.find(text)
        if word:
            problems.add(week.path, n, f"the discreet handout (section 'handout-discreet') has the word '{word}' "
                         f"here; {WHY}. Reword it with {NEUTRAL}, or keep it for the 'handout' section")
            continue
        for m in PLACEHOLDER_RE.finditer(text):
            value = values.get(m[1], "")
            word = words.find(value)
            if word:
                problems.warn(week.path, n, f"placeholder '{m[0]}' prints '{value}' from agency.yml on the discreet "
                              f"handout, with the word '{word}'; {WHY}. Remove the placeholder from the "
                              "'handout-discreet' section, or check that the agency is comfortable with it")


def _check_help_lines(bundle: Bundle, problems: Problems) -> None:
    """Warn (the agency decides) on help line names that discreet handouts print and that name violence.

    Each variant's discreet handouts print the name in that variant's language where agency.yml gives
    one (``name: {en: …, fr: …}``), so every variant's name is read against that variant's words.
    """
    agency = bundle.agency
    if agency is None or agency.path is None or not agency.help_lines:
        return
    try:
        located = load_yaml(agency.path.read_text(encoding="utf-8"))
    except (OSError, YamlSyntaxError):
        return
    for i, line in enumerate(agency.help_lines):
        if not line.discreet_ok:
            continue
        flagged: dict[str, tuple[str, str]] = {}  # name as printed -> (word, language key in agency.yml)
        for variant in bundle.variants:
            words = list_for(variant, bundle)
            name = line.localized(variant.lang).name
            word = words.find(name) if words is not None else None
            if word and name not in flagged:
                lang = variant.lang if variant.lang in line.by_language.get("name", {}) else ""
                flagged[name] = (word, lang)
        for name, (word, lang) in flagged.items():
            where = located.line("help_lines", i, "name", *([lang] if lang else []))
            problems.warn(agency.path, where,
                          f"help line '{name}' is printed on discreet handouts (discreet_ok is true or not "
                          f"set) and its name has the word '{word}'; {WHY}. Set 'discreet_ok: false' on this line "
                          "unless your agency has decided the name is safe at home")


def check_discreet(bundle: Bundle, problems: Problems) -> None:
    """`check`: errors for flagged words in discreet titles, names and sections; warnings for help lines."""
    values = bundle.agency.placeholders() if bundle.agency else {}
    for variant in bundle.variants:
        words = list_for(variant, bundle)
        if words is None:
            path = variant.directory / "variant.yml"
            problems.warn(path, 0, f"no list of words to keep off discreet handouts for language '{variant.lang}' "
                          f"in {WORDS_FILE.relative_to(WORDS_FILE.parents[2]).as_posix()}; the discreet handouts of "
                          "this variant were not checked. Add the language and its words to that file")
            continue
        _check_variant_name(variant, words, problems)
        content = bundle.contents.get(variant.id)
        for n, week in sorted(content.weeks.items()) if content else []:
            front = bundle.fronts.get((variant.id, n))
            _check_week(week, front.line("discreet_title") if front else 1, words, values, problems)
    _check_help_lines(bundle, problems)
