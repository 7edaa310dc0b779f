"""`check` warns, with path:line, where participant text is above the reading level set for its language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connections.readability import EN_MAX_GRADE, english_grade, english_syllables, french_ease, plain_text
from tests.conftest import FIXTURES, REPO, run_cli

FIX = FIXTURES / "readability"
W2 = "content/en/week-2.md"
FR2 = "content/fr/week-2.md"


def warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if "reads at" in line]


def test_english_grade_is_the_published_flesch_kincaid_formula() -> None:
    # 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59
    assert english_grade("The cat sat on the mat.") == pytest.approx(0.39 * 6 + 11.8 - 15.59)
    # syllables from the pronouncing dictionary, offline (no NLTK download)
    assert [english_syllables(w) for w in ("relationship", "children", "recovery", "you’re")] == [4, 2, 3, 1]


def test_plain_text_counts_what_a_reader_sees() -> None:
    text = plain_text("### Warning signs\n\n- **physical:** hitting\n- call [[agency.name]]\n[a link](x.md)")
    assert text == "Warning signs. physical: hitting. call the agency. a link."


def test_french_uses_kandel_moles_reading_ease() -> None:
    easy, hard = "Vous n’êtes pas seule. Vous pouvez parler à quelqu’un.", (
        "L’appréciation approfondie des considérations développementales nécessite une interprétation rigoureuse.")
    assert french_ease(easy) > 80 > 20 > french_ease(hard)


def test_hard_english_handout_and_key_message_are_warned_with_their_lines(minimal: Path) -> None:
    shutil.copy(FIX / "hard-week-2.md", minimal / W2)
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err  # a warning, not an error: the build goes on
    found = warnings(result.out)
    assert found == [
        f"{W2}:13: warning: participant key message 2 reads at Flesch-Kincaid grade 32.0; participant text should "
        "be grade 8 or below. Use shorter sentences and everyday words; hardest sentence: “Intergenerational "
        "transmission of relational trauma substantially influences contemporary attachment expectations.”",
        f"{W2}:69: warning: the 'handout' section reads at Flesch-Kincaid grade 24.7; participant text should be "
        "grade 8 or below. Use shorter sentences and everyday words; hardest sentence: “Comprehensive "
        "understanding of developmental neuroscience demonstrates that consistent, emotionally attuned caregiving "
        "relationships…”",
    ]


def test_hard_french_discreet_handout_is_warned_with_its_line(minimal: Path) -> None:
    shutil.copy(FIX / "hard-fr-week-2.md", minimal / FR2)
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err
    assert warnings(result.out) == [
        f"{FR2}:73: warning: the 'handout-discreet' section reads at Kandel-Moles reading ease -88.3; participant "
        "text should be 65 or above. Use shorter sentences and everyday words; hardest sentence: "
        "“L’appréciation approfondie des considérations développementales contemporaines nécessite obligatoirement "
        "une interprétation…”"]


def test_bundled_english_participant_text_is_plain() -> None:
    result = run_cli("check", project=REPO)
    assert result.code == 0, result.err
    assert [w for w in warnings(result.out) if w.startswith("content/en/")] == []
    assert EN_MAX_GRADE == 8
