"""Parity, glossary and French-typography warnings in `check`, each with its path:line; the typography fixer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from connections.checks import collect
from connections.translation import typography
from tests.conftest import FIXTURES, MINIMAL, copy_project, run_cli

FIX = FIXTURES / "translation"
W2 = "content/fr/week-2.md"
SRC = "content/en/week-2.md"
GLOSSARY_HINT = "use one, or add this wording to the list"
TYPO_FIX = "run 'python -m connections.translation.typography content/fr' to fix it"
APOS = "straight apostrophe (') in French text; use the typographic apostrophe ’ (U+2019)"
QUOTES = "straight double quotes in French text; use « » with non-breaking spaces (U+00A0) inside"

EXPECTED: dict[str, list[str]] = {
    "good": [],
    "parity": [
        f"{W2}:15: warning: materials has 1 item, but the English source has 2 ({SRC}); keep one item per source item",
        f"{W2}:22: warning: agenda entry 'activity-1' has 20 minutes, but the English source has 25 ({SRC}:23); "
        "keep the minutes",
        f"{W2}:23: warning: agenda entry 'activity-2' has 25 minutes, but the English source has 20 ({SRC}:24); "
        "keep the minutes",
        f"{W2}:28: warning: section 'preparation': 0 images here, 1 in the English source ({SRC}:29); keep one "
        "image per source image",
        f"{W2}:28: warning: section 'preparation': 0 links here, 1 in the English source ({SRC}:29); keep one "
        "link per source link",
        f"{W2}:36: warning: section 'check-in': 2 list items here, 3 in the English source ({SRC}:39); keep one "
        "list item per source list item",
        f"{W2}:44: warning: section 'review': the number 10 of the English source ({SRC}:47) is not here; keep "
        "numbers and durations as in the source",
        f"{W2}:70: warning: section 'closing': the number 1-855-242-3310 of the English source ({SRC}:73) is not "
        "here; keep numbers and durations as in the source",
        f"{W2}:82: warning: section 'facilitator-notes': admonitions 1× note, 1× warning here, 1× tip, 1× warning "
        f"in the English source ({SRC}:85); keep each '!!! type' block of the source",
    ],
    "glossary": [
        f"{W2}:35: warning: section 'welcome': the English source uses 'group agreement' ({SRC}:35) but none of "
        f"its agreed translations is here: 'entente de groupe' (glossary.yml:5); {GLOSSARY_HINT}",
        f"{W2}:85: warning: section 'facilitator-notes': protected term 'Breaking the Cycle' of the English source "
        f"({SRC}:85) is not here; copy it exactly (glossary.yml:11)",
        f"{W2}:85: warning: section 'facilitator-notes': the English source uses 'co-facilitator' ({SRC}:85) but "
        f"none of its agreed translations is here: 'coanimatrice', 'coanimateur' (glossary.yml:7); {GLOSSARY_HINT}",
        f"{W2}:91: warning: section 'facilitator-notes': protected term 'Mothercraft' is written 'MotherCraft'; "
        f"copy it exactly as in {SRC}:85 (glossary.yml:10)",
    ],
    "typography": [
        f"{W2}:3: warning: normal space before ':'; French in Canada uses a non-breaking space (U+00A0) there — "
        f"{TYPO_FIX}",
        f"{W2}:37: warning: normal space before ':'; French in Canada uses a non-breaking space (U+00A0) there; "
        "normal space after '«'; use a non-breaking space (U+00A0) inside guillemets; normal space before '»'; use "
        f"a non-breaking space (U+00A0) inside guillemets — {TYPO_FIX}",
        f"{W2}:44: warning: no space before ':'; French in Canada puts a non-breaking space (U+00A0) there; space "
        "before ';', '!' or '?': France-style; in Canada there is no space there (or a narrow no-break space, "
        f"U+202F); remove it — {TYPO_FIX}",
        f"{W2}:55: warning: no space after '«'; put a non-breaking space (U+00A0) inside guillemets; no space "
        f"before '»'; put a non-breaking space (U+00A0) inside guillemets — {TYPO_FIX}",
        f"{W2}:79: warning: normal space before ':'; French in Canada uses a non-breaking space (U+00A0) there — "
        f"{TYPO_FIX}",
        f"{W2}:81: warning: normal space before ':'; French in Canada uses a non-breaking space (U+00A0) there — "
        f"{TYPO_FIX}",
    ],
    # Straight apostrophes in a double-quoted and a single-quoted YAML value, a paragraph, a heading and an
    # admonition title; straight double quotes in a paragraph. Not in code, a URL or YAML's own quotes.
    "apostrophe": [
        f"{W2}:3: warning: {APOS} (2×) — {TYPO_FIX}",
        f"{W2}:10: warning: {APOS} — {TYPO_FIX}",
        f"{W2}:11: warning: {APOS} — {TYPO_FIX}",
        f"{W2}:37: warning: {APOS}; {QUOTES} (2×) — {TYPO_FIX}",
        f"{W2}:53: warning: {APOS} — {TYPO_FIX}",
        f"{W2}:90: warning: {APOS} — {TYPO_FIX}",
    ],
}


def fixture_project(dest: Path, kind: str) -> Path:
    """The minimal project with a rich English week 2 and the French week 2 of this kind."""
    project = copy_project(dest, MINIMAL)
    shutil.copy(FIX / "source-week-2.md", project / "content/en/week-2.md")
    shutil.copy(FIX / f"{kind}-week-2.md", project / "content/fr/week-2.md")
    for v in ("en", "fr"):
        shutil.copy(FIX / "circle.svg", project / f"content/{v}/circle.svg")
    shutil.copy(FIX / "glossary.yml", project / "glossary.yml")
    return project


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, list[str]]:
    """`check` run once per fixture kind; the warnings it prints for the French week 2."""
    out = {}
    for kind in EXPECTED:
        project = fixture_project(tmp_path_factory.mktemp(kind) / "p", kind)
        _, problems = collect(project)
        assert not problems.errors, [str(p) for p in problems.errors]
        out[kind] = [str(p) for p in sorted(problems.warnings) if p.path == W2]
    return out


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_violation_is_a_warning_with_its_line(checked, kind: str) -> None:
    assert checked[kind] == EXPECTED[kind]


def test_check_prints_warnings_and_still_passes(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "p", "parity")
    result = run_cli("check", project=project)
    assert result.code == 0, result.err
    assert EXPECTED["parity"][0] in result.out
    assert "warnings." in result.out.splitlines()[-1]


def test_fixer_puts_non_breaking_spaces_in_prose_only(tmp_path: Path, capsys) -> None:
    project = fixture_project(tmp_path / "p", "typography")
    path = project / W2
    before = path.read_text(encoding="utf-8").splitlines()
    assert typography.main([str(project / "content/fr")]) == 0
    assert "content/fr/week-2.md: 9 places fixed" in capsys.readouterr().out.replace(str(project) + "/", "")
    after = path.read_text(encoding="utf-8").splitlines()
    nb = "\u00a0"
    assert after[2] == f'title: "L’enfance{nb}: ce qui compte aujourd’hui"'
    assert after[36] == f"Accueillez chacune. Rappelez l’entente de groupe{nb}: «{nb}Ici, on se respecte{nb}»."
    assert after[43] == f"2. Dites un mot{nb}: comment vous sentez-vous ?"  # the '?' is left for a person
    assert f"«{nb}Respirer{nb}»" in after[54] and "`temps : 5 min`" in after[54]
    assert after[78] == f"| Inspirer{nb}: lentement | 4 temps |"
    assert after[80] == f"Écrivez-nous{nb}: <mailto:info@exemple.ca>."
    # Syntax is never touched: YAML keys, code, admonition markers, table rules, links.
    for i in (3, 57, 77):
        assert after[i] == before[i]
    assert after[3] == "duration : 120" and after[57] == "note : texte de code"
    assert '!!! tip "Rappel : prendre soin de soi"' in after
    # Only spaces changed: with every space and non-breaking space removed, each line is the same.
    assert [a.replace(nb, "").replace(" ", "") for a in after] == [b.replace(nb, "").replace(" ", "") for b in before]
    # Still valid, and the only typography warning left is the one a person must fix.
    _, problems = collect(project)
    assert not problems.errors
    left = [str(p) for p in problems.warnings if p.path == W2]
    assert left == [f"{W2}:44: warning: space before ';', '!' or '?': France-style; in Canada there is no space "
                    "there (or a narrow no-break space, U+202F); remove it"]
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == f"L’enfance{nb}: ce qui compte aujourd’hui" and front["duration"] == 120
    # Running it again changes nothing; --check says so with exit 0.
    assert typography.main(["--check", str(path)]) == 0


def test_fixer_check_mode_lists_and_fails(tmp_path: Path, capsys) -> None:
    project = fixture_project(tmp_path / "p", "typography")
    text = (project / W2).read_bytes()
    assert typography.main(["--check", str(project / W2)]) == 1
    out = capsys.readouterr().out
    assert f"{project / W2}:37:" in out and "normal space after '«'" in out
    assert (project / W2).read_bytes() == text


def test_fixer_puts_typographic_apostrophes_and_guillemets(tmp_path: Path, capsys) -> None:
    project = fixture_project(tmp_path / "p", "apostrophe")
    path = project / W2
    assert typography.main([str(project / "content/fr")]) == 0
    assert "content/fr/week-2.md: 9 places fixed" in capsys.readouterr().out.replace(str(project) + "/", "")
    after = path.read_text(encoding="utf-8").splitlines()
    nb = "\u00a0"
    assert after[2] == 'title: "Ce qui s’est passé dans l’enfance compte aujourd’hui"'
    assert after[10] == "  - 'Chaque message clé peut être entendu jusqu’à la fin.'"  # YAML's '' was one apostrophe
    assert after[36] == f"Accueillez chacune. Rappelez l’entente de groupe et dites «{nb}bienvenue{nb}»."
    assert after[40].endswith("Écrivez `l'heure` au tableau.")  # code is left alone
    assert after[52] == "### Ce qui s’est passé dans l’enfance compte aujourd’hui"
    assert after[54].endswith("https://exemple.ca/l'aide en ligne.")  # and so is a URL
    assert after[89] == '!!! tip "Prendre soin de soi aujourd’hui"'
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["key_messages"][1] == "Chaque message clé peut être entendu jusqu’à la fin."
    _, problems = collect(project)
    assert not problems.errors and [str(p) for p in problems.warnings if p.path == W2] == []


def test_straight_apostrophe_in_a_french_catalog_is_a_warning_with_its_line(tmp_path: Path, capsys) -> None:
    project = fixture_project(tmp_path / "p", "good")
    po = project / "locales/fr/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
                  'msgid "Facilitator\'s initials"\nmsgstr "Initiales de l\'animation"\n\n'
                  'msgid "Say \\"hello\\""\nmsgstr ""\n"Dites \\"bonjour\\" à %(name)s"\n\n'
                  'msgid "{n} weeks"\nmsgstr "{n} semaines d’abord"\n', encoding="utf-8")
    _, problems = collect(project)
    fix = "run 'python -m connections.translation.typography locales/fr' to fix it"
    assert [str(p) for p in problems.warnings if p.path.startswith("locales")] == [
        f"locales/fr/LC_MESSAGES/messages.po:6: warning: {APOS} — {fix}",
        f"locales/fr/LC_MESSAGES/messages.po:10: warning: {QUOTES}",
    ]
    assert typography.main([str(project / "locales/fr")]) == 0
    assert po.read_text(encoding="utf-8").splitlines()[5] == 'msgstr "Initiales de l’animation"'
    assert 'msgid "Facilitator\'s initials"' in po.read_text(encoding="utf-8")  # the English is not touched


def test_glossary_mistake_is_an_error_with_its_line(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "p", "good")
    (project / "glossary.yml").write_text("terms:\n  - fr: message clé\nprotected:\n  - 12\n", encoding="utf-8")
    _, problems = collect(project)
    assert [str(p) for p in problems.errors] == [
        "glossary.yml:2: a term needs 'en: <term>' and its translations, e.g. {en: key message, fr: [message clé]}",
        "glossary.yml:4: a protected term is a text, e.g. - Mothercraft",
    ]
