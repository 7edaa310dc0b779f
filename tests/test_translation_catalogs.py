"""Babel catalogs for template strings: up to date passes, out of date fails check and the build, update merges."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connections import catalogs
from connections.checks import collect
from connections.i18n import make_env
from connections.project import Project
from tests.conftest import FIXTURES, MINIMAL, copy_project, run_cli

CATALOG = FIXTURES / "translation" / "catalog"
PO = "locales/fr/LC_MESSAGES/messages.po"


@pytest.fixture
def catalog_project(tmp_path: Path) -> Path:
    """The minimal project with one template, babel.cfg and a French catalog made by hand."""
    project = copy_project(tmp_path / "p", MINIMAL)
    shutil.copy(CATALOG / "babel.cfg", project / "babel.cfg")
    shutil.copytree(CATALOG / "templates", project / "templates")
    (project / PO).parent.mkdir(parents=True)
    shutil.copy(CATALOG / "messages.po", project / PO)
    return project


def test_a_project_folder_with_any_name(catalog_project: Path) -> None:
    """The folder a project is cloned into (here 'agency-2027_v2') is not read as a locale."""
    moved = catalog_project.parent / "agency-2027_v2"
    catalog_project.rename(moved)
    catalogs.update(Project.at(moved))  # writes locales/messages.pot, reads it back
    _, problems = collect(moved)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert catalogs.read_catalog(moved / "locales/messages.pot").locale is None
    assert str(catalogs.read_catalog(moved / PO).locale) == "fr"


def add_string(project: Path, text: str) -> None:
    tpl = project / "templates/pdf/note.html"
    tpl.write_text(tpl.read_text(encoding="utf-8") + f"<p>{{% trans %}}{text}{{% endtrans %}}</p>\n",
                   encoding="utf-8")


def test_current_catalog_passes_check(catalog_project: Path) -> None:
    _, problems = collect(catalog_project)
    assert not problems.errors
    assert not [p for p in problems.warnings if p.path.startswith("locales/")]


def test_new_template_string_fails_check_and_the_build(catalog_project: Path) -> None:
    add_string(catalog_project, "Something to think about")
    _, problems = collect(catalog_project)
    assert [str(p) for p in problems.errors] == [
        f"{PO}:1: out of date with the templates: 1 new string in the templates ('Something to think about' "
        "(templates/pdf/note.html)); run 'python -m connections.catalogs update', then translate the new strings"]
    result = run_cli("handouts", project=catalog_project)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{PO}:1: out of date with the templates" in result.err
    assert "Nothing was written" in result.err


def test_a_remembered_extraction_never_hides_a_template_edit(catalog_project: Path) -> None:
    """Every build remembers the templates' strings in .cache/ by the hash of the templates: a check after an
    edit reads the edited template; undone, the remembered strings serve again."""
    assert not collect(catalog_project)[1].errors  # remembered
    (entry,) = (catalog_project / ".cache/catalogs").iterdir()
    add_string(catalog_project, "Something to think about")
    assert "1 new string in the templates ('Something to think about'" in str(collect(catalog_project)[1].errors)
    tpl = catalog_project / "templates/pdf/note.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").rsplit("<p>", 1)[0], encoding="utf-8")  # the edit undone
    assert not collect(catalog_project)[1].errors
    assert len(list(entry.parent.iterdir())) == 2 and entry.is_file()


def test_update_merges_keeps_translations_and_comments_and_obsoletes(catalog_project: Path, capsys) -> None:
    add_string(catalog_project, "Something to think about")
    assert catalogs.main(["--project", str(catalog_project), "update"]) == 0
    assert f"{PO}: 1 new, 0 no longer used (kept as obsolete), 1 to translate" in capsys.readouterr().out
    po = (catalog_project / PO).read_text(encoding="utf-8")
    assert po.startswith("# Canadian French translations of the test templates.\n# Translators: edit msgstr only.")
    assert 'msgid "Key messages"\nmsgstr "Messages clés"' in po
    assert 'msgid "Something to think about"\nmsgstr ""' in po
    assert (catalog_project / "locales/messages.pot").is_file()
    _, problems = collect(catalog_project)
    assert not problems.errors
    line = po.splitlines().index('msgid "Something to think about"') + 1
    assert [str(p) for p in problems.warnings if p.path == PO] == [
        f"{PO}:{line}: warning: 1 string not translated yet or marked fuzzy ('Something to think about' "
        "(templates/pdf/note.html)); they print in English until translated"]
    # A string removed from the templates stays in the catalog as obsolete, with its translation.
    tpl = catalog_project / "templates/pdf/note.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% trans %}Key messages{% endtrans %}", ""),
                   encoding="utf-8")
    assert catalogs.main(["--project", str(catalog_project), "check"]) == 1
    assert catalogs.main(["--project", str(catalog_project), "update"]) == 0
    po = (catalog_project / PO).read_text(encoding="utf-8")
    assert '#~ msgid "Key messages"\n#~ msgstr "Messages clés"' in po
    assert catalogs.main(["--project", str(catalog_project), "check"]) == 0
    capsys.readouterr()
    assert catalogs.main(["--project", str(catalog_project), "update"]) == 0
    assert "already up to date" in capsys.readouterr().out
    # The build's gettext reads the merged catalog.
    env = make_env(catalog_project / "templates", catalog_project / "locales", "fr_CA")
    assert env.from_string('{{ _("Week %(n)s", n=3) }}').render() == "Semaine 3"


def test_init_a_new_locale_with_its_plural_rule(catalog_project: Path) -> None:
    path = catalogs.init(Project.at(catalog_project), "iu")
    text = path.read_text(encoding="utf-8")
    assert path == catalog_project / "locales/iu/LC_MESSAGES/messages.po"
    assert '"Plural-Forms: nplurals=3;' in text and 'msgid "Key messages"' in text
    _, problems = collect(catalog_project)
    assert not problems.errors
