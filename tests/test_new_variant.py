"""A new variant is configuration: an Inuktitut variant added in a copy of the project, with no code change,
passes `check`, has a translation status, a site with lang="iu" that the other sites link to, and handouts
whose syllabics are drawn with Noto Sans Canadian Aboriginal and dated by Babel in syllabics."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date
from fontTools.ttLib import TTFont

from tests.conftest import Result, copy_project, run_build, run_cli
from tests.fixtures.pdf.pdf_project import pypdf_page_texts, reader

LABEL = "ᐃᓄᒃᑎᑐᑦ"  # Inuktitut
SENTENCE = "ᐅᖃᐅᓯᖅ ᐃᓄᒃᑎᑐᑦ ᑎᑎᕋᖅᓯᒪᔪᖅ."  # a line of syllabics put into a few sections of every file
TITLE = "ᐱᓕᕆᐊᖅ"  # week titles: "ᐱᓕᕆᐊᖅ 3"
NOTES = "ᐅᖃᐅᓯᑦ"  # discreet titles: "ᐅᖃᐅᓯᑦ 3"
CONTENT_DATE = dt.date(2026, 11, 23)
SECTIONS_WITH_SYLLABICS = ("about", "welcome", "handout", "handout-discreet")
SYLLABICS_FONT = "Noto Sans Canadian Aboriginal"
VARIANT_YML = f"""label: {LABEL}
locale: iu
lang: iu
relation: translation
source: en
discreet_name: {NOTES}
content_date: {CONTENT_DATE.isoformat()}
order: 4
"""


def is_syllabic(ch: str) -> bool:
    return 0x1400 <= ord(ch) <= 0x167F or 0x18B0 <= ord(ch) <= 0x18FF


def add_inuktitut(project: Path) -> Path:
    """content/iu/: the English files with syllabics in the titles and a few sections, every id kept."""
    iu = project / "content" / "iu"
    shutil.copytree(project / "content" / "en", iu)
    (iu / "variant.yml").write_text(VARIANT_YML, encoding="utf-8")
    for path in sorted(iu.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        week = re.search(r"^week: (\d+)$", text, re.M)
        title = f"{TITLE} {week[1]}" if week else f"Connections · {LABEL}"
        text = re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M)
        if week:
            text = re.sub(r"^discreet_title: .*$", f'discreet_title: "{NOTES} {week[1]}"', text, count=1, flags=re.M)
        for sid in SECTIONS_WITH_SYLLABICS:
            text = re.sub(r"^(## .*\{#" + sid + r"\}\n)", r"\1" + f"\n{SENTENCE}\n", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
    return iu


def add_cohort(project: Path) -> tuple[Path, dt.date]:
    """A copy of the sample cohort whose paperwork is in Inuktitut: only its id and variant change."""
    folder = project / "cohorts" / "iu-group"
    shutil.copytree(project / "cohorts" / "sample", folder)
    cohort = folder / "cohort.yml"
    text = re.sub(r"^id: \S+", "id: iu-group", cohort.read_text(encoding="utf-8"), count=1, flags=re.M)
    text = re.sub(r"^variant: \S+", "variant: iu", text, count=1, flags=re.M)
    cohort.write_text(text, encoding="utf-8")
    return cohort, yaml.safe_load(text)["first_session"]


@dataclass
class Built:
    project: Path
    dist: Path
    check: Result
    status_before: dict
    mark: Result
    status_after: dict
    handouts: Result
    site: Result
    cohort: Result
    first_session: dt.date


def status_json(project: Path) -> dict:
    result = run_cli("status", "--variant", "iu", "--json", project=project)
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """`check` as a user types it (a real `python build.py`: the new variant needs no code change); the other
    commands through the same command line in this process, one job (no interpreter start, no worker pool)."""
    project = copy_project(tmp_path_factory.mktemp("new-variant") / "project")
    add_inuktitut(project)
    dist = project / "dist"
    check = run_build("check", project=project)
    before = status_json(project)
    mark = run_cli("mark-current", "iu/week-1", project=project)
    after = status_json(project)
    handouts = run_cli("handouts", "--variant", "iu", "--paper", "letter", "--jobs", "1", project=project)
    site = run_cli("site", "--variant", "en", "--variant", "iu", "--jobs", "1", project=project)
    cohort_file, first_session = add_cohort(project)
    cohort = run_cli("certificates", cohort_file, "--jobs", "1", project=project)
    return Built(project, dist, check, before, mark, after, handouts, site, cohort, first_session)


def test_check_passes_with_no_code_change(built: Built) -> None:
    assert built.check.code == 0, built.check.err + built.check.out
    assert built.check.err == ""
    assert "4 variants, 28 files" in built.check.out


def test_status_lists_every_section_of_the_new_variant(built: Built) -> None:
    (variant,) = built.status_before["variants"]
    assert (variant["variant"], variant["label"], variant["source"]) == ("iu", LABEL, "en")
    files = {f["file"] for f in variant["files"]}
    assert files == {f"content/iu/{p.name}" for p in (built.project / "content/en").glob("*.md")}
    assert variant["counts"]["missing"] == 0 and variant["counts"]["current"] == 0
    assert variant["counts"]["needs review"] == variant["tracked"] > 0
    # mark-current works for it too: week 1 becomes current, nothing else does
    assert built.mark.code == 0, built.mark.err
    (after,) = built.status_after["variants"]
    week1 = next(f for f in after["files"] if f["file"] == "content/iu/week-1.md")
    assert week1["counts"]["current"] == len(week1["sections"]) and week1["counts"]["needs review"] == 0
    assert after["counts"]["current"] == len(week1["sections"])


def pdf_text(path: Path) -> str:
    return "\n".join(pypdf_page_texts(path))


def font_full_name(font: dict) -> str:
    """The full name inside the embedded font program (the PDF's BaseFont is only the CSS family)."""
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    data = descriptor["/FontFile2"].get_object().get_data()
    return TTFont(io.BytesIO(data))["name"].getDebugName(4) or ""


def syllabics_by_font(path: Path) -> dict[str, set[str]]:
    """Which syllabic characters each embedded font draws."""
    drawn: dict[str, set[str]] = {}

    def visit(text: str, cm, tm, font, size) -> None:
        chars = {c for c in text if is_syllabic(c)}
        if chars:
            drawn.setdefault(font_full_name(font) if font else "", set()).update(chars)

    for page in reader(path).pages:
        page.extract_text(visitor_text=visit)
    return drawn


def test_handouts_are_written_with_syllabics_and_the_right_font(built: Built) -> None:
    assert built.handouts.code == 0, built.handouts.out + built.handouts.err
    assert "Traceback" not in built.handouts.err
    assert "glyph" not in (built.handouts.out + built.handouts.err).lower()  # no missing-glyph failure or warning
    folder = built.dist / "handouts" / "iu"
    assert sorted(p.name for p in folder.iterdir()) == [f"week-{n}-letter.pdf" for n in range(1, 7)]
    for n in (1, 4):
        pdf = folder / f"week-{n}-letter.pdf"
        text = pdf_text(pdf)
        assert SENTENCE.rstrip(".") in text
        assert f"{TITLE} {n}" in text
        assert reader(pdf).trailer["/Root"]["/Lang"] == "iu"
        by_font = syllabics_by_font(pdf)
        assert [name for name in by_font if not name.startswith(SYLLABICS_FONT)] == []
        assert set(SENTENCE.replace(" ", "").rstrip(".")) <= set().union(*by_font.values())


def test_handout_date_is_in_syllabics(built: Built) -> None:
    date = format_date(CONTENT_DATE, format="long", locale="iu")
    month = date.split()[0]
    assert month and all(is_syllabic(c) for c in month)  # Babel writes the month in syllabics
    text = pdf_text(built.dist / "handouts" / "iu" / "week-2-letter.pdf")
    assert date in text
    assert "November" not in text


def test_site_pages_declare_iu(built: Built) -> None:
    assert built.site.code == 0, built.site.out + built.site.err
    site = built.dist / "site" / "iu"
    pages = sorted(site.glob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert '<html lang="iu"' in page.read_text(encoding="utf-8"), page.name
    week1 = (site / "week-1.html").read_text(encoding="utf-8")
    assert SENTENCE in week1 and f"{TITLE} 1" in week1
    assert format_date(CONTENT_DATE, format="long", locale="iu") in (site / "index.html").read_text(encoding="utf-8")


def test_language_switchers_list_the_new_variant(built: Built) -> None:
    english = (built.dist / "site" / "en" / "week-1.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]*)" hreflang="iu" lang="iu"[^>]*>\s*([^<]*?)\s*</a>', english)
    assert link, "the English site's language switcher has no Inuktitut entry"
    assert link[2] == LABEL
    assert (built.dist / "site" / "en" / link[1]).resolve() == (built.dist / "site" / "iu" / "week-1.html").resolve()
    chooser = (built.dist / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="iu/index.html" hreflang="iu" lang="iu">{LABEL}</a>' in chooser


def test_cohort_paperwork_dates_in_syllabics(built: Built) -> None:
    assert built.cohort.code == 0, built.cohort.out + built.cohort.err  # the summary's chart draws syllabics too
    folder = built.dist / "cohorts" / "iu-group"
    summary = " ".join(pdf_text(folder / "summary.pdf").split())
    certificates = " ".join(pdf_text(folder / "certificates.pdf").split())
    first_full = format_date(built.first_session, format="full", locale="iu")
    assert any(is_syllabic(c) for c in first_full)
    assert first_full in summary
    assert format_date(built.first_session, format="long", locale="iu") in certificates
    by_font = syllabics_by_font(folder / "summary.pdf")
    assert by_font and [name for name in by_font if not name.startswith(SYLLABICS_FONT)] == []
