"""A new variant is configuration: an Inuktitut folder works with check, status and Babel, with no code change."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from connections import catalogs
from connections.errors import Problems
from connections.i18n import long_date, make_env
from connections.project import Project
from connections.validate import load_bundle
from tests.conftest import FIXTURES, MINIMAL, copy_project, run_cli

CATALOG = FIXTURES / "translation" / "catalog"
SYLLABICS = range(0x1400, 0x1680)
VARIANT_YML = """label: ᐃᓄᒃᑎᑐᑦ
locale: iu
lang: iu
relation: translation
source: en
discreet_name: ᓄᑖᑦ
content_date: 2026-11-23
order: 4
"""


def syllabic_letters(text: str) -> int:
    return sum(1 for c in text if ord(c) in SYLLABICS)


@pytest.fixture(scope="module")
def iu_project(tmp_path_factory) -> Path:
    """The minimal project (with template catalogs) plus content/iu/: a variant.yml and syllabics text."""
    project = copy_project(tmp_path_factory.mktemp("iu") / "p", MINIMAL)
    shutil.copy(CATALOG / "babel.cfg", project / "babel.cfg")
    shutil.copytree(CATALOG / "templates", project / "templates")
    (project / "locales/fr/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOG / "messages.po", project / "locales/fr/LC_MESSAGES/messages.po")
    iu = project / "content" / "iu"
    shutil.copytree(project / "content" / "en", iu)
    (iu / "variant.yml").write_text(VARIANT_YML, encoding="utf-8")
    for md in iu.glob("*.md"):
        text = md.read_text(encoding="utf-8").replace("Section text.", "ᐅᖃᐅᓯᖅ ᐱᒋᐊᕐᓂᖓ.")
        md.write_text(text.replace("Text.", "ᐅᖃᐅᓯᖅ."), encoding="utf-8")
    return project


def test_check_accepts_the_new_variant(iu_project: Path) -> None:
    result = run_cli("check", project=iu_project)
    assert result.code == 0, result.err
    assert "3 variants, 21 files" in result.out
    # No catalog for iu yet: a warning that says how to start one, not an error.
    assert "content/iu/variant.yml:1: warning: no catalog for locale 'iu'" in result.out
    assert "python -m connections.catalogs init iu" in result.out


def test_a_catalog_for_the_new_locale_is_one_command(iu_project: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", iu_project)
    assert catalogs.main(["--project", str(project), "init", "iu"]) == 0
    result = run_cli("check", project=project)
    assert result.code == 0 and "no catalog for locale" not in result.out


def test_status_and_mark_current_cover_the_new_variant(iu_project: Path) -> None:
    before = json.loads(run_cli("status", "--json", "--variant", "iu", project=iu_project).out)
    (iu,) = before["variants"]
    assert iu["variant"] == "iu" and iu["label"] == "ᐃᓄᒃᑎᑐᑦ" and iu["percent"] == 0
    assert run_cli("mark-current", "iu", project=iu_project).code == 0
    result = run_cli("status", "--fail-under", "100", project=iu_project)
    assert result.code == 1  # fr was never marked
    assert "status: fr is 0% current" in result.err and "iu is" not in result.err
    assert "iu — ᐃᓄᒃᑎᑐᑦ, translation of en: 100% current" in result.out


def test_babel_writes_the_variant_dates_in_syllabics(iu_project: Path) -> None:
    project = Project.at(iu_project)
    bundle = load_bundle(project, Problems(project.root))
    variant = bundle.variant("iu")
    day = dt.date(2027, 3, 2)
    text = long_date(day, variant.locale)
    assert syllabic_letters(text) >= 5 and "2027" in text
    env = make_env(project.templates, project.locales, variant.locale)
    rendered = env.from_string("{{ d|date('full') }}").render(d=day)
    assert rendered == text
    assert long_date(day, bundle.variant("fr").locale) == "mardi 2 mars 2027"
