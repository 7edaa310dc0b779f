"""Help lines people can trust: who each national line is for, the lines each variant prints, the agency's
own emergency number, the child-welfare agency's name and phone apart, nothing unsafe on a discreet handout.

Read back from the handouts as a participant would (pypdf), and from `check` as a coordinator would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connections.discreet import word_lists
from connections.errors import Problems
from connections.loader import load_agency, load_national_lines
from connections.pdf.handouts import handout_targets
from tests.conftest import run_cli
from tests.fixtures.pdf.pdf_project import build, make_project, norm, pypdf_page_texts, shared_dir

EMERGENCY = "emergency: {number: 555-0911, label: {en: Police and ambulance, fr: Police et ambulance}}\n"


def _build(folder: Path) -> None:
    """The print fixture with an adaptation of the English (same language), a French variant that lists its
    own national lines, and an agency whose emergency number is not 9-1-1; week 1 only, Letter."""
    project = make_project(folder / "project")
    shutil.copytree(project / "content/en", project / "content/adapt")
    (project / "content/adapt/variant.yml").write_text(
        "label: Adaptation\nlocale: en_CA\nlang: en\nrelation: adaptation\nsource: en\ndiscreet_name: Circle notes\n"
        "content_date: 2026-11-23\n", encoding="utf-8")
    with (project / "content/fr/variant.yml").open("a", encoding="utf-8") as f:
        f.write("national_lines: [988, irs-crisis]\n")
    with (project / "agency.yml").open("a", encoding="utf-8") as f:
        f.write(EMERGENCY)
    build(project, handout_targets, variants=["en", "fr", "adapt"], papers=["letter"], weeks=(1,))
    build(project, handout_targets, variants=["en", "adapt"], papers=["letter"], weeks=(1,), discreet=True)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_dir(tmp_path_factory, "help-lines", _build) / "project" / "dist"


def text_of(path: Path) -> str:
    """The whole handout's text, as pypdf reads it, with spaces and typographic marks made plain."""
    return norm(" ".join(pypdf_page_texts(path)))


def handout(dist: Path, variant: str) -> str:
    return text_of(dist / "handouts" / variant / "week-1-letter.pdf")


def discreet(dist: Path, variant: str) -> str:
    return text_of(dist / "handouts" / variant / "notes" / "notes-1-letter.pdf")


