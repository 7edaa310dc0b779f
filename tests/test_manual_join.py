"""The joined manual read back with pikepdf: one structure tree that a screen reader and a PDF/UA
checker can follow, nothing left over from the parts it was joined from; a join or a pagination that
goes wrong stops the build with a message and keeps the previous manual."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import page
import pikepdf
import pytest

import connections.pdf.merge as merge
from connections.cli import main
from connections.pdf import joincheck
from connections.pdf.parts import PartCache
from tests.conftest import MINIMAL, copy_project, run_build
from tests.fixtures.pdf.pdf_project import page_texts

ARGS = ("manual", "--variant", "en", "--paper", "letter")
AGREEMENT = """## group-agreement {#group-agreement}

Text.

### Our own words

1. Everything is optional.
2. Share this short guide:

    | Age | What is usual |
    |---|---|
    | Babies | Crying to say what they need |
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project (as ``built_small_project``), its group agreement with a subheading (Appendix A
    prints the section's heading as its h1, so the subheading must come out as an h2) and a list item
    holding a table (WeasyPrint tags its paragraph and table straight under the /LI)."""
    project = copy_project(tmp_path_factory.mktemp("join") / "project")
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL / "content", project / "content")
    program = project / "content/en/program.md"
    text = program.read_text(encoding="utf-8")
    program.write_text(text.replace("## group-agreement {#group-agreement}\n\nText.\n", AGREEMENT), encoding="utf-8")
    # A real command line: a build that renders its one document in its own process must also exit cleanly
    # (on 2026-11-26 it printed "Built 1" and then died with SIGSEGV at exit, code -11).
    result = run_build(*ARGS, project=project)
    assert result.code == 0, result.err
    return project


@pytest.fixture
def manual(project: Path) -> Path:
    return project / "dist/manual/en/facilitator-manual-letter.pdf"


def reachable(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every indirect dictionary a reader can get to from the trailer."""
    seen, out, stack = set(), [], [pdf.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Array):
            stack += list(obj)
            continue
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            if isinstance(obj, pikepdf.Dictionary):
                out.append(obj)
        stack += list((obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj).values())
    return out


def kids(el: pikepdf.Object) -> list:
    k = el.get("/K", [])
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"


def test_one_structure_tree_holds_every_element_with_its_parent(manual: Path) -> None:
    pdf = pikepdf.open(manual)
    objects = reachable(pdf)
    kinds = Counter(str(o.get("/Type")) + str(o.get("/S", "")) for o in objects)
    assert kinds["/StructTreeRoot"] == 1, "the parts' own roots are gone"
    assert kinds["/StructElem/Document"] == 1
    root = pdf.Root.StructTreeRoot
    (document,) = kids(root)
    assert document.P.objgen == root.objgen

    parent_of: dict[tuple[int, int], tuple[int, int]] = {}
    stack = [(document, root)]
    while stack:
        el, parent = stack.pop()
        assert el.objgen not in parent_of, "an element in two places"
        parent_of[el.objgen] = parent.objgen
        assert el.P.objgen == parent.objgen, f"{el.S} without its parent as /P"
        stack += [(k, el) for k in kids(el) if is_element(k)]
    elements = [o.objgen for o in objects if is_element(o)]
    assert len(elements) > 500
    assert set(elements) == set(parent_of), "every element a reader can reach is in the tree"

    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    named = [el for v in tree.values() for el in (v if isinstance(v, pikepdf.Array) else [v]) if is_element(el)]
    assert {el.objgen for el in named} <= set(parent_of)
    assert int(root.ParentTreeNextKey) == max(tree) + 1
    used = []
    for page_ in pdf.pages:
        used.append(int(page_.obj.StructParents))
        assert isinstance(tree[used[-1]], pikepdf.Array)
        for annot in page_.obj.get("/Annots", []):
            used.append(int(annot.StructParent))
            owner = tree[used[-1]]
            assert owner.S == "/Link"
            assert any(k.get("/Obj") is not None and k.Obj.objgen == annot.objgen for k in kids(owner)
                       if isinstance(k, pikepdf.Dictionary))
    assert len(used) == len(set(used)) == len(tree)


def test_running_heads_and_page_numbers_are_page_furniture_still_printed(manual: Path) -> None:
    pdf = pikepdf.open(manual)
    content = pdf.pages[3].Contents.read_bytes()
    assert b"/Artifact\n<</Type /Pagination>>\nBDC" in content
    assert "Page 4" in page_texts(manual)[3]


def test_destination_names_once_each_and_font_subsets_named_apart(manual: Path) -> None:
    pdf = pikepdf.open(manual)
    names = pdf.Root.Names.Dests.Names
    keys = [bytes(names[i]) for i in range(0, len(names), 2)]
    assert len(keys) > 20 and len(keys) == len(set(keys)) and keys == sorted(keys)
    fonts = [o for o in reachable(pdf) if o.get("/Type") == "/Font" and o.get("/Subtype") == "/Type0"]
    assert len(fonts) >= 9  # three faces, nine parts
    assert len({str(f.BaseFont) for f in fonts}) == len(fonts)
    for font in fonts:
        (desc,) = font.DescendantFonts
        assert desc.BaseFont == font.BaseFont == desc.FontDescriptor.FontName
    assert joincheck.problems(manual.read_bytes()) == []


def test_headings_never_skip_a_level(manual: Path) -> None:
    pdf = pikepdf.open(manual)
    levels, stack = [], [pdf.Root.StructTreeRoot]
    while stack:  # depth first, in reading order
        el = stack.pop()
        if str(el.get("/S", ""))[:2] == "/H" and str(el.S)[2:].isdigit():
            levels.append(int(str(el.S)[2:]))
        stack += reversed([k for k in kids(el) if is_element(k)])
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert "Our own words" in "".join(page_texts(manual))  # Appendix A's subheading, printed as an h2


def elements_under(el: pikepdf.Object) -> list[pikepdf.Object]:
    out, stack = [], [k for k in kids(el) if is_element(k)]
    while stack:
        out.append(stack.pop())
        stack += [k for k in kids(out[-1]) if is_element(k)]
    return out


def test_each_data_cell_names_header_cells_of_its_own_table(manual: Path) -> None:
    """Every part numbers its tables' header cells alike ("67-0-2"): in the joined manual each ID is given
    once and is in the /IDTree, and a cell's /Headers name header cells of its own table, so a screen
    reader reads week 3's agenda with week 3's column headers."""
    pdf = pikepdf.open(manual)
    root = pdf.Root.StructTreeRoot
    names = root.IDTree.Names
    by_id = {bytes(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    everything = elements_under(root)
    th_ids = [bytes(el.ID) for el in everything if el.S == "/TH"]
    assert len(th_ids) == len(set(th_ids)) == len(by_id) and set(th_ids) == set(by_id)
    tables = [el for el in everything if el.S == "/Table"]
    assert len(tables) >= 6  # an agenda a week
    for table in tables:
        cells = elements_under(table)
        own = {c.objgen for c in cells if c.S == "/TH"}
        for td in (c for c in cells if c.S == "/TD"):
            assert len(td.A.Headers) and all(by_id[bytes(h)].objgen in own for h in td.A.Headers)


def test_the_joined_manual_passes_the_pdf_ua_checker(manual: Path) -> None:
    report = page.validate_pdf(str(manual), profile="ua1")
    assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]


def _drop_document_parent(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.StructTreeRoot.K[0].P


def _keep_an_old_root(pdf: pikepdf.Pdf) -> None:
    old = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    stray = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=old))
    pdf.Root.StructTreeRoot.ParentTree.Nums[1].append(stray)


def _next_key_too_low(pdf: pikepdf.Pdf) -> None:
    pdf.Root.StructTreeRoot.ParentTreeNextKey = 1


def _two_pages_one_key(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].obj.StructParents = pdf.pages[0].obj.StructParents


def _a_name_twice(pdf: pikepdf.Pdf) -> None:
    names = pdf.Root.Names.Dests.Names
    names.extend([names[0], names[1]])


def _an_id_twice(pdf: pikepdf.Pdf) -> None:
    first, second = [el for el in elements_under(pdf.Root.StructTreeRoot) if el.S == "/TH"][:2]
    second.ID = first.ID


def _one_subset_name(pdf: pikepdf.Pdf) -> None:
    fonts = [o for o in reachable(pdf) if o.get("/Type") == "/Font" and o.get("/Subtype") == "/Type0"]
    fonts[1].BaseFont = fonts[0].BaseFont


@pytest.mark.parametrize(("damage", "said"), [
    (_drop_document_parent, "1 structure elements without their parent as /P"),
    (_keep_an_old_root, "2 structure tree roots (1 expected)"),
    (_next_key_too_low, "/ParentTreeNextKey 1 not above the last parent-tree key"),
    (_two_pages_one_key, "two pages or annotations share a parent-tree entry"),
    (_a_name_twice, "1 destination names given twice"),
    (_an_id_twice, "1 structure element IDs given twice"),
    (_one_subset_name, "font subsets sharing one name"),
])
def test_the_check_names_what_is_wrong(manual: Path, tmp_path: Path, damage: Callable, said: str) -> None:
    pdf = pikepdf.open(manual)
    damage(pdf)
    pdf.save(tmp_path / "damaged.pdf")
    found = joincheck.problems((tmp_path / "damaged.pdf").read_bytes())
    assert any(said in p for p in found), found
    with pytest.raises(joincheck.JoinError, match="was not written"):
        joincheck.check((tmp_path / "damaged.pdf").read_bytes())


def _build(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Build the manual again from the parts the module fixture rendered: a blank line added at the end of a week
    changes no page (parts are kept by their HTML) but puts the manual out of date, so it is joined again."""
    week = project / "content/en/week-1.md"
    week.write_text(week.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["--project", str(project), *ARGS, "--quiet"])
    out, err = capsys.readouterr()
    return code, out + err


def test_a_broken_join_is_refused_and_the_previous_manual_kept(project: Path, manual: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    def as_before(src: pikepdf.Pdf, part: int) -> tuple[list, list]:  # the join as it was: each part's tree whole
        return [(int(k), v) for k, v in merge._leaves(src.Root.StructTreeRoot.ParentTree, "/Nums")], []

    before = manual.read_bytes()
    monkeypatch.setattr(merge, "_prepare_tree", as_before)
    code, said = _build(project, capsys)
    assert code == 1
    assert "FAILED manual:en:letter" in said and str(manual) in said
    assert "10 structure tree roots (1 expected)" in said
    assert "so it was not written and the previous one is kept" in said and "please report it" in said
    assert "Traceback" not in said
    assert manual.read_bytes() == before


def test_page_numbers_that_never_settle_stop_the_build(project: Path, manual: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    real, longer = PartCache.get, itertools.count()

    def growing_contents(self, html: str, render, layout_only: bool = False):  # noqa: ANN001
        part = real(self, html, render, layout_only)
        return replace(part, pages=part.pages + next(longer)) if 'id="toc-title"' in html else part

    before = manual.read_bytes()
    monkeypatch.setattr(PartCache, "get", growing_contents)
    code, said = _build(project, capsys)
    assert code == 1
    assert f"{manual}: the page numbers in the contents did not settle after 3 layouts" in said
    assert "this manual was not written and the previous one is kept" in said
    assert "please report it" in said and "--force" in said
    assert "Traceback" not in said
    assert manual.read_bytes() == before
