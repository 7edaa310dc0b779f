"""agency.yml: help lines in each variant's language, and clear errors for a wrong value."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from connections.errors import Problems
from connections.loader import load_agency
from tests.conftest import REPO, run_cli
from tests.fixtures.pdf.pdf_project import build

AGENCY = """name: Test Agency
province: Ontario
child_welfare: {name: Test Child Welfare, phone: 555-0100}
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
    result = run_cli("check", project=minimal)
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
    from connections.pdf.handouts import handout_targets

    build(minimal, handout_targets, variants=["fr"], papers=["letter"], weeks=(1,))  # in this process: the one read
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
    result = run_cli("site", "--variant", "fr", "--quiet", "--jobs", "1", project=minimal)
    assert result.code == 0, result.err + result.out
    html = (minimal / "dist/site/fr/resources.html").read_text(encoding="utf-8")
    assert '<span lang="en">Harbour Support Line</span>' in html
    assert "<td>du lundi au vendredi</td>" in html
    assert "<td>Only English Line</td>" in html  # one plain text: its language is not known, so not marked
    english = (minimal / "dist/site/en/resources.html")
    assert not english.exists() or 'lang="en">Harbour' not in english.read_text(encoding="utf-8")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def test_logo_that_is_not_an_image_stops_check_and_builds(minimal: Path) -> None:
    """The bytes are read, not the name: a text file called logo.png passed check, then failed 6 renders."""
    (minimal / "logo.png").write_text("not a picture", encoding="utf-8")
    with (minimal / "agency.yml").open("a", encoding="utf-8") as f:
        f.write("logo: logo.png\n")
    expected = ("agency.yml:6: logo file 'logo.png' is not an image (its first bytes are not those of a PNG, JPEG, SVG "
                "or WebP file); save it in one of those formats and point 'logo' at that file")
    for command in (["check"], ["handouts", "--variant", "en"]):
        result = run_cli(*command, project=minimal)
        assert result.code == 1 and "Traceback" not in result.err
        assert expected in result.err.splitlines()
    (minimal / "logo.png").write_bytes(PNG)
    assert run_cli("check", project=minimal).code == 0


def test_logo_name_with_a_nul_character(minimal: Path) -> None:
    with (minimal / "agency.yml").open("a", encoding="utf-8") as f:
        f.write('logo: "logo\\0.png"\n')
    result = run_cli("check", project=minimal)
    assert result.code == 1 and "Traceback" not in result.err
    assert ("agency.yml:6: logo file name 'logo\\x00.png' holds a NUL character (\\0), which no file name can hold; "
            "write the name of an existing file (relative to this one)") in result.err.splitlines()


def test_national_and_short_numbers_are_phone_numbers(tmp_path: Path) -> None:
    """The shapes of the bundled national lines, 3-digit lines and text lines are all accepted."""
    numbers = ["1-855-242-3310", "1-800-668-6868 or text CONNECT to 686868", "9-8-8", "911", "211",
               "555-010-0111 ext. 12", "(613) 555-0101", "+1 613 555 0101", "texte PARLER au 686868", "#7233"]
    lines = "".join(f"  - {{name: Line {i}, number: \"{n}\"}}\n" for i, n in enumerate(numbers))
    path = tmp_path / "agency.yml"
    path.write_text(AGENCY.split("help_lines:")[0] + "help_lines:\n" + lines + "  - {name: Short, number: 811}\n",
                    encoding="utf-8")
    problems = Problems(tmp_path)
    agency = load_agency(path, problems)
    assert [str(p) for p in problems.items] == []
    assert [line.number for line in agency.help_lines] == [*numbers, "811"]
