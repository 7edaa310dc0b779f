"""The facilitator manual, read back as a facilitator would: contents with right page numbers, running
headers, bookmarks, every week in full with its agenda, the appendices, in English, French and syllabics."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from babel.dates import format_time

from connections.context import Options, bundle_for
from connections.pdf.manual import link_map, manual_targets
from tests.conftest import REPO, copy_project
from tests.fixtures.pdf.pdf_project import (
    A4,
    LETTER,
    build,
    fonts,
    make_project,
    nearly_empty_pages,
    norm,
    page_size,
    page_texts,
    pdf_ua_failures,
    pdf_ua_identifier,
    print_problems,
    reader,
    shared_dir,
    stranded_headings,
    unvalidated_kinds,
)


def _build_all(folder: Path) -> None:
    """English and syllabics manuals on Letter, French on A4 (in this process, through the pipeline)."""
    project = make_project(folder / "project")
    build(project, manual_targets, variants=["en", "iu"], papers=["letter"])
    build(project, manual_targets, variants=["fr"], papers=["a4"])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_dir(tmp_path_factory, "manual", _build_all) / "project"


@pytest.fixture(scope="module")
def bundle(project: Path):
    return bundle_for(project)[0]


@pytest.fixture(scope="module")
def dist(project: Path) -> Path:
    return project / "dist"


AGENCY_NAMES = ("Maple Family Centre", "Maple Family Resource Centre of the North Shore")  # the header above


def manual(dist: Path, vid: str, paper: str) -> Path:
    return dist / "manual" / vid / f"facilitator-manual-{paper}.pdf"


def chapter_starts(texts: list[str], headings: list[str]) -> dict[str, int]:
    """1-based page where each chapter heading first appears after the contents page (cover, credits, contents)."""
    flat = [norm(t) for t in texts]
    return {h: next(i + 1 for i in range(3, len(flat)) if norm(h) in flat[i]) for h in headings}


def toc_numbers(toc: str, headings: list[str]) -> dict[str, int]:
    flat = norm(toc)
    out = {}
    for h in headings:
        m = re.search(re.escape(norm(h)) + r"[ .]*?(\d+)", flat)
        assert m, (h, flat)
        out[h] = int(m[1])
    return out


def test_paper_sizes_and_page_counts(dist: Path) -> None:
    for vid, paper, size in (("en", "letter", LETTER), ("iu", "letter", LETTER), ("fr", "a4", A4)):
        pdf = reader(manual(dist, vid, paper))
        assert all(page_size(pdf, i) == size for i in range(len(pdf.pages)))
        assert 12 <= len(pdf.pages) <= 40


def test_cover_and_contents_with_right_page_numbers(dist: Path, bundle) -> None:
    texts = page_texts(manual(dist, "en", "letter"))
    cover = norm(texts[0])
    for text in ("FACILITATOR MANUAL", "Connections", "A six-week group for mothers and their children",
                 "Maple Family Centre", "English", "November 23, 2026"):
        assert text in cover
    assert "Page 1" not in cover  # no running header or footer on the cover
    credits = norm(texts[1])  # the verso of the cover: who wrote it, from what, when, for whom
    for text in ("About this edition", "developed by Breaking the Cycle, Mothercraft (Toronto)",
                 "written from the program's published key messages", "not the program's official manual",
                 "Prepared for Maple Family Centre · English", "Content date November 23, 2026"):
        assert text in credits, text
    assert norm(texts[2]).startswith("Maple Family Centre Contents")  # no running header above the title
    weeks = bundle.contents["en"].weeks
    headings = [f"Week {n} · {weeks[n].title}" for n in sorted(weeks)]
    assert toc_numbers(texts[2], headings) == chapter_starts(texts, headings)
    appendices = {"A · Group agreement": "Appendix A · Group agreement",
                  "D · Resources and help lines": "Appendix D · Resources and help lines"}
    starts = chapter_starts(texts, list(appendices.values()))
    assert toc_numbers(texts[2], list(appendices)) == {k: starts[v] for k, v in appendices.items()}


def printed_page_numbers(texts: list[str], word: str = "Page") -> list[int | None]:
    """The number each page prints in its footer ("Page 12"), None where there is none."""
    out = []
    for t in texts:
        found = re.findall(rf"\b{word} (\d+)\b(?! (?:of|de) )", norm(t))
        out.append(int(found[-1]) if found else None)
    return out


def test_running_header_with_the_current_week_and_page_numbers(dist: Path, bundle) -> None:
    texts = [norm(t) for t in page_texts(manual(dist, "en", "letter"))]
    assert printed_page_numbers(texts) == [None, *range(2, len(texts) + 1)]
    for text in texts[1:]:
        assert "Maple Family Centre" in text
    weeks = bundle.contents["en"].weeks
    starts = chapter_starts(texts, [f"Week {n} · {weeks[n].title}" for n in (3, 4)])
    first, after = starts[f"Week 3 · {weeks[3].title}"], starts[f"Week 4 · {weeks[4].title}"]
    assert after > first + 1, "week 3 takes more than one page in the fixture"
    for page in range(first, after):
        assert f"Week 3 · {weeks[3].title}" in texts[page - 1]
    # On the chapter's first page the title is printed once: no running header repeats it above.
    assert texts[first - 1].count(f"Week 3 · {weeks[3].title}") == 1
    assert texts[first].count(f"Week 3 · {weeks[3].title}") == 1


def test_bookmarks_for_chapters_and_sections(dist: Path, bundle) -> None:
    pdf = reader(manual(dist, "en", "letter"))
    top = [o for o in pdf.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    weeks = bundle.contents["en"].weeks
    assert titles == ["Contents", "About the program", *[f"Week {n} · {weeks[n].title}" for n in sorted(weeks)],
                      "Appendix A · Group agreement", "Appendix B · Responding to a disclosure: checklist",
                      "Appendix C · Attendance sheet", "Appendix D · Resources and help lines"]
    children = pdf.outline[pdf.outline.index(top[2]) + 1]
    assert [c.title for c in children] == [s.heading for s in weeks[1].sections.values()]  # no minutes in them
    texts = page_texts(manual(dist, "en", "letter"))
    for item in top[2:]:
        assert norm(item.title) in norm(texts[pdf.get_destination_page_number(item)])


def test_every_week_in_full_with_agenda_and_key_messages(dist: Path, bundle) -> None:
    text = norm("\n".join(page_texts(manual(dist, "en", "letter"))))
    rows = norm("\n".join(page_texts(manual(dist, "en", "letter"), layout=True)))
    for week in bundle.contents["en"].weeks.values():
        for message in [*week.key_messages, *week.objectives, *week.materials]:
            assert norm(message) in text
        for section in week.sections.values():
            assert norm(section.heading) in text
        assert norm(f"Total {week.duration}") in rows
        start = dt.datetime(2027, 1, 1, 18, 0)  # start_time: "18:00" in the fixture's mkdocs.yml
        for item in week.agenda:  # each row: clock times from the start time, the section's heading, its minutes
            end = start + dt.timedelta(minutes=item.minutes)
            builtin = {"break": "Break", "reunion": "Reunion with the children"}  # no section: a template label
            heading = builtin.get(item.section) or week.sections[item.section].heading
            clock = "–".join(format_time(t.time(), "short", locale="en_CA") for t in (start, end))
            assert norm(f"{clock} {heading} {item.minutes}") in rows
            start = end
    for phrase in ("Duration: 120 minutes",
                   "Only facilitators read this note. Call Test Children's Aid as your agency requires.",
                   "In a healthy relationship you feel safe", "Everyone needs people who are kind to them."):
        assert norm(phrase) in text


def test_links_between_content_files_stay_inside_the_manual(dist: Path, bundle) -> None:
    targets = set()
    for page in reader(manual(dist, "en", "letter")).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert "/A" not in annot, annot  # no action: never a link to a file or a website
            if annot.get("/Subtype") == "/Link":
                targets.add(str(annot["/Dest"]))
    assert {"program-disclosure", "week-1", "w1-activity-1"} <= targets
    content = bundle.contents["en"]
    resolve = link_map(content, content.weeks[2])
    assert resolve("week-1.md#closing") == "#w1-closing"
    assert resolve("#check-in") == "#w2-check-in"
    assert resolve("program.md") == "#overview"
    assert resolve("https://example.org") is None and resolve("images/x.png") is None


def test_appendices(dist: Path) -> None:
    texts = [norm(t) for t in page_texts(manual(dist, "en", "letter"))]
    page = {h: next(t for t in texts[3:] if h in t) for h in (
        "Appendix A · Group agreement", "Appendix B · Responding to a disclosure: checklist",
        "Appendix C · Attendance sheet", "Appendix D · Resources and help lines")}
    assert "We keep what is said in the group private." in page["Appendix A · Group agreement"]
    checklist = page["Appendix B · Responding to a disclosure: checklist"]
    for step in ("Listen calmly and believe her.", "Check her safety right now.",
                 "Call Test Children's Aid at 555-0109 when a child may be at risk.",
                 "Child-welfare agency: Test Children's Aid, 555-0109"):
        assert step in checklist
    sheet = page["Appendix C · Attendance sheet"]
    assert "Participant (first name and initial, or a code)" in sheet
    assert all(f"Week {n}" in sheet for n in range(1, 7)) and " 15 " in sheet  # the whole sheet on one page
    assert sheet.index("Mark P (present)") < sheet.index("Week 1"), "its instructions come before the sheet"
    # The national help lines' table is kept whole: it may start overleaf, under Appendix D's running header.
    start = texts.index(page["Appendix D · Resources and help lines"])
    appendix = list(itertools.takewhile(lambda t: "Appendix D · Resources and help lines" in t, texts[start:]))
    resources = " ".join(appendix)
    assert resources.index("Local help lines") < resources.index("National help lines")
    for text in ("1 Test Road, Testville, ON", "Safe Haven Women's Shelter", "discreet handouts)", "555-0111",
                 "Oct 1, 2026", "Hope for Wellness Help Line", "For Indigenous peoples across Canada", "1-855-242-3310",
                 "Nov 24, 2026", "9-8-8", "Emergency 9-1-1 police, fire, ambulance"):
        assert text in resources


def test_french_manual(dist: Path, bundle) -> None:
    path = manual(dist, "fr", "a4")
    texts = [norm(t) for t in page_texts(path)]
    assert reader(path).trailer["/Root"]["/Lang"] == "fr-CA"  # the region from variant.yml's locale
    assert texts[2].split(" Table des matières ")[0] in AGENCY_NAMES
    assert "MANUEL D'ANIMATION" in texts[0] and "23 novembre 2026" in texts[0]
    assert printed_page_numbers(texts) == [None, *range(2, len(texts) + 1)]
    full = " ".join(texts)
    week = bundle.contents["fr"].weeks[1]
    for phrase in (f"Semaine 1 · {week.title}", "Durée : 120 minutes", *map(norm, week.key_messages),
                   "Annexe C · Feuille de présence", "Jeunesse, J'écoute", "Lignes d'aide nationales",
                   "Seules les animatrices lisent cette note."):
        assert phrase in full, phrase


def test_fonts_embedded_tagged_and_syllabics(dist: Path, bundle) -> None:
    for vid, paper in (("en", "letter"), ("fr", "a4"), ("iu", "letter")):
        pdf = reader(manual(dist, vid, paper))
        used = fonts(pdf)
        assert used and all(used.values()), used
        assert all(name.startswith(("Connections-Sans", "Connections-Syllabics")) for name in used)
        assert pdf_ua_identifier(pdf) and pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]
    iu = norm(" ".join(page_texts(manual(dist, "iu", "letter"))))
    assert norm(bundle.contents["iu"].weeks[1].title) in iu and "ᢰ ᢱ ᢲ" in iu


def test_targets_list_exactly_what_a_manual_is_made_from(project: Path, bundle) -> None:
    targets = manual_targets(bundle, Options(out=project / "dist", variants=["fr"], papers=["letter", "a4"],
                                             large_print=True))
    assert [t.output for t in targets] == [project / f"dist/manual/fr/large-print/facilitator-manual-{p}.pdf"
                                           for p in ("letter", "a4")]
    inputs = set(targets[0].inputs)
    expected = ["content/fr/program.md", *[f"content/fr/week-{n}.md" for n in range(1, 7)], "content/fr/variant.yml",
                "agency.yml", "logo.png", "templates/pdf/manual.html", "templates/pdf/manual.css",
                "fonts/NotoSansCanadianAboriginal-Regular.ttf", "locales/fr/LC_MESSAGES/messages.po"]
    assert all(project / rel in inputs for rel in expected)
    assert not any("content/en" in str(p) or "content/iu" in str(p) for p in inputs)


def test_bundled_content_manual(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", REPO)
    build(project, manual_targets, variants=["en"], papers=["letter"])
    bundle = bundle_for(project)[0]
    texts = page_texts(manual(project / "dist", "en", "letter"))
    assert len(texts) <= 150
    text = norm(" ".join(texts))
    weeks = bundle.contents["en"].weeks
    for week in weeks.values():
        for message in week.key_messages:
            assert norm(message) in text
        for section in week.sections.values():
            assert norm(section.heading) in text
    headings = [f"Week {n} · {weeks[n].title}" for n in sorted(weeks)]
    assert toc_numbers(texts[2], headings) == chapter_starts(texts, headings)


def test_large_print_manual_cover_on_one_page_and_text_at_18_points(tmp_path: Path) -> None:
    from tests.fixtures.pdf.pdf_project import text_sizes

    project = make_project(tmp_path / "project")
    week2 = project / "content/fr/week-2.md"  # a title as long as the bundled one: its running header wraps
    text = week2.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    week2.write_text(text.replace(title, "title: Ce qu'on a vécu enfant compte encore aujourd'hui", 1),
                     encoding="utf-8")
    agency = project / "agency.yml"  # and a long agency name beside it
    agency.write_text(agency.read_text(encoding="utf-8").replace(
        "Maple Family Centre", "Maple Family Resource Centre of the North Shore", 1), encoding="utf-8")
    build(project, manual_targets, variants=["fr"], papers=["letter"], large_print=True)
    path = project / "dist/manual/fr/large-print/facilitator-manual-letter.pdf"
    assert print_problems(path) == [] and pdf_ua_failures(path) == []
    assert stranded_headings(path) == [] and nearly_empty_pages(path) == []
    texts = [norm(t) for t in page_texts(path)]
    assert "MANUEL D'ANIMATION" in texts[0] and "Page" not in texts[0]
    assert texts[2].split(" Table des matières ")[0] in AGENCY_NAMES, "the cover holds on one page"
    assert printed_page_numbers(texts) == [None, *range(2, len(texts) + 1)]
    pdf = reader(path)
    weeks = bundle_for(project)[0].contents["fr"].weeks
    running = {"Table des matières", f"Semaine 1 · {weeks[1].title}",  # headers and footers: smaller
               "Maple Family Resource Centre of the North Shore", "Maple Family Resource Centre of", "the North Shore"}
    week = next(i for i, t in enumerate(texts) if i > 2 and t.startswith("Semaine 1 ·"))
    body = [(t, size) for i in (1, week, week + 1) for t, size in text_sizes(pdf, i)
            if t.strip() and t not in running and not t.startswith(("Connections ·", "Page "))]
    assert body and min(size for _, size in body) >= 18 - 0.01, min(body, key=lambda b: b[1])
    sheet = next(i for i, t in enumerate(texts) if i > 2 and "Annexe C · Feuille de présence" in t)
    assert page_size(pdf, sheet) == (LETTER[1], LETTER[0]), "the attendance sheet turns to fit its columns"
    assert "Semaines 1 à 6" in texts[sheet] and "1 2 3 4 5 6" in texts[sheet]
    assert page_size(pdf, sheet - 1) == page_size(pdf, len(texts) - 1) == LETTER


def test_every_page_looks_printable(dist: Path) -> None:
    """Looked at as pictures: no blank page, nothing run off the paper or into the edge printers leave white."""
    for vid, paper in (("en", "letter"), ("fr", "a4"), ("iu", "letter")):
        assert print_problems(manual(dist, vid, paper)) == [], (vid, paper)


def test_no_heading_stranded_and_no_nearly_empty_page(dist: Path) -> None:
    """A heading or table caption never ends a page (its text overleaf), and no page holds only a few lines
    unless it ends a chapter: read from the tag tree and from the page as a picture."""
    for vid, paper in (("en", "letter"), ("fr", "a4"), ("iu", "letter")):
        path = manual(dist, vid, paper)
        assert stranded_headings(path) == [], (vid, paper)
        assert nearly_empty_pages(path) == [], (vid, paper)


def test_cross_references_print_the_title_and_the_page_it_is_on(dist: Path) -> None:
    """`[Responding to a disclosure](program.md#disclosure)` in week 2 prints with the page of that section
    in Appendix B (another part of the manual); a link to a section of the same week, with its page too."""
    texts = [norm(t) for t in page_texts(manual(dist, "en", "letter"))]
    appendix = next(i for i, t in enumerate(texts) if "Appendix B · Responding" in t)
    closing = next(i for i, t in enumerate(texts) if i > 2 and "Week 2" in t and re.search(r"\bClosing 5 min", t))
    week2 = next(t for t in texts if "follow Responding to a disclosure" in t)
    assert f"follow Responding to a disclosure, page {appendix + 1}." in week2
    assert f"Plan the Closing, page {closing + 1} ahead." in week2
    assert "000" not in " ".join(texts)  # no placeholder left


def test_manuals_pass_the_pdf_ua_validator(dist: Path) -> None:
    """The joined manuals, 0 failures: the join (connections/pdf/merge.py) gives each link annotation to its
    /Link element and puts a list item's blocks in one /LBody, which the parts from WeasyPrint lack."""
    paths = [manual(dist, vid, paper) for vid, paper in (("en", "letter"), ("fr", "a4"), ("iu", "letter"))]
    assert {p.parent.name: pdf_ua_failures(p) for p in paths} == {"en": [], "fr": [], "iu": []}
    large = "manual/<variant>/large-print/facilitator-manual-<paper>.pdf"  # in the large-print test below
    assert unvalidated_kinds("test_manual.py", paths) == {large}
