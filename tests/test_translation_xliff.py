"""A translator's CAT-tool round trip: `translate export` writes XLIFF 1.2 with the state of every section,
a CAT tool translates (here a script editing the file with translate-toolkit, as Weblate would), and
`translate import` writes the translations back, checks them and marks finished sections current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import factory, xliff
from translate.storage.placeables.lisa import parse_xliff

from connections.cli import main
from tests.conftest import MINIMAL, copy_project, run_cli

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
EN_WELCOME = ("Read **the agreement** aloud, then see [the guide](#check-in) "
              "and call [[agency.name]] if needed.")
FR_WELCOME = ("Lisez **l'entente** à voix haute, puis consultez [le guide](#check-in) "
              "et appelez [[agency.name]] au besoin.")
CHANGED = "Section text, now with a gentler opening question."


def cli(capsys, project: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file under content/, byte for byte."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "content").rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def fr(minimal: Path, capsys) -> Path:
    """The minimal project with markup in week 1, French marked current, then two English changes."""
    edit(minimal / "content/en/week-1.md", "## Welcome {#welcome}\n\nSection text.",
         f"## Welcome {{#welcome}}\n\nSection text.\n\n{EN_WELCOME}")
    edit(minimal / "content/fr/week-1.md", "## Welcome {#welcome}\n\nTexte de la section.",
         f"## Welcome {{#welcome}}\n\nTexte de la section.\n\n{FR_WELCOME}")
    assert cli(capsys, minimal, "mark-current", "fr")[0] == 0
    edit(minimal / "content/en/week-2.md", "## Check in {#check-in}\n\nSection text.",
         f"## Check in {{#check-in}}\n\n{CHANGED}")
    edit(minimal / "content/en/week-1.md", "and call [[agency.name]] if needed.",
         "and call [[agency.name]] when you need to.")
    return minimal


def units(xlf: Path) -> dict[str, xliff.xliffunit]:
    store = factory.getobject(str(xlf))
    return {u.getid().split("\x04")[-1]: u for u in store.unit_iter()}


def state(unit) -> str:
    target = unit.get_target_dom()
    return "new" if target is None else target.get("state", "new")


def cat_tool(xlf: Path, translations: dict[str, str], final: bool = True) -> None:
    """What a CAT tool does on save: new targets (with the source's inline tags) and their state."""
    store = factory.getobject(str(xlf))
    for unit in store.unit_iter():
        uid = unit.getid().split("\x04")[-1]
        if uid in translations:
            unit.rich_target = [parse_xliff(translations[uid])]
            unit.set_state_n(unit.statemap["final" if final else "translated"])
    store.savefile(str(xlf))


def status_of(capsys, project: Path) -> dict:
    code, out, _ = cli(capsys, project, "status", "--json", "--variant", "fr")
    assert code == 0
    files = json.loads(out)["variants"][0]["files"]
    return {(f["file"], s["id"]): s["state"] for f in files for s in f["sections"]}


def test_export_holds_only_what_needs_work_with_states_and_the_english_before(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    code, out, err = cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))
    assert code == 0, err
    got = units(xlf)
    assert set(got) == {"week-1#welcome/1", "week-1#welcome/2", "week-1#welcome/3",
                        "week-2#check-in/1", "week-2#check-in/2"}
    assert {state(u) for u in got.values()} == {"needs-review-translation"}
    changed = got["week-2#check-in/2"]
    assert changed.source == CHANGED
    assert changed.target == "Texte de la section."
    alt = changed.getalttrans()
    assert alt and alt[0].source == "Section text." and alt[0].target == "Texte de la section."
    assert "Before: Section text." in changed.getnotes()
    assert "Before" not in got["week-2#check-in/1"].getnotes()  # the heading did not change
    assert "5 units (5 needs-review-translation)" in out


def test_export_all_marks_current_sections_final(fr: Path, capsys) -> None:
    xlf = fr / "all.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--all", "--out", str(xlf))[0] == 0
    got = units(xlf)
    title = got["week-3#front-matter/title"]
    assert (title.source, title.target, state(title), title.isapproved()) == ("Week 3", "Semaine 3", "final", True)
    assert got["week-3#front-matter/objectives/1"].target == "Objectif 3"
    assert state(got["week-2#check-in/2"]) == "needs-review-translation"


