"""The facilitator website as built by `python build.py site`, read back from dist/site/ (no browser here).

One deterministic project is built once for the module: the minimal fixture (English, French) plus an
Indigenous-community adaptation with Elder admonitions, a French file marked current against an English
source that then changed, the word "violence" for search, and a cohort roster with distinctive names.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.dates import format_time
from babel.messages.pofile import read_po

from connections.context import bundle_for
from connections.errors import Problems, UserError
from connections.i18n import format_date
from connections.loader import load_week
from connections.translation.tracking import section_text, text_hash, tracked_ids
from tests.conftest import MINIMAL, REPO, copy_project, run_cli

ROSTER_NAMES = ("Zephyrine Quillfeather", "Ottoline Brackenridge", "Marisol Oyelaran-Tiewe")
CHANGED_SECTION = "grounding"  # changed in the English week 1 after the French was marked current
PAGES = ["index.html", *(f"week-{n}.html" for n in range(1, 7)), *(f"handout-{n}.html" for n in range(1, 7)),
         "schedule.html", "key-messages.html", "facilitator-notes.html", "resources.html", "downloads.html"]


# ---- the test project ---------------------------------------------------------------------------------
def _replace_section_body(path: Path, section_id: str, new_body: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^## .*\{{#{section_id}\}}\n", text, re.M)
    assert start, f"{path} has no section {section_id}"
    end = re.search(r"^## ", text[start.end():], re.M)
    stop = start.end() + (end.start() if end else len(text) - start.end())
    path.write_text(text[:start.end()] + "\n" + new_body.strip() + "\n\n" + text[stop:], encoding="utf-8")


def _append_to_section(path: Path, section_id: str, extra: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^## .*\{{#{section_id}\}}\n", text, re.M)
    assert start
    end = re.search(r"^## ", text[start.end():], re.M)
    stop = start.end() + (end.start() if end else len(text) - start.end())
    path.write_text(text[:stop].rstrip("\n") + "\n\n" + extra.strip() + "\n\n" + text[stop:], encoding="utf-8")


def _mark_current(translation: Path, source: Path, root: Path) -> None:
    """Record, as `mark-current` would, that every section of ``translation`` matches the source as it is now."""
    loaded = load_week(source, Problems(root))
    assert loaded
    week, _ = loaded
    hashes = {sid: text_hash(section_text(week, sid) or "") for sid in tracked_ids(week)}
    text = translation.read_text(encoding="utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    block = yaml.safe_dump({"translated_from": hashes}, sort_keys=False)
    translation.write_text("---\n" + head.rstrip("\n") + "\n" + block + sep + body, encoding="utf-8")


def site_project(dest: Path) -> Path:
    """The minimal project, with the site's own files from the repo and the additions described above."""
    root = copy_project(dest, MINIMAL)
    for part in ("templates", "locales", "fonts"):
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, root / part, dirs_exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content"
    ind = content / "indigenous"
    shutil.copytree(content / "en", ind)
    (ind / "variant.yml").write_text(
        "label: Indigenous communities (test)\nlocale: en_CA\nlang: en\nrelation: adaptation\nsource: en\n"
        "theme_language: en\ndiscreet_name: Circle notes\ncontent_date: 2026-11-23\norder: 3\n", encoding="utf-8")
    elder = ('!!! elder "For a local Elder or Knowledge Keeper"\n'
             "    This space is kept for a teaching chosen with a local Elder.\n")
    _append_to_section(ind / "program.md", "about", elder)
    _append_to_section(ind / "week-1.md", "welcome", elder)
    _append_to_section(content / "fr" / "week-2.md", "activity-1",
                       "Nous parlons de la violence dans les relations, avec douceur.")
    _append_to_section(content / "en" / "week-2.md", "activity-1", "We talk about violence in relationships, gently.")
    for lang in ("en", "fr"):  # a break and a reunion with the children: agenda items with no body section
        w2 = content / lang / "week-2.md"
        w2.write_text(w2.read_text(encoding="utf-8").replace(
            "  - {section: activity-2, minutes: 20}\n", "  - {section: activity-2, minutes: 10}\n"
            "  - {section: break, minutes: 5}\n").replace(
            "  - {section: closing, minutes: 5}\n", "  - {section: closing, minutes: 5}\n"
            "  - {section: reunion, minutes: 5}\n"), encoding="utf-8")
    w2 = content / "en" / "week-2.md"
    w2.write_text(w2.read_text(encoding="utf-8").replace(
        "participant_key_messages:\n  - First message 2\n  - Second message 2\n",
        "participant_key_messages:\n  - You matter, in plain words.\n  - Kids feel it too, in plain words.\n"),
        encoding="utf-8")
    _mark_current(content / "fr" / "week-1.md", content / "en" / "week-1.md", root)
    _replace_section_body(content / "en" / "week-1.md", CHANGED_SECTION, "Breathe in, and out. A new grounding text.")
    roster = root / "cohorts" / "test-group"
    roster.mkdir(parents=True)
    (roster / "roster.csv").write_text("code,first_name,last_name\n" + "".join(
        f"P0{i},{n.split()[0]},{n.split()[1]}\n" for i, n in enumerate(ROSTER_NAMES, 1)), encoding="utf-8")
    return root


