"""The manual is rendered by parts and joined: an edit re-renders only its part, page numbers stay right
when a week grows, --force renders every part again, and the joined PDF is one tagged document whose
links, contents and bookmarks all land where they say."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from connections.context import Options, bundle_for
from connections.pdf.manual import PARTS_CACHE, manual_targets
from connections.pipeline import run
from tests.fixtures.pdf.pdf_project import norm, page_texts, pdf_text, replace_section_body, shared_dir
from tests.test_manual import _build_all as build_manuals
from tests.test_manual import chapter_starts, printed_page_numbers, toc_numbers

PAPER = "a4"  # the French manual test_manual builds (English and syllabics on Letter, French on A4)


def build_fr(project: Path, force: bool = False) -> list[str]:
    """Build the French manual through the pipeline; return the keys it rebuilt."""
    opts = Options(out=project / "dist", variants=["fr"], papers=[PAPER])
    report = run(manual_targets(bundle_for(project)[0], opts), project, opts.out, quiet=True, jobs=1, force=force)
    assert not report.failed, report.failed
    return [t.key for t in report.built]


def manual(project: Path) -> Path:
    return project / f"dist/manual/fr/facilitator-manual-{PAPER}.pdf"


def cached_pdfs(project: Path) -> dict[str, bytes]:
    folder = project / "dist" / PARTS_CACHE / f"fr-{PAPER}"
    return {p.name: p.read_bytes() for p in folder.glob("*.pdf")}


def week_headings(project: Path) -> list[str]:
    weeks = bundle_for(project)[0].contents["fr"].weeks
    return [f"Semaine {n} · {weeks[n].title}" for n in sorted(weeks)]


def assert_numbers_right(path: Path, headings: list[str]) -> None:
    """Footers count the pages; the contents (after the cover and credits) give each week its first page."""
    texts = page_texts(path)
    assert printed_page_numbers(texts) == [None, *range(2, len(texts) + 1)]
    assert toc_numbers(texts[2], headings) == chapter_starts(texts, headings)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of test_manual's project, its French manual and that manual's parts included (made once per test
    session, whichever module needs it first): a copy is up to date as it is."""
    shared = shared_dir(tmp_path_factory, "manual", build_manuals) / "project"
    project = shutil.copytree(shared, tmp_path_factory.mktemp("manual-parts") / "project", symlinks=True)
    assert build_fr(project) == []
    assert len(cached_pdfs(project)) == 10  # every part of the French manual, rendered by its first build
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project, its parts cache included, for one test to edit: up to date as it is."""
    project = shutil.copytree(built, tmp_path / "project", symlinks=True)
    assert build_fr(project) == []
    return project


def test_editing_one_week_renders_that_week_again_and_reuses_the_rest(project: Path) -> None:
    before = cached_pdfs(project)
    # front matter, overview, six weeks, appendices; week 2 twice: its cross-references to other parts are laid
    # out first with placeholders, then with the page numbers the first pass found (both kept for next time)
    assert len(before) == 10
    week3 = project / "content/fr/week-3.md"
    replace_section_body(week3, "closing", "Une phrase toute neuve pour la clôture.")
    assert build_fr(project) == [f"manual:fr:{PAPER}"]
    after = cached_pdfs(project)
    new = [name for name in after if name not in before]
    assert len(new) == 1, "only the week-3 part is rendered again"
    part = project / "new-part.pdf"
    part.write_bytes(after[new[0]])
    assert "Une phrase toute neuve pour la clôture." in norm(pdf_text(part))
    assert norm(week_headings(project)[2]) in norm(pdf_text(part))
    assert len(after) == 10, "the part it replaces is no longer kept"
    assert "Une phrase toute neuve pour la clôture." in norm(pdf_text(manual(project)))
    assert_numbers_right(manual(project), week_headings(project))


def test_a_longer_week_moves_the_page_numbers_after_it(project: Path) -> None:
    headings = week_headings(project)
    starts = chapter_starts(page_texts(manual(project)), headings)
    long_text = "\n\n".join(f"Paragraphe {i} : une idée de plus pour la discussion du groupe, dite simplement."
                            for i in range(1, 120))
    replace_section_body(project / "content/fr/week-2.md", "activity-1", long_text)
    build_fr(project)
    moved = chapter_starts(page_texts(manual(project)), headings)
    assert moved[headings[0]] == starts[headings[0]]
    grown = moved[headings[2]] - starts[headings[2]]
    assert grown >= 2, "week 2 now runs over more pages"
    assert all(moved[h] - starts[h] == grown for h in headings[2:])
    assert_numbers_right(manual(project), headings)


def test_a_damaged_cache_stops_the_build_and_force_renders_every_part_again(project: Path) -> None:
    folder = project / "dist" / PARTS_CACHE / f"fr-{PAPER}"
    parts = [p for p in sorted(folder.glob("*.pdf")) if "Table des matières" not in pdf_text(p)]
    week1 = next(p for p in parts if norm(week_headings(project)[0]) in norm(pdf_text(p)))
    week2 = next(p for p in parts if norm(week_headings(project)[1]) in norm(pdf_text(p)))
    shutil.copyfile(week2, week1)  # a damaged cache: the week-1 entry now holds week 2
    manual(project).unlink()
    opts = Options(out=project / "dist", variants=["fr"], papers=[PAPER])
    report = run(manual_targets(bundle_for(project)[0], opts), project, opts.out, quiet=True, jobs=1)
    [(_, message)] = report.failed
    assert "ids defined in two parts (" in message and "w2-check-in" in message and "was not written" in message
    assert "--force" in message
    assert not manual(project).exists()
    assert build_fr(project, force=True) == [f"manual:fr:{PAPER}"]
    week1 = norm(week_headings(project)[0])
    assert norm(pdf_text(manual(project))).count(week1) >= 2  # in the contents, as its chapter and header
    assert_numbers_right(manual(project), week_headings(project))


def test_the_joined_manual_is_one_tagged_document(project: Path) -> None:
    pdf = pikepdf.open(manual(project))
    assert pdf.check_pdf_syntax() == []  # qpdf reads every object and stream without a complaint
    root = pdf.Root.StructTreeRoot
    (document,) = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    assert document.S == "/Document"
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) == max(tree) + 1
    seen = []
    for page in pdf.pages:
        key = int(page.obj.StructParents)
        seen.append(key)
        for el in tree[key]:  # every marked piece of this page belongs to an element on this page
            assert el.Pg.objgen == page.obj.objgen
        for annot in page.obj.get("/Annots", []):
            seen.append(int(annot.StructParent))
            owner = tree[int(annot.StructParent)]  # the element that holds this link, by reference
            kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
            assert any(k.get("/Obj") is not None and k.Obj.objgen == annot.objgen for k in kids
                       if isinstance(k, pikepdf.Dictionary))
    assert len(seen) == len(set(seen)), "no two pages or links share a parent-tree entry"

    def walk(el: pikepdf.Object, parent: pikepdf.Object) -> list[str]:
        assert el.P.objgen == parent.objgen
        kids = el.get("/K", [])
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        return [str(el.S)] + [s for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k
                               for s in walk(k, el)]

    kinds = [s for k in document.K for s in walk(k, document)]
    assert kinds.count("/H1") == 1 + 1 + 1 + 6 + 4  # the cover, contents, overview, six weeks, four appendices
    assert pdf.Root.Lang == "fr-CA" and pdf.Root.MarkInfo.Marked  # the region from variant.yml's locale
    assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_links_contents_and_bookmarks_land_on_their_pages(project: Path) -> None:
    pdf = pikepdf.open(manual(project))
    texts = [norm(t) for t in page_texts(manual(project))]
    names = pdf.Root.Names.Dests.Names
    dests = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    links = 0
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if "/Dest" in annot:
                links += 1
                assert str(annot.Dest) in dests, f"link to #{annot.Dest} has nowhere to go"
    assert links > 20
    for n, heading in enumerate(week_headings(project), start=1):
        target = pages[dests[f"week-{n}"][0].objgen]
        assert norm(heading) in texts[target]
        assert re.search(rf"Semaine {n}\b", texts[target])
    with pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
        assert top[0] == "Table des matières" and top[2:8] == week_headings(project)
        for item in outline.root[2:8]:
            assert norm(item.title) in texts[pages[item.destination[0].objgen]]


def test_reused_parts_give_the_same_bytes_as_fresh_ones(built: Path, tmp_path: Path) -> None:
    # The module's project, whose manual was joined from the parts its first build rendered with an empty cache
    # (in test_manual's folder, copied here with them). The manual is joined again from those same parts: the
    # same bytes. (Parts rendered in another folder would read the same but not be the same bytes: WeasyPrint
    # names images inside a PDF by their file's place.) The project stays up to date for the tests after this.
    fresh = tmp_path / "fresh.pdf"
    shutil.copyfile(manual(built), fresh)
    manual(built).unlink()
    assert build_fr(built) == [f"manual:fr:{PAPER}"]  # every part reused
    assert manual(built).read_bytes() == fresh.read_bytes()


def test_a_part_cut_short_in_the_cache_is_rendered_again(project: Path) -> None:
    folder = project / "dist" / PARTS_CACHE / f"fr-{PAPER}"
    part = next(p for p in sorted(folder.glob("*.pdf")) if norm(week_headings(project)[3]) in norm(pdf_text(p))
                and "Table des matières" not in pdf_text(p))
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2])
    manual(project).unlink()
    assert build_fr(project) == [f"manual:fr:{PAPER}"]
    assert part.read_bytes() == data
    assert_numbers_right(manual(project), week_headings(project))