def test_round_trip_changes_exactly_the_translated_units_and_marks_them_current(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    before = snapshot(fr)
    cat_tool(xlf, {"week-2#check-in/1": "Tour de table",
                   "week-2#check-in/2": "Texte de la section, avec une question d'ouverture plus douce."})
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 0, err
    after = snapshot(fr)
    changed = {p for p in after if after[p] != before.get(p)}
    assert {p for p in changed if not p.startswith("content/.sources/")} == {"content/fr/week-2.md"}
    old, new = before["content/fr/week-2.md"].decode(), after["content/fr/week-2.md"].decode()
    assert "## Tour de table {#check-in}\n\nTexte de la section, avec une question d'ouverture plus douce.\n" in new
    rest = [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True) if a != b]
    assert [b for _, b in rest if "check-in" in b and "translated_from" not in b][0].startswith("  check-in:")
    assert len(rest) == 3  # the heading, the paragraph and the check-in hash: nothing else moved
    assert "content/fr/week-2.md: 2 units read, written; marked current: check-in" in out
    assert cli(capsys, fr, "check")[0] == 0
    states = status_of(capsys, fr)
    assert states[("content/fr/week-2.md", "check-in")] == "current"
    assert states[("content/fr/week-1.md", "welcome")] == "needs review"  # not in this translation yet


def test_translated_but_not_final_units_are_written_but_not_marked(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    cat_tool(xlf, {"week-2#check-in/2": "Texte revu."}, final=False)
    store = factory.getobject(str(xlf))
    for u in store.unit_iter():  # the translator saves the other unit as still needing review
        if u.getid().endswith("check-in/1"):
            u.set_state_n(u.statemap["needs-review-translation"])
    store.savefile(str(xlf))
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 0, err
    assert "Texte revu." in (fr / "content/fr/week-2.md").read_text(encoding="utf-8")
    assert status_of(capsys, fr)[("content/fr/week-2.md", "check-in")] == "needs review"


@pytest.mark.parametrize("everything", [False, True])
def test_importing_an_unchanged_export_changes_no_byte(fr: Path, capsys, everything: bool) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf), *(["--all"] if everything else []))[0] == 0
    before = snapshot(fr)
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 0, err
    assert snapshot(fr) == before
    assert "0 files changed, 0 sections newly marked current" in out


