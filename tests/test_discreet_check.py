"""`build.py check`: words about violence or abuse on a discreet handout are reported with path:line and a fix."""

from __future__ import annotations

import re
from pathlib import Path

from connections.discreet import check_discreet
from connections.errors import Problems
from connections.project import Project
from connections.validate import load_bundle
from tests.conftest import REPO, run_cli

W2 = "content/en/week-2.md"
FR2 = "content/fr/week-2.md"
WHY = "a discreet handout may be taken home where a paper about violence or abuse could be unsafe"
REWORD = ("Reword it with neutral words such as relationships, feeling safe and calm, looking after yourself and "
          "your children, or keep it for the 'handout' section")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_discreet_body(path: Path, body: str) -> None:
    """Replace the handout-discreet section's text; in the minimal fixture its first line is line 76."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"(\{#handout-discreet\}\n\n).*?(\n\n## )", lambda m: m[1] + body + m[2], text, count=1, flags=re.S)
    assert new != text
    path.write_text(new, encoding="utf-8")


def lines_of(stream: str) -> list[str]:
    return [line for line in stream.splitlines() if not line.startswith("check: ")]


def body_error(path: str, line: int, word: str) -> str:
    return (f"{path}:{line}: the discreet handout (section 'handout-discreet') has the word '{word}' here; "
            f"{WHY}. {REWORD}")


def test_discreet_title(minimal: Path) -> None:
    edit(minimal / W2, "discreet_title: My notes 2", "discreet_title: Week 2 — Abuse and me")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert lines_of(result.err) == [
        f"{W2}:5: discreet_title 'Week 2 — Abuse and me' has the word 'abuse'; it is the title of the discreet "
        f"handout, and {WHY}. Choose a neutral title, e.g. 'Week 2 — Notes for me'"]
    assert "check: 1 error, 0 warnings" in result.err


def test_discreet_name(minimal: Path) -> None:
    edit(minimal / "content/fr/variant.yml", "discreet_name: Notes", "discreet_name: Notes — violence conjugale")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert lines_of(result.err) == [
        f"content/fr/variant.yml:6: discreet_name 'Notes — violence conjugale' has the word 'violence'; it heads "
        f"every discreet handout in place of the program's name, and {WHY}. Choose a neutral name, e.g. "
        "'Weekly group notes'"]


def test_english_section_whole_words_any_case(minimal: Path) -> None:
    set_discreet_body(minimal / W2, "Take some time for yourself this week.\n"
                                    "If you need to, call the POLICE.\n"
                                    "Look at the violets on a walk, or read the new library policy.\n"
                                    "- Nobody deserves to be abused.\n"
                                    "- Shelters and safe places near you.")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert lines_of(result.err) == [body_error(W2, 77, "police"), body_error(W2, 79, "abused"),
                                    body_error(W2, 80, "shelter")]


def test_french_section_accents_and_apostrophes(minimal: Path) -> None:
    set_discreet_body(minimal / FR2, "Prenez un moment pour vous.\n"
                                     "Une maison d’hébergement peut vous accueillir.\n"
                                     "La VIOLENCE n’est jamais de votre faute.\n"
                                     "Une femme agressee mérite du soutien.\n"
                                     "Les violettes et la politesse sont des mots neutres.")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert lines_of(result.err) == [body_error(FR2, 77, "maison d'hébergement"), body_error(FR2, 78, "violence"),
                                    body_error(FR2, 79, "agressée")]


def test_language_without_a_list_uses_its_source_list(minimal: Path) -> None:
    edit(minimal / "content/fr/variant.yml", "lang: fr", "lang: iu")
    set_discreet_body(minimal / FR2, "Ask about a shelter.")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert lines_of(result.err) == [body_error(FR2, 76, "shelter")]


def test_no_list_at_all_is_a_warning(minimal: Path) -> None:
    edit(minimal / "content/en/variant.yml", "lang: en", "lang: oj")
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err
    assert lines_of(result.out) == [
        "content/en/variant.yml: warning: no list of words to keep off discreet handouts for language 'oj' in "
        "connections/data/discreet_words.yml; the discreet handouts of this variant were not checked. Add the "
        "language and its words to that file"]


def test_help_lines_printed_on_discreet_handouts_warn(minimal: Path) -> None:
    edit(minimal / "agency.yml", "  - {name: Local line, number: 555-0101, last_verified: 2026-10-01}\n",
         "  - {name: Local line, number: 555-0101, last_verified: 2026-10-01}\n"
         "  - name: Riverside Women's Shelter\n"
         "    number: 555-0102\n"
         "  - name: Maison d'hébergement Le Phare\n"
         "    number: 555-0103\n"
         "    discreet_ok: false\n"
         "  - name: Family Violence Line\n"
         "    number: 555-0104\n"
         "    discreet_ok: true\n")
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err  # the agency decides: a warning, not an error
    how = "Set 'discreet_ok: false' on this line unless your agency has decided the name is safe at home"
    assert lines_of(result.out) == [
        f"agency.yml:6: warning: help line 'Riverside Women's Shelter' is printed on discreet handouts (discreet_ok "
        f"is true or not set) and its name has the word 'shelter'; {WHY}. {how}",
        f"agency.yml:11: warning: help line 'Family Violence Line' is printed on discreet handouts (discreet_ok "
        f"is true or not set) and its name has the word 'violence'; {WHY}. {how}"]


def test_help_line_name_in_each_language_is_read_against_that_language(minimal: Path) -> None:
    """French discreet handouts print the French name: a flagged word there is found even when the English
    name is neutral."""
    edit(minimal / "agency.yml", "  - {name: Local line, number: 555-0101, last_verified: 2026-10-01}\n",
         "  - {name: Local line, number: 555-0101, last_verified: 2026-10-01}\n"
         "  - name:\n"
         "      en: Riverside Support Line\n"
         "      fr: Ligne d'écoute en violence conjugale\n"
         "    number: 555-0105\n")
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err
    how = "Set 'discreet_ok: false' on this line unless your agency has decided the name is safe at home"
    assert lines_of(result.out) == [
        f"agency.yml:8: warning: help line 'Ligne d'écoute en violence conjugale' is printed on discreet handouts "
        f"(discreet_ok is true or not set) and its name has the word 'violence'; {WHY}. {how}"]


def test_placeholder_printing_a_flagged_agency_name_warns(minimal: Path) -> None:
    edit(minimal / "agency.yml", "name: Test Agency", "name: Test Assault Centre")
    set_discreet_body(minimal / W2, "Your group meets at [[agency.name]].")
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err
    assert lines_of(result.out) == [
        f"{W2}:76: warning: placeholder '[[agency.name]]' prints 'Test Assault Centre' from agency.yml on the "
        f"discreet handout, with the word 'assault'; {WHY}. Remove the placeholder from the 'handout-discreet' "
        "section, or check that the agency is comfortable with it"]


def test_bundled_content_has_no_discreet_problem() -> None:
    project = Project.at(REPO)
    problems = Problems(project.root)
    bundle = load_bundle(project, problems)
    assert not problems.errors
    check_discreet(bundle, problems)
    assert [str(p) for p in problems.items] == []
