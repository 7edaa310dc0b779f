"""agency.yml: help lines in each variant's language, and clear errors for a wrong value."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from connections.errors import Problems
from connections.loader import load_agency
from tests.conftest import REPO, run_build

AGENCY = """name: Test Agency
province: Ontario
child_welfare: Test Child Welfare, 555-0100
help_lines:
  - name: {en: Family Health Line, fr: Ligne santé familiale}
    number: 555-0101
    hours: {en: Monday to Friday, fr: du lundi au vendredi}
    last_verified: 2026-10-01
  - name: Only English Line
    number: 555-0102
"""


def test_help_line_texts_per_language(tmp_path: Path) -> None:
    path = tmp_path / "agency.yml"
    path.write_text(AGENCY, encoding="utf-8")
    problems = Problems(tmp_path)
    agency = load_agency(path, problems)
    assert not problems.items
    first, second = agency.help_lines
    assert (first.name, first.hours) == ("Family Health Line", "Monday to Friday")  # English by default
    assert (first.localized("fr").name, first.localized("fr").hours) == ("Ligne santé familiale",
                                                                        "du lundi au vendredi")
    assert first.localized("iu").name == "Family Health Line"  # no text for that language: the default
    assert first.localized("iu").text_lang == {"name": "en", "hours": "en"}  # … said to be in English
    assert first.localized("fr").text_lang == {} and first.localized("en").text_lang == {}
    assert first.localized("fr-CA").name == "Ligne santé familiale"  # a region reads its language
    assert second.localized("fr").name == "Only English Line"


def test_wrong_help_line_value_names_the_line(minimal: Path) -> None:
    (minimal / "agency.yml").write_text(AGENCY.replace("hours: {en: Monday to Friday, fr: du lundi au vendredi}",
                                                       "hours: [Monday, Friday]"), encoding="utf-8")
    result = run_build("check", project=minimal)
    assert result.code == 1
    assert ("agency.yml:7: field 'hours' should be a text, or one text per language such as {en: Monday to Friday, "
            "fr: du lundi au vendredi}, not ['Monday', 'Friday']") in result.err


def test_french_handout_prints_the_french_hours(minimal: Path) -> None:
    (minimal / "agency.yml").write_text(AGENCY, encoding="utf-8")
    for part in ("templates", "fonts", "locales", "babel.cfg"):  # the bundled print set-up
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, minimal / part)
        else:
            shutil.copy(src, minimal / part)
    result = run_build("handouts", "--variant", "fr", "--paper", "letter", "--quiet", project=minimal)
    assert result.code == 0, result.err + result.out
    text = subprocess.run(["pdftotext", str(minimal / "dist/handouts/fr/week-1-letter.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Ligne santé familiale" in text and "du lundi au vendredi" in text
    assert "Family Health Line" not in text


def test_text_without_a_translation_is_marked_with_its_language(minimal: Path) -> None:
    """A line given only in English prints in English on the French site, marked lang="en" for screen readers;
    the text given in French is not marked."""
    (minimal / "agency.yml").write_text(AGENCY.replace("{en: Family Health Line, fr: Ligne santé familiale}",
                                                       "{en: Harbour Support Line}"), encoding="utf-8")
    for part in ("templates", "locales", "mkdocs.yml"):
        src = REPO / part
        shutil.copytree(src, minimal / part) if src.is_dir() else shutil.copy(src, minimal / part)
    result = run_build("site", "--variant", "fr", "--quiet", project=minimal)
    assert result.code == 0, result.err + result.out
    html = (minimal / "dist/site/fr/resources.html").read_text(encoding="utf-8")
    assert '<span lang="en">Harbour Support Line</span>' in html
    assert "<td>du lundi au vendredi</td>" in html
    assert "<td>Only English Line</td>" in html  # one plain text: its language is not known, so not marked
    english = (minimal / "dist/site/en/resources.html")
    assert not english.exists() or 'lang="en">Harbour' not in english.read_text(encoding="utf-8")