class _Text(HTMLParser):
    """Visible text of the article, and every <a> with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"[ \t\r\n]+", " ", " ".join(self.parts))  # keeps no-break spaces as they are


def read(page: Path) -> _Text:
    p = _Text()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def article(page: Path) -> str:
    """The text of the page's main content only (no navigation)."""
    html = page.read_text(encoding="utf-8")
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert m, page
    p = _Text()
    p.feed(m[1])
    return p.text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = site_project(tmp_path_factory.mktemp("site") / "project")
    result = run_cli("site", project=root)
    assert result.code == 0, result.err
    return root


@pytest.fixture(scope="module")
def bundle(built: Path):
    return bundle_for(built)[0]


# ---- pages and languages ------------------------------------------------------------------------------
def test_every_variant_gets_every_page(built: Path) -> None:
    site = built / "dist" / "site"
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["en", "fr", "indigenous"]
    for variant in ("en", "fr", "indigenous"):
        for name in PAGES:
            assert (site / variant / name).is_file(), f"{variant}/{name}"
        assert (site / variant / "translation-status.html").is_file() == (variant != "en")
    chooser = read(site / "index.html")
    assert {a["href"] for a in chooser.links} == {"en/index.html", "fr/index.html", "indigenous/index.html"}


def test_french_site_is_french_throughout(built: Path, bundle) -> None:
    fr = built / "dist" / "site" / "fr"
    po = read_po((REPO / "locales/fr/LC_MESSAGES/messages.po").open("rb"))
    content = " ".join(p.read_text(encoding="utf-8") for p in (built / "content/fr").glob("*.md"))
    site_strings = [m for m in po if m.id and m.string and not m.fuzzy
                    and any("templates/site" in loc[0] for loc in m.locations)]
    english_only = [m.id for m in site_strings if m.string != m.id and "%" not in m.id
                    and "{" not in m.id and len(m.id) > 6 and m.id not in content]  # headings come from content
    assert len(english_only) > 20
    for name in ("week-1.html", "schedule.html", "resources.html", "handout-1.html", "translation-status.html"):
        html = (fr / name).read_text(encoding="utf-8")
        assert '<html lang="fr"' in html
        assert 'placeholder="Rechercher"' in html  # Material's own UI in French
        text = read(fr / name).text
        leftovers = [s for s in english_only if s in text]
        assert not leftovers, f"{name} shows English template text: {leftovers}"
    week = article(fr / "week-1.html")
    assert "Durée\u00a0:" in week and "Objectifs" in week  # French typography: no-break space before the colon
    verified = bundle.agency.help_lines[0].last_verified
    assert "1er octobre 2026" == format_date(verified, "long", locale="fr_CA")  # the sample line's date, in French
    assert format_date(verified, "long", locale="fr_CA") in article(fr / "resources.html")
    assert "Ligne d’écoute d’espoir pour le mieux-être" in article(fr / "resources.html")  # national lines in French
    config = yaml.safe_load((built / "dist/.staging/site-fr/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "fr"
    assert {"search": {"lang": "fr", "separator": "[\\s\\-’']+"}} in config["plugins"]  # French stemming
    assert config["INHERIT"] == str(built / "mkdocs.yml")


def test_adaptation_has_its_own_label_english_ui_and_elder_admonitions(built: Path, bundle) -> None:
    ind = built / "dist" / "site" / "indigenous"
    html = (ind / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html and 'placeholder="Search"' in html
    assert "Indigenous communities (test)" in read(ind / "index.html").text
    for page, module in (("index.html", bundle.contents["indigenous"].program),
                         ("week-1.html", bundle.contents["indigenous"].weeks[1])):
        expected = sum(s.body.count("!!! elder") for sid, s in module.sections.items() if not sid.startswith("handout"))
        assert expected > 0
        assert (ind / page).read_text(encoding="utf-8").count('class="admonition elder"') == expected
    css = (ind / "assets/connections/connections.css").read_text(encoding="utf-8")
    assert ".admonition.elder" in css


def test_schedule_and_session_guide_show_running_clock_times(built: Path, bundle) -> None:
    settings = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["connections"]
    h, m = map(int, settings["start_time"].split(":"))
    for variant, locale in (("en", "en_CA"), ("fr", "fr_CA")):
        week = bundle.contents[variant].weeks[2]
        t = dt.datetime(2000, 1, 1, h, m)
        schedule = article(built / "dist/site" / variant / "schedule.html")
        guide = article(built / "dist/site" / variant / "week-2.html")
        for item in week.agenda:
            end = t + dt.timedelta(minutes=item.minutes)
            start, stop = (re.sub(r"[ \u202f]", "\u00a0", format_time(x.time(), "short", locale=locale))
                           for x in (t, end))
            span = f"{start}\u00a0– {stop}"  # a clock time never breaks inside
            assert f"{span} {item.minutes}" in schedule, span
            assert f"{span} {item.minutes}" in guide, span
            t = end


def test_break_and_reunion_are_on_the_agenda_without_a_link(built: Path) -> None:
    for variant, pause, reunion in (("en", "Break", "Reunion with the children"),
                                    ("fr", "Pause", "Retrouvailles avec les enfants")):
        for page in ("week-2.html", "schedule.html"):
            html = (built / "dist/site" / variant / page).read_text(encoding="utf-8")
            text = article(built / "dist/site" / variant / page)
            assert f" 5 {pause} " in text and f" 5 {reunion} " in text, (variant, page)
            assert f">{pause}<" in html and f">{reunion}<" in html  # plain cells, not links to a section
            assert "#break" not in html and "#reunion" not in html


def test_handout_page_prints_participant_key_messages(built: Path, bundle) -> None:
    week = bundle.contents["en"].weeks[2]
    handout = article(built / "dist/site/en/handout-2.html")
    guide = article(built / "dist/site/en/week-2.html")
    assert "You matter, in plain words." in handout and "Kids feel it too, in plain words." in handout
    assert not any(m in handout for m in week.key_messages)  # the facilitator wording stays in the guide
    assert all(m in guide for m in week.key_messages)


def test_bad_start_time_is_a_clear_error(tmp_path: Path) -> None:
    root = site_project(tmp_path / "p")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('start_time: "18:00"', 'start_time: "6 pm"'),
                   encoding="utf-8")
    line = next(i for i, t in enumerate(cfg.read_text(encoding="utf-8").splitlines(), 1) if "start_time" in t)
    result = run_cli("site", project=root)
    assert result.code == 1
    assert f"mkdocs.yml:{line}: start_time '6 pm' is not a clock time" in result.err
    assert "Traceback" not in result.err
    assert not (root / "dist" / "site").exists()


def test_key_messages_notes_and_session_guide_content(built: Path, bundle) -> None:
    for variant in ("en", "fr"):
        site = built / "dist/site" / variant
        all_messages = article(site / "key-messages.html")
        for n, week in bundle.contents[variant].weeks.items():
            guide = read(site / f"week-{n}.html")
            for message in week.key_messages:
                assert message in all_messages and message in guide.text
            for objective in week.objectives + week.materials:
                assert objective in guide.text
            assert any(a.get("href") == f"handout-{n}.html" for a in guide.links)
        notes = read(site / "facilitator-notes.html")
        hrefs = {a.get("href") for a in notes.links}
        assert {f"week-{n}.html#facilitator-notes" for n in range(1, 7)} <= hrefs
        # placeholders filled from agency.yml
        assert bundle.agency.child_welfare in notes.text and "[[agency" not in notes.text


def test_resources_list_local_lines_with_dates_and_national_lines(built: Path, bundle) -> None:
    text = article(built / "dist/site/en/resources.html")
    for line in bundle.agency.help_lines:
        assert line.name in text and line.number in text
        assert format_date(line.last_verified, "long", locale="en_CA") in text
    for number in ("1-855-242-3310", "1-800-668-6868", "9-8-8"):
        assert number in text
    handout = read(built / "dist/site/en/handout-1.html")
    assert bundle.agency.help_lines[0].number in handout.text


def test_downloads_point_at_the_pdf_paths_of_the_contract(built: Path) -> None:
    for variant in ("en", "fr"):
        page = built / "dist/site" / variant / "downloads.html"
        pdfs = {(page.parent / a["href"]).resolve() for a in read(page).links if (a.get("href") or "").endswith(".pdf")}
        dist = (built / "dist").resolve()
        expected = {dist / "handouts" / variant / f"week-{n}-{p}.pdf" for n in range(1, 7) for p in ("letter", "a4")}
        expected |= {dist / "handouts" / variant / "large-print" / f"week-{n}-{p}.pdf" for n in range(1, 7)
                     for p in ("letter", "a4")}
        expected |= {dist / "handouts" / variant / "notes" / f"notes-{n}-{p}.pdf" for n in range(1, 7)
                     for p in ("letter", "a4")}
        expected |= {dist / "manual" / variant / f"facilitator-manual-{p}.pdf" for p in ("letter", "a4")}
        expected |= {dist / "forms" / variant / f"{f}-{p}.pdf" for f in ("intake-guide", "my-plan")
                     for p in ("letter", "a4")}
        assert pdfs == expected


def test_language_switcher_leads_to_the_same_page_everywhere(built: Path) -> None:
    site = built / "dist" / "site"
    for variant in ("en", "fr", "indigenous"):
        for name in ("week-4.html", "handout-2.html", "schedule.html", "index.html"):
            links = [a for a in read(site / variant / name).links if "md-select__link" in (a.get("class") or "")]
            assert {(a["href"], a["lang"]) for a in links} == {
                (f"../en/{name}", "en"), (f"../fr/{name}", "fr"), (f"../indigenous/{name}", "en")}
            for a in links:
                assert (site / variant / a["href"]).resolve().is_file()
        html = (site / variant / "index.html").read_text(encoding="utf-8")
        assert 'rel="alternate"' not in html  # Material's sitemap-based redirect stays off


# ---- translations ---------------------------------------------------------------------------------------
def test_translation_notes_show_where_the_source_changed(built: Path) -> None:
    fr = built / "dist/site/fr"
    week1 = (fr / "week-1.html").read_text(encoding="utf-8")
    notes = re.findall(r'<div class="admonition translation">.*?</div>', week1, re.S)
    assert len(notes) == 1, "only the changed section carries a note"
    changed_at = week1.index(f'id="{CHANGED_SECTION}"')
    note_at = week1.index('<div class="admonition translation">')
    next_section = week1.index("<h2", changed_at + 1)
    assert changed_at < note_at < next_section
    assert "Le texte source (anglais) de cette partie a changé" in article(fr / "week-1.html")
    # never marked current: one note for the page
    assert "n’a pas encore été vérifiée" in article(fr / "week-3.html")
    status = read(fr / "translation-status.html")
    assert any(a.get("href") == f"week-1.html#{CHANGED_SECTION}" for a in status.links)
    adapted = (built / "dist/site/indigenous/week-1.html").read_text(encoding="utf-8")
    titles = re.findall(r'<div class="admonition translation">\s*<p class="admonition-title">([^<]*)</p>', adapted)
    assert titles and set(titles) == {"Adaptation"}  # an adaptation's notes do not call it a translation


def test_missing_translated_section_falls_back_to_the_source_or_fails_when_strict(built: Path,
                                                                                   tmp_path: Path) -> None:
    from connections.site.build import build_variant

    bundle = copy.deepcopy(bundle_for(built)[0])  # the cached bundle stays as loaded
    week = bundle.contents["fr"].weeks[3]
    del week.sections["closing"]  # as if the translator had not written it yet
    site = build_variant(bundle, "fr", tmp_path / "staging")
    html = (site / "week-3.html").read_text(encoding="utf-8")
    english = bundle.contents["en"].weeks[3].sections["closing"]
    block = re.search(r'<div class="cx-fallback" lang="en">(.*?)</div>\s*<h2', html, re.S) or re.search(
        r'<div lang="en" class="cx-fallback">(.*?)</div>\s*<h2', html, re.S)
    assert block, "the English text is marked with its language"
    assert english.heading in block[1] and "Pas encore traduit" in block[1]
    with pytest.raises(UserError, match=r"content/fr/week-3.md:0: section 'closing' is not translated yet"):
        build_variant(bundle, "fr", tmp_path / "strict", strict=True)


# ---- safety and privacy ---------------------------------------------------------------------------------
def test_no_participant_name_anywhere_in_the_site(built: Path) -> None:
    assert (built / "cohorts/test-group/roster.csv").is_file()
    hits = []
    for f in (built / "dist" / "site").rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            for name in ROSTER_NAMES:
                for part in name.split():
                    if part.encode() in data:
                        hits.append((f, part))
    assert not hits


def test_pages_load_nothing_from_other_hosts(built: Path, tmp_path: Path) -> None:
    from connections.site.offline import check_offline, remote_resources

    site = built / "dist" / "site"
    for variant in ("en", "fr", "indigenous"):
        assert remote_resources(site / variant) == {}
        html = (site / variant / "week-1.html").read_text(encoding="utf-8")
        assert "unpkg.com" not in html and "fonts.googleapis" not in html
        assert 'src="assets/connections/vendor/iframe-worker/shim.js"' in html
        assert (site / variant / "search" / "search_index.js").is_file()  # search from file://
        assert (site / variant / "assets/connections/vendor/iframe-worker/LICENSE").is_file()
    bad = tmp_path / "bad"
    shutil.copytree(site / "en", bad)
    page = bad / "week-1.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'), encoding="utf-8")
    with pytest.raises(UserError, match=r"week-1.html: https://cdn.example.org/x.css"):
        check_offline(bad, "en")


def test_quick_exit_is_on_participant_pages(built: Path, bundle) -> None:
    site = built / "dist/site/fr"
    url = bundle.agency.quick_exit_url
    for n in range(1, 7):
        links = [a for a in read(site / f"handout-{n}.html").links if "data-cx-quick-exit" in a]
        assert [a["href"] for a in links] == [url]
    assert "data-cx-quick-exit" not in (site / "week-1.html").read_text(encoding="utf-8")
    assert "Sortie rapide" in read(site / "handout-1.html").text


def test_quick_exit_on_every_page_when_configured(built: Path, tmp_path: Path) -> None:
    from connections.site.build import build_variant

    root = tmp_path / "p"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("dist"))
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("quick_exit: participant", "quick_exit: all"),
                   encoding="utf-8")
    site = build_variant(bundle_for(root)[0], "en", tmp_path / "staging")
    for name in ("week-1.html", "index.html", "schedule.html"):
        assert "data-cx-quick-exit" in (site / name).read_text(encoding="utf-8"), name


