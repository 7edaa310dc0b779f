"""Participant handouts, read back as a participant or an agency would: text, size, fonts, tags, safety."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
from pathlib import Path

import pytest
from babel.dates import format_date

from connections.context import Options, bundle_for
from connections.errors import UserError
from connections.markdown_render import render_inline, render_markdown
from connections.model import WEEKS
from connections.pdf.handouts import handout_html, handout_path, handout_targets, render_handout
from tests.conftest import copy_project, run_cli
from tests.fixtures.pdf.pdf_project import (
    A4,
    DISCREET_WORDS,
    HERE,
    LETTER,
    build,
    fonts,
    found_words,
    make_project,
    norm,
    page_size,
    page_texts,
    pdf_text,
    pdf_ua_failures,
    pdf_ua_identifier,
    print_problems,
    reader,
    replace_section_body,
    shared_dir,
    text_sizes,
    unvalidated_kinds,
)

VARIANTS = ("en", "fr", "iu")


def _build_all(folder: Path) -> None:
    """English handouts through the command line; the rest in this process through the same pipeline:
    every handout on Letter, the French ones on A4 too, discreet ones (Letter) and large print (en, A4)."""
    project = make_project(folder / "project")
    result = run_cli("handouts", "--variant", "en", "--paper", "letter", "--quiet", project=project)
    assert result.code == 0, result.err + result.out
    assert "Built 6, up to date 0, failed 0" in result.out
    build(project, handout_targets, variants=["fr", "iu"], papers=["letter"])
    build(project, handout_targets, variants=["fr"], papers=["a4"])
    build(project, handout_targets, papers=["letter"], discreet=True)
    build(project, handout_targets, variants=["en"], papers=["a4"], weeks=(1,), large_print=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_dir(tmp_path_factory, "handouts", _build_all) / "project"


@pytest.fixture(scope="module")
def bundle(project: Path):
    return bundle_for(project)[0]


@pytest.fixture(scope="module")
def dist(project: Path) -> Path:
    return project / "dist"


def test_every_week_variant_and_paper_is_built_at_its_size(dist: Path) -> None:
    built = [(vid, paper, size) for vid in VARIANTS for paper, size in (("letter", LETTER), ("a4", A4))
             if paper == "letter" or vid == "fr"]
    for vid, paper, size in built:
        for n in WEEKS:
            path = dist / "handouts" / vid / f"week-{n}-{paper}.pdf"
            pdf = reader(path)
            assert page_size(pdf) == size, path
            assert 1 <= len(pdf.pages) <= 2, path


def test_key_messages_and_handout_text_are_printed_in_every_variant(dist: Path, bundle) -> None:
    for vid in VARIANTS:
        for n, week in bundle.contents[vid].weeks.items():
            text = norm(pdf_text(dist / "handouts" / vid / f"week-{n}-letter.pdf"))
            assert norm(week.title) in text
            for message in week.participant_key_messages:  # the plain wording, not the facilitator's
                assert norm(message) in text, (vid, n, message)
            for message in set(week.key_messages) - set(week.participant_key_messages):
                assert norm(message) not in text, (vid, n, message)
    en = norm(pdf_text(dist / "handouts/en/week-1-letter.pdf"))
    assert "In a healthy relationship you feel safe, heard and respected." in en
    assert "Try this week: notice one moment when you felt calm." in en


def test_french_accents_and_typography_survive(dist: Path) -> None:
    text = pdf_text(dist / "handouts/fr/week-1-a4.pdf")
    flat = " ".join(text.split())
    assert "Chacune mérite une relation bienveillante et qui l’épaule." in flat
    assert "Les messages clés de la semaine" in flat  # template string from the French catalog
    assert "Deuxième message 2" in " ".join(pdf_text(dist / "handouts/fr/week-2-a4.pdf").split())
    assert re.search("sécurité[ \u00a0\u202f]\\?", text)  # '?' stays on the line of its word


def test_agency_help_lines_and_footer(dist: Path) -> None:
    path = dist / "handouts/en/week-1-letter.pdf"
    text = norm(pdf_text(path))
    assert "Maple Family Centre" in text
    local, national = text.index("Safe Haven Women's Shelter 555-0111"), text.index("Hope for Wellness Help Line")
    assert text.index("Community Health Line 555-0122") < national and local < national  # local lines first
    assert "Kids Help Phone For children, teens and young adults 1-800-668-6868" in text  # name, who, number
    pdf = reader(path)
    assert f"Page 1 of {len(pdf.pages)}" in text
    assert "Connections · Week 1 · English · November 23, 2026" in text
    images = [o for o in pdf.pages[0]["/Resources"]["/XObject"].values() if o.get_object()["/Subtype"] == "/Image"]
    assert images, "the agency's logo is printed"
    fr = norm(pdf_text(dist / "handouts/fr/week-1-letter.pdf"))
    assert "Ligne d'écoute d'espoir pour le mieux-être" in fr  # national lines in the variant's language
    assert "Connections · Semaine 1 · Français · 23 novembre 2026" in fr
    assert "Page 1 de" in fr


def test_handouts_never_show_facilitator_notes(dist: Path) -> None:
    for vid, secret in (("en", "Only facilitators read this note"), ("fr", "Seules les animatrices lisent")):
        for path in (dist / "handouts" / vid).rglob("*.pdf"):
            text = norm(pdf_text(path))
            assert secret not in text, path
            assert "Test Children's Aid" not in text, path
    assert "Set the chairs in a circle" not in norm(pdf_text(dist / "handouts/en/week-1-letter.pdf"))


def test_fonts_are_bundled_embedded_and_pdf_is_tagged(dist: Path, bundle) -> None:
    for vid in VARIANTS:
        pdf = reader(dist / "handouts" / vid / "week-1-letter.pdf")
        used = fonts(pdf)
        assert used and all(used.values()), used
        assert all(name.startswith(("Connections-Sans", "Connections-Syllabics")) for name in used), used
        assert pdf_ua_identifier(pdf)
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == {"en": "en-CA", "fr": "fr-CA", "iu": "iu"}[vid]  # with the locale's region
        assert root["/MarkInfo"]["/Marked"]
        assert pdf.metadata.title.endswith(bundle.contents[vid].weeks[1].title)


def test_syllabics_are_drawn_with_the_bundled_syllabics_font(dist: Path, bundle) -> None:
    pdf = reader(dist / "handouts/iu/week-1-letter.pdf")
    text = " ".join(pdf_text(dist / "handouts/iu/week-1-letter.pdf").split())
    assert "ᐅᓇ ᑎᑎᕋᖅᓯᒪᔪᖅ ᖃᓂᐅᔮᖅᐸᒃᓯᒪᔪᓂᒃ ᑎᑎᕋᐅᓯᕐᓂᒃ." in text  # Inuktitut
    assert "ᓀᐦᐃᔭᐍᐏᐣ" in text  # Swampy Cree
    assert "ᢰ ᢱ ᢲ" in text and "ᣵ" in text  # the Unified Canadian Aboriginal Syllabics Extended block
    assert format_date(bundle.variant("iu").content_date, "long", locale="iu") in text  # the date in syllabics
    assert any(name.startswith("Connections-Syllabics") for name in fonts(pdf))


def test_discreet_handouts_are_neutral(dist: Path, bundle) -> None:
    for vid in VARIANTS:
        for n in WEEKS:
            path = dist / "handouts" / vid / "notes" / f"notes-{n}-letter.pdf"
            pdf = reader(path)
            text = pdf_text(path)
            week = bundle.contents[vid].weeks[n]
            assert 1 <= len(pdf.pages) <= 2 and page_size(pdf) == LETTER
            assert pdf.metadata.title == week.discreet_title
            for lang, words in DISCREET_WORDS.items():
                assert not found_words(text, words), (path, lang, found_words(text, words))
            assert "Connections" not in text and "Safe Haven" not in text
            assert bundle.variant(vid).discreet_name in text
            assert norm(week.discreet_title) in norm(text)
    en = norm(pdf_text(dist / "handouts/en/notes/notes-1-letter.pdf"))
    assert "Everyone needs people who are kind to them." in en  # the handout-discreet section
    assert "Community Health Line 555-0122" in en and "Kids Help Phone" in en  # discreet_ok lines stay
    assert "Maple Family Centre" in en
    usual = pdf_text(dist / "handouts/en/week-1-letter.pdf")
    assert found_words(usual, DISCREET_WORDS["en"]) and "Safe Haven" in usual  # … which the usual handout prints


def test_a_discreet_handout_leaves_out_an_agency_name_that_would_give_it_away(bundle) -> None:
    shelter = dataclasses.replace(bundle.agency, name="Harbour House Women's Shelter", logo=None)
    other = dataclasses.replace(bundle, agency=shelter)
    discreet = handout_html(other, "en", 1, "letter", large_print=False, discreet=True)
    assert "Harbour House" not in discreet and "555-0100" in discreet  # the group's phone stays
    assert "Harbour House" in handout_html(other, "en", 1, "letter", large_print=False, discreet=False)


def test_large_print_body_is_at_least_18_points(dist: Path) -> None:
    path = dist / "handouts/en/large-print/week-1-a4.pdf"
    pdf = reader(path)
    assert page_size(pdf) == A4 and 1 <= len(pdf.pages) <= 4
    body = [(t, size) for i in range(len(pdf.pages)) for t, size in text_sizes(pdf, i)
            if not t.startswith(("Connections ·", "Page "))]  # the running footer may be smaller
    assert body and min(size for _, size in body) >= 18 - 0.01, min(body, key=lambda r: r[1])
    regular = text_sizes(reader(dist / "handouts/en/week-1-letter.pdf"))
    assert max(size for t, size in regular if "healthy relationship you feel" in t) < 18


def test_a_second_build_is_byte_identical(dist: Path, project: Path, tmp_path: Path) -> None:
    # The first build ran in worker processes of the command line; this one in the test's process.
    build(project, handout_targets, out=tmp_path, variants=["en"], papers=["letter"], weeks=(1, 3))
    for n in (1, 3):
        first = (dist / f"handouts/en/week-{n}-letter.pdf").read_bytes()
        assert (tmp_path / f"handouts/en/week-{n}-letter.pdf").read_bytes() == first


def test_targets_list_exactly_what_a_handout_is_made_from(project: Path, bundle) -> None:
    opts = Options(out=project / "dist", variants=["fr"], papers=["letter"])
    targets = {t.params.week: t for t in handout_targets(bundle, opts)}
    assert sorted(targets) == list(WEEKS)
    inputs = set(targets[2].inputs)
    for rel in ("content/fr/week-2.md", "content/fr/variant.yml", "agency.yml", "logo.png",
                "templates/pdf/handout.html", "templates/pdf/fonts.css", "fonts/NotoSans-Regular.ttf",
                "locales/fr/LC_MESSAGES/messages.po"):
        assert project / rel in inputs, rel
    for rel in ("content/fr/week-3.md", "content/fr/program.md", "content/en/week-2.md"):
        assert project / rel not in inputs, rel
    assert targets[2].output == project / "dist/handouts/fr/week-2-letter.pdf"
    assert handout_path(Path("d"), "fr", 2, "a4", large_print=True, discreet=True) == \
        Path("d/handouts/fr/notes/large-print/notes-2-a4.pdf")


def test_remote_image_in_content_is_refused_with_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    line = replace_section_body(project / "content/en/week-1.md", "handout", (HERE / "remote-image.md").read_text())
    result = run_cli("handouts", "--variant", "en", "--paper", "letter", project=project)
    assert result.code == 1
    assert f"content/en/week-1.md:{line}: remote or external resource 'https://example.org/picture.png'" in result.err
    assert "Traceback" not in result.err
    assert not (project / "dist/handouts").exists()


def test_the_pdf_engine_fetches_nothing_outside_the_project(tmp_path: Path) -> None:
    from connections.pdf.engine import render_pdf

    root = make_project(tmp_path / "project")
    css = [root / "templates/pdf/fonts.css", root / "templates/pdf/base.css"]
    for src, why in (("https://example.org/picture.png", "refused to fetch"), ("file:///etc/hostname", "outside")):
        html = f'<html lang="en"><head><title>t</title></head><body><img src="{src}" alt="a picture"></body></html>'
        with pytest.raises(UserError, match=why):
            render_pdf(html, base=root, root=root, stylesheets=css, title="t")


def test_a_missing_glyph_fails_naming_the_text_and_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    line = replace_section_body(project / "content/en/week-1.md", "handout", (HERE / "missing-glyph.md").read_text())
    bundle = bundle_for(project)[0]
    target = next(t for t in handout_targets(bundle, Options(out=project / "dist", variants=["en"], papers=["a4"]))
                  if t.params.week == 1)
    with pytest.raises(UserError) as exc:
        render_handout(target, project)
    message = str(exc.value)
    assert f"content/en/week-1.md:{line}: no bundled font has glyphs for 'ሰ' (U+1230" in message
    assert "A greeting in Amharic, ሰላም, which" in message
    assert not target.output.exists()


def test_markdown_for_print() -> None:
    out = str(render_markdown('### Call us\n\nCall [[agency.name]] or [see](week-2.md#x), [phone](tel:555).\n\n'
                               "- one\n- two\n",
                               placeholders={"agency.name": "A & <b>B</b>"}, heading_shift=-1, id_prefix="w1-"))
    assert '<h2 id="w1-call-us">Call us</h2>' in out
    assert "A &amp; &lt;b&gt;B&lt;/b&gt;" in out  # an agency's name cannot inject markup
    assert "<span>see</span>" in out and '<a href="tel:555">phone</a>' in out  # no link leaves the document
    assert '<ul class="keep">' in out  # short lists stay on one page
    fr = html.unescape(str(render_inline('Il a dit "bonjour" : oui !', lang="fr")))
    assert fr == "Il a dit «\u00a0bonjour\u00a0»\u00a0: oui\u202f!"
    assert html.unescape(str(render_inline("it's"))) == "it’s"


def test_bundled_content_handouts(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, handout_targets, papers=["letter"])
    bundle = bundle_for(project)[0]
    for v in bundle.variants:
        for n, week in bundle.contents[v.id].weeks.items():
            path = project / "dist/handouts" / v.id / f"week-{n}-letter.pdf"
            assert 1 <= len(page_texts(path)) <= 2, path  # its pages, as pdftotext reads them for the text
            text = norm(pdf_text(path))
            for message in week.participant_key_messages:
                assert norm(message) in text, (path, message)
            # The discreet handout's every word, read from the page it is printed from (its HTML: rendering
            # the eighteen of them would only add the layout, checked on the fixture above).
            page = handout_html(bundle, v.id, n, "letter", large_print=False, discreet=True)
            discreet = html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S))
            assert norm(week.discreet_title) in norm(discreet)
            for words in DISCREET_WORDS.values():
                assert not found_words(discreet, words), (v.id, n, found_words(discreet, words))


def test_every_handout_looks_printable(dist: Path) -> None:
    """Looked at as pictures: every handout built here (each variant and paper, discreet, large print) has no
    blank page and nothing run off the paper or into the edge printers leave white."""
    pdfs = sorted(p for p in (dist / "handouts").rglob("*.pdf"))
    assert len(pdfs) >= 30
    problems = {str(p.relative_to(dist)): found for p in pdfs if (found := print_problems(p))}
    assert problems == {}
    # No heading at the foot of a page with its text overleaf; no page with only a few lines but the last.
    from tests.fixtures.pdf.pdf_project import nearly_empty_pages, stranded_headings

    problems = {str(p.relative_to(dist)): found for p in pdfs
                if (found := stranded_headings(p) + nearly_empty_pages(p))}
    assert problems == {}


def _sizes(path: Path) -> set[float]:
    """Every type size a handout's text is set in."""
    pdf = reader(path)
    return {round(size, 1) for i in range(len(pdf.pages)) for _, size in text_sizes(pdf, i)}