def in_order(text: str, *parts: str) -> bool:
    """Every part is in ``text``, each after the one before."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def test_each_national_line_says_who_it_is_for(dist: Path) -> None:
    en = handout(dist, "en")
    # Each line's name, who it is for (under the name), then its number, read across the row.
    assert in_order(en, "Hope for Wellness Help Line For Indigenous peoples across Canada 1-855-242-3310",
                    "Kids Help Phone For children, teens and young adults 1-800-668-6868",
                    "9-8-8 Suicide Crisis Helpline For anyone thinking about suicide, or worried about someone 9-8-8",
                    "National Overdose Response Service (NORS) For people who use substances alone: a peer stays "
                    "on the line and sends help if you stop answering 1-888-688-6677"), en
    fr = handout(dist, "fr")
    assert "Pour toute personne qui pense au suicide ou qui s'inquiète pour quelqu'un" in fr


def test_every_national_line_has_an_audience_and_a_date_in_both_languages() -> None:
    for lang in ("en", "fr"):
        lines = load_national_lines(lang)
        assert {line.id for line in lines} >= {"hope-for-wellness", "kids-help-phone", "988", "irs-crisis",
                                               "mmiwg", "overdose-response"}
        for line in lines:
            assert line.audience and line.last_verified is not None, (lang, line.id)
            if lang == "fr":
                assert "'" not in line.name + line.audience, line  # the typographic apostrophe only
    iu = load_national_lines("iu")[0]  # no Inuktitut text yet: English, marked so for screen readers
    assert (iu.name, iu.text_lang["name"], iu.text_lang["audience"]) == ("Hope for Wellness Help Line", "en", "en")
    numbers = {line.id: line.number for line in load_national_lines("en")}
    assert (numbers["irs-crisis"], numbers["overdose-response"], numbers["mmiwg"]) == (
        "1-866-925-4419", "1-888-688-6677", "1-844-413-6649")


def test_the_adaptation_prints_the_residential_schools_and_mmiwg_lines_english_does_not(dist: Path) -> None:
    adapt, en = handout(dist, "adapt"), handout(dist, "en")
    assert in_order(adapt, "Indian Residential Schools Crisis Line For residential school survivors and their "
                    "families", "1-866-925-4419")
    assert in_order(adapt, "MMIWG2S+ Crisis Line For families and survivors of missing and murdered", "1-844-413-6649")
    for number in ("1-866-925-4419", "1-844-413-6649"):
        assert number not in en
    assert "1-888-688-6677" in en and "1-888-688-6677" in adapt  # every variant: the overdose response line


def test_variant_yml_chooses_the_national_lines_and_their_order(dist: Path) -> None:
    fr = handout(dist, "fr")  # national_lines: [988, irs-crisis]
    assert in_order(fr, "9-8-8 Ligne d'aide en cas de crise de suicide Pour toute personne", "9-8-8",
                    "Ligne d'écoute de crise des pensionnats indiens Pour les survivantes et survivants des "
                    "pensionnats et leurs familles 1-866-925-4419")
    assert "1-855-242-3310" not in fr and "1-800-668-6868" not in fr and "1-888-688-6677" not in fr


def test_a_wrong_national_line_id_is_refused_with_its_line(minimal: Path) -> None:
    with (minimal / "content/en/variant.yml").open("a", encoding="utf-8") as f:
        f.write("national_lines:\n  - 988\n  - kids-help-line\n")
    result = run_cli("check", project=minimal)
    assert result.code == 1
    assert ("content/en/variant.yml:9: national line 'kids-help-line' is not one of the toolkit's national lines; "
            "expected ids among: hope-for-wellness, kids-help-phone, 988, irs-crisis, mmiwg, overdose-response"
            ) in result.err


def test_the_emergency_number_comes_from_agency_yml(dist: Path) -> None:
    en, fr = handout(dist, "en"), handout(dist, "fr")
    assert "Police and ambulance 555-0911" in en and "Police et ambulance 555-0911" in fr
    assert "9-1-1" not in en and "9-1-1" not in fr
    quiet = discreet(dist, "en")  # 'police' is not for a paper taken home, but the number always is
    assert "Police and ambulance" not in quiet and "Emergency 555-0911" in quiet


def test_emergency_is_9_1_1_unless_the_agency_says_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "agency.yml"
    path.write_text("name: A\nprovince: Nunavut\nchild_welfare: {name: Family Services, phone: 555-0100}\n",
                    encoding="utf-8")
    problems = Problems(tmp_path)
    agency = load_agency(path, problems)
    assert not problems.items and agency is not None
    assert agency.emergency.number == "9-1-1" and agency.emergency.name == ""  # printed as "Emergency"
    path.write_text(path.read_text(encoding="utf-8") + "emergency: {number: 555-0911}\n", encoding="utf-8")
    assert load_agency(path, problems).emergency.number == "555-0911"


def test_a_discreet_handout_never_prints_a_flagged_line_name(dist: Path) -> None:
    words = word_lists()["en"]
    flagged = [line for line in load_national_lines("en") if words.find(line.name)]
    assert {line.id for line in flagged} >= {"irs-crisis", "mmiwg", "988"}  # the word lists decide
    for variant in ("en", "adapt"):
        text = discreet(dist, variant)
        for line in flagged:
            assert line.name not in text, (variant, line.name)
            if not line.discreet_name:
                assert line.number not in text, (variant, line.name)
        assert words.find(text) is None, (variant, words.find(text))
        assert ("9-8-8 Helpline For anyone thinking about suicide, or worried about someone 9-8-8"  # neutral name
                in text)
        assert "Hope for Wellness Help Line For Indigenous peoples across Canada 1-855-242-3310" in text


def test_child_welfare_name_and_phone_apart(minimal: Path) -> None:
    problems = Problems(minimal)
    agency = load_agency(minimal / "agency.yml", problems)
    assert (agency.child_welfare, agency.child_welfare_phone) == ("Test Child Welfare", "555-0100")
    values = agency.placeholders()
    assert (values["agency.child_welfare"], values["agency.child_welfare_phone"]) == ("Test Child Welfare", "555-0100")


def test_child_welfare_as_one_text_warns_with_its_line(minimal: Path) -> None:
    path = minimal / "agency.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "child_welfare: {name: Test Child Welfare, phone: 555-0100}", "child_welfare: Test Child Welfare, 555-0100"),
        encoding="utf-8")
    result = run_cli("check", project=minimal)
    assert result.code == 0, result.err
    assert ("agency.yml:3: warning: child_welfare is one text ('Test Child Welfare, 555-0100'), read inside "
            "sentences of the content; write the agency's name and its phone apart (one text is deprecated): "
            "child_welfare: {name: Test Child Welfare, phone: 555-0100}") in result.out
    agency = load_agency(path, Problems(minimal))
    assert (agency.child_welfare, agency.child_welfare_phone) == ("Test Child Welfare", "555-0100")  # read right