def test_images_are_copied_and_need_alt_text(built: Path, tmp_path: Path) -> None:
    from connections.site.build import build_variant

    root = tmp_path / "p"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("dist"))
    (root / "images").mkdir()
    shutil.copy2(REPO / "templates/site/assets/vendor/iframe-worker/LICENSE", root / "images" / "licence.txt")
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
    (root / "images" / "circle.png").write_bytes(png)
    week = root / "content/en/week-1.md"
    _append_to_section(week, "preparation", "![Chairs set in a circle](../../images/circle.png)\n\n[Read the "
                       "licence](../../images/licence.txt) and [the overview](program.md#about).")
    site = build_variant(bundle_for(root)[0], "en", tmp_path / "staging")
    html = (site / "week-1.html").read_text(encoding="utf-8")
    assert '<img alt="Chairs set in a circle" src="files/images/circle.png"' in html
    assert (site / "files/images/circle.png").read_bytes() == png
    assert 'href="files/images/licence.txt"' in html and 'href="index.html#about"' in html
    text = week.read_text(encoding="utf-8").replace("![Chairs set in a circle]", "![]")
    week.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "![](" in t)
    with pytest.raises(UserError, match=rf"content/en/week-1.md:{line}: image without alt text"):
        build_variant(bundle_for(root)[0], "en", tmp_path / "staging2")