def test_one_type_size_and_a_readable_measure_across_the_series(dist: Path) -> None:
    """Every regular handout (standard and discreet, long week or short) is set in the same body size, and its
    body lines hold 60-80 characters (not 95-110), so a reader's eye finds the next line."""
    pdfs = sorted(p for p in (dist / "handouts").rglob("*.pdf") if "large-print" not in p.parts)
    for path in pdfs:  # 11 pt body in every layout; never the 10 pt a long week used to drop to
        sizes = _sizes(path)
        assert 11.0 in sizes and min(sizes) >= 8.0 and 10.0 not in sizes, (path.name, sizes)
    for path in (dist / "handouts/en/week-1-letter.pdf", dist / "handouts/fr/week-1-a4.pdf"):
        # The measure is the length of a full line: one that wraps inside a sentence (the next line goes on in
        # lower case), in the body above the help-line box (whose name, number and hours are table cells).
        text = re.split("Who to call|Qui appeler", pdf_text(path))[0]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        wrapped = [line for line, after in itertools.pairwise(lines) if after[0].islower() and len(line) > 40]
        assert wrapped, path.name
        longest = max(len(line) for line in wrapped)
        assert 60 <= longest <= 80, (path.name, longest, wrapped)


def test_large_print_last_page_is_not_the_help_lines_box_alone(dist: Path) -> None:
    """Large print: the help lines come before the writing lines, so no page holds only their box."""
    path = dist / "handouts/en/large-print/week-1-a4.pdf"
    last = norm(pdf_text(path).split("\f")[-1] if "\f" in pdf_text(path) else "")
    pages = [norm(t) for t in page_texts(path)]
    assert "My reflection" in pages[-1], pages[-1]
    assert all(not (t.startswith("Who to call") and "My reflection" not in t) for t in pages) and last == ""