def test_a_unit_whose_english_changed_after_the_export_is_refused_with_its_id(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    cat_tool(xlf, {"week-2#check-in/2": "Texte de la section, avec une question plus douce."})
    edit(fr / "content/en/week-2.md", CHANGED, "Section text, with an opening question.")
    before = snapshot(fr)
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 1
    assert (f'fr.xlf: unit week-2#check-in/2: the English changed since the export: was "{CHANGED}", '
            'now "Section text, with an opening question."') in err
    assert "nothing imported" in err and "Traceback" not in err
    assert snapshot(fr) == before


def test_markup_and_placeholders_are_locked_codes_and_survive_a_reordered_translation(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    tree = etree.parse(str(xlf))
    source = tree.find(".//x:trans-unit[@id='week-1#welcome/3']/x:source", NS)
    assert etree.tostring(source, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0] == (
        'Read <g id="1" ctype="bold">the agreement</g> aloud, then see <g id="2" ctype="link">the guide</g> '
        'and call <x id="3" ctype="x-placeholder" equiv-text="[[agency.name]]"/> when you need to.')
    cat_tool(xlf, {"week-1#welcome/3": 'Appelez <x id="3"/> au besoin, après avoir lu <g id="1">l\'entente</g> '
                                       'et <g id="2">le guide</g>.'})
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 0, err
    text = (fr / "content/fr/week-1.md").read_text(encoding="utf-8")
    assert ("Appelez [[agency.name]] au besoin, après avoir lu **l'entente** et "
            "[le guide](#check-in).\n") in text
    assert FR_WELCOME not in text


@pytest.mark.parametrize(("target", "why"), [
    ('Lisez <g id="1">l\'entente</g>, puis <g id="2">le guide</g> au besoin.',
     "missing inline code id 3 ([[agency.name]])"),
    ('Lisez <g id="1">l\'entente</g>, <g id="2">le guide</g>, <x id="3"/> et <x id="9"/>.',
     '<x id="9"> is not in the English'),
    ('Lisez <x id="1"/>, <g id="2">le guide</g>, <x id="3"/>.', '<x id="1"> should be <g>'),
])
def test_a_unit_with_broken_inline_codes_is_refused_with_its_id(fr: Path, capsys, target: str, why: str) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    cat_tool(xlf, {"week-1#welcome/3": target})
    before = snapshot(fr)
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 1
    assert f"fr.xlf: unit week-1#welcome/3: inline codes broken: {why}" in err
    assert snapshot(fr) == before


def test_the_export_is_xliff_1_2_that_translate_toolkit_and_lxml_read(fr: Path, capsys) -> None:
    xlf = fr / "all.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--all", "--out", str(xlf))[0] == 0
    root = etree.parse(str(xlf)).getroot()
    assert (root.tag, root.get("version")) == ("{urn:oasis:names:tc:xliff:document:1.2}xliff", "1.2")
    files = root.findall("x:file", NS)
    assert [f.get("original") for f in files] == [f"content/fr/{n}.md" for n in
                                                  ["program", *(f"week-{i}" for i in range(1, 7))]]
    for f in files:
        assert (f.get("source-language"), f.get("target-language"), f.get("datatype")) == ("en-CA", "fr-CA",
                                                                                         "x-markdown")
    every = root.findall(".//x:trans-unit", NS)
    assert len({u.get("id") for u in every}) == len(every)
    for u in every:  # XLIFF 1.2 order inside a trans-unit: source, target, then the rest
        kids = [etree.QName(k).localname for k in u]
        assert kids[0] == "source" and set(kids) <= {"source", "target", "note", "alt-trans", "context-group"}
        assert all(etree.QName(el).namespace == NS["x"] for el in u.iter())
    store = factory.getobject(str(xlf))
    assert len(store.units) == len(every) and store.gettargetlanguage() == "fr-CA"


def test_a_new_inuktitut_variant_exports_every_unit_new_with_syllabics_intact(minimal: Path, capsys) -> None:
    from tests.test_new_variant import LABEL, SENTENCE, TITLE, add_inuktitut

    add_inuktitut(minimal)
    xlf = minimal / "iu.xlf"
    code, out, err = cli(capsys, minimal, "translate", "export", "iu", "--out", str(xlf))
    assert code == 0, err
    got = units(xlf)
    assert len(got) > 100 and {state(u) for u in got.values()} == {"new"}
    assert got["week-3#front-matter/title"].target == f"{TITLE} 3"
    assert got["program#front-matter/title"].target == f"Connections · {LABEL}"
    assert not got["week-3#check-in/2"].target  # an untranslated copy of the English is no draft
    assert SENTENCE in got["week-3#welcome/1"].getnotes()
    raw = xlf.read_text(encoding="utf-8")
    assert f"{TITLE} 3" in raw and 'target-language="iu"' in raw


def test_import_mistakes_exit_1_naming_the_file(minimal: Path, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='1.2'><file", encoding="utf-8")
    code, _, err = cli(capsys, minimal, "translate", "import", str(bad))
    assert code == 1 and f"{bad}: cannot read it as an XLIFF 1.2 file" in err and "Traceback" not in err
    code, _, err = cli(capsys, minimal, "translate", "import", str(tmp_path / "nope.xlf"))
    assert code == 1 and "nope.xlf: no such file" in err
    code, _, err = cli(capsys, minimal, "translate", "export", "en")
    assert code == 1 and "'en' is the source variant" in err


def test_a_missing_file_is_created_from_the_import(minimal: Path, capsys) -> None:
    (minimal / "content/fr/week-6.md").unlink()
    xlf = minimal / "fr.xlf"
    assert cli(capsys, minimal, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    got = units(xlf)
    assert state(got["week-6#front-matter/title"]) == "new" and not got["week-6#front-matter/title"].target
    cat_tool(xlf, {"week-6#front-matter/title": "Semaine 6", "week-6#closing/2": "Mot de la fin."})
    code, out, err = cli(capsys, minimal, "translate", "import", str(xlf))
    assert code == 0, err
    text = (minimal / "content/fr/week-6.md").read_text(encoding="utf-8")
    assert "title: Semaine 6\n" in text and "## Closing {#closing}\n\nMot de la fin.\n" in text
    assert cli(capsys, minimal, "check")[0] == 0



def test_glossary_exports_as_tbx_and_csv_with_protected_terms_marked(minimal: Path, capsys, tmp_path: Path) -> None:
    from translate.storage.tbx import tbxfile

    from tests.conftest import REPO

    (minimal / "glossary.yml").write_bytes((REPO / "glossary.yml").read_bytes())
    code, out, err = cli(capsys, minimal, "translate", "glossary", "--out", str(tmp_path / "terms"))
    assert code == 0, err
    store = tbxfile.parsefile(str(tmp_path / "terms" / "glossary.tbx"))
    by_source = {u.source: u for u in store.units}
    assert [t.text for t in by_source["child welfare"].get_target_terms("fr")] == [
        "protection de l’enfance", "protection de la jeunesse"]
    mothercraft = by_source["Mothercraft"]
    assert [t.text for t in mothercraft.get_target_terms("fr")] == ["Mothercraft"]
    assert not mothercraft.istranslatable() and "copy it exactly" in mothercraft.getnotes()
    assert by_source["key message"].istranslatable()
    rows = (tmp_path / "terms" / "glossary.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "en,fr,protected,note"
    assert "key message,message clé; messages clés,no," in rows
    assert any(r.startswith("Métis,Métis,yes,") for r in rows)


def test_status_html_reports_each_section_with_the_english_change_and_words(fr: Path, capsys) -> None:
    page = fr / "report.html"
    code, out, err = cli(capsys, fr, "status", "--html", str(page), "--variant", "fr")
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert "Français (fr) — translation of en:" in text
    week2 = text[text.index("<details id='fr-week-2'"):text.index("<details id='fr-week-3'")]
    assert "content/fr/week-2.md: 12 current, 1 need review, 0 missing — 6 words" in week2
    assert ("<td><code>check-in</code></td><td class='review'>needs review</td><td class='n'>10</td>"
            "<td class='n'>6</td>") in week2
    assert "Section text<ins>, now with a gentler opening question</ins>.\n" in week2
    assert "<td><code>welcome</code></td><td class='current'>current</td>" in week2


def test_export_include_catalog_writes_the_untranslated_template_strings_as_po(minimal: Path, capsys) -> None:
    import shutil

    from babel.messages.pofile import read_po

    from tests.conftest import REPO

    shutil.copytree(REPO / "locales", minimal / "locales")
    po = minimal / "locales/fr/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Participant"\n')
    end = text.index("\n", text.index("msgstr", start))
    po.write_text(text[:start] + 'msgid "Participant"\nmsgstr ""' + text[end:], encoding="utf-8")
    code, out, err = cli(capsys, minimal, "translate", "export", "fr", "--include-catalog",
                         "--out", str(minimal / "out" / "fr.xlf"))
    assert code == 0, err
    assert "1 template string still untranslated or fuzzy in locales/fr/LC_MESSAGES/messages.po" in out
    with (minimal / "out" / "fr.po").open("rb") as f:
        assert [m.id for m in read_po(f) if m.id] == ["Participant"]


def test_a_section_whose_english_gained_a_paragraph_after_the_export_is_refused(fr: Path, capsys) -> None:
    xlf = fr / "fr.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    cat_tool(xlf, {"week-2#check-in/2": "Texte de la section, avec une question plus douce."})
    edit(fr / "content/en/week-2.md", CHANGED, f"{CHANGED}\n\nA new closing sentence.")
    code, _, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 1
    assert ("fr.xlf: section week-2#check-in: the English of this section changed since the export "
            "(new: week-2#check-in/3); export again") in err


def test_the_export_validates_against_the_xliff_1_2_strict_schema(fr: Path, capsys) -> None:
    from tests.conftest import FIXTURES

    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "xliff" / "xliff-core-1.2-strict.xsd")))
    for args in ([], ["--all"]):
        xlf = fr / "x.xlf"
        assert cli(capsys, fr, "translate", "export", "fr", "--out", str(xlf), *args)[0] == 0
        assert schema.validate(etree.parse(str(xlf))), schema.error_log


def test_an_imported_translation_is_on_the_built_site(tmp_path: Path, capsys) -> None:
    """The translator's last step: the site built after the import shows the new French."""
    import shutil

    project = copy_project(tmp_path / "p")
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL / "content", project / "content")
    xlf = project / "fr.xlf"
    assert cli(capsys, project, "translate", "export", "fr", "--out", str(xlf))[0] == 0
    cat_tool(xlf, {"week-2#check-in/2": "Un tour de table tout en douceur, où personne n'est obligée de parler."})
    assert cli(capsys, project, "translate", "import", str(xlf))[0] == 0
    built = run_cli("site", "--variant", "fr", project=project)
    assert built.code == 0, built.err
    page = (project / "dist/site/fr/week-2.html").read_text(encoding="utf-8")
    assert "Un tour de table tout en douceur, où personne n&#39;est obligée de parler." in page or \
        "Un tour de table tout en douceur, où personne n’est obligée de parler." in page or \
        "Un tour de table tout en douceur, où personne n'est obligée de parler." in page


def test_front_matter_values_are_written_as_valid_yaml_keeping_the_other_lines(fr: Path, capsys) -> None:
    xlf = fr / "all.xlf"
    assert cli(capsys, fr, "translate", "export", "fr", "--all", "--out", str(xlf))[0] == 0
    path = fr / "content/fr/week-3.md"
    before = path.read_text(encoding="utf-8")
    cat_tool(xlf, {"week-3#front-matter/objectives/1": "Objectif : nommer une force",
                   "week-3#front-matter/discreet_title": "yes"})
    code, out, err = cli(capsys, fr, "translate", "import", str(xlf))
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    assert "objectives:\n  - 'Objectif : nommer une force'\nkey_messages:" in after
    assert "discreet_title: 'yes'\n" in after
    changed = [b for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == ["discreet_title: 'yes'", "  - 'Objectif : nommer une force'"]
    assert cli(capsys, fr, "check")[0] == 0