# ---- builds -------------------------------------------------------------------------------------------
def test_second_build_is_up_to_date_and_a_failed_build_keeps_the_old_site(built: Path, tmp_path: Path) -> None:
    again = run_cli("site", project=built)
    assert again.code == 0 and "Built 0, up to date 4" in again.out
    root = tmp_path / "p"
    shutil.copytree(built, root)
    before = (root / "dist/site/fr/week-1.html").read_bytes()
    template = root / "templates/site/pages/week.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ no_such_value }}\n", encoding="utf-8")
    broken = run_cli("site", project=root)
    assert broken.code == 1 and "FAILED site:fr" in broken.out and "Traceback" not in broken.out + broken.err
    line = len(template.read_text(encoding="utf-8").splitlines())
    assert f"templates/site/pages/week.md.j2:{line}: template error: 'no_such_value' is undefined" in broken.out
    assert (root / "dist/site/fr/week-1.html").read_bytes() == before
    assert sorted(p.name for p in (root / "dist/site/fr").iterdir()) == sorted(
        p.name for p in (built / "dist/site/fr").iterdir())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    # A request made while the server rebuilds waits for the rebuild to finish (slow on a busy machine).
    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - localhost only
        return r.read().decode("utf-8")


def test_serve_rebuilds_when_content_changes(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("dist"))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--project", str(root), "serve",
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        url = f"http://127.0.0.1:{port}/en/week-5.html"
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline and not page:
            try:
                page = _get(url)
            except OSError:
                time.sleep(0.2)
        assert "Week 5" in page
        _append_to_section(root / "content/en/week-5.md", "closing", "A sentence added while serving.")
        while time.monotonic() < deadline and "added while serving" not in page:
            time.sleep(0.3)
            page = _get(url)
        assert "added while serving" in page
        assert "livereload" in page  # the browser reloads by itself
    finally:
        proc.terminate()
        proc.wait(timeout=10)