def test_hours_never_break_inside(bundle) -> None:
    """"24 h sur 24", "24 hours a day" and "7 days a week" keep their words on one line (no-break spaces in the
    help-line box): never "7 days a" at the end of a line and "week" alone under it."""
    from connections.pdf.common import nobreak

    assert str(nobreak("24 h sur 24, 7 jours sur 7")) == "24\u00a0h\u00a0sur\u00a024, 7\u00a0jours\u00a0sur\u00a07"
    kept = "24 hours a day, 7 days a week"
    assert str(nobreak(kept)) == ", ".join(part.replace(" ", "\u00a0") for part in kept.split(", "))
    assert str(nobreak("weekdays 9 to 5, 7 days")) == "weekdays 9 to 5, 7\u00a0days"
    html_text = handout_html(bundle, "fr", 1, "letter", large_print=False, discreet=False)
    assert "24 h sur 24" not in html_text


def test_every_handout_passes_the_pdf_ua_validator(dist: Path) -> None:
    """Standard, discreet and large print, every variant and paper built here: 0 PDF/UA-1 failures."""
    pdfs = sorted((dist / "handouts").rglob("*.pdf"))
    assert unvalidated_kinds("test_handouts.py", pdfs) == set()
    assert {str(p.relative_to(dist)): f for p in pdfs if (f := pdf_ua_failures(p))} == {}
