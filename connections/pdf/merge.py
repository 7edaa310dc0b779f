"""Join tagged PDFs rendered as parts of one document into one tagged PDF.

Why by hand: general PDF joiners (qpdf --pages, pypdf) keep the pages but drop what makes the
manual accessible and navigable: the structure tree (PDF/UA tagging), the bookmarks and the named
destinations that links between chapters point to. Here the parts come from WeasyPrint with a
known shape (one /Document structure element, a /Nums parent tree, named /Dests, an outline), so
they are joined exactly: pages in order, one /Document holding every part's elements, parent-tree
numbers shifted part by part, one outline and one table of destinations. The first part gives the
catalog's language, metadata (XMP, PDF/UA identification) and document information.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name


def _leaves(tree: pikepdf.Object, key: str) -> list[tuple[pikepdf.Object, pikepdf.Object]]:
    """The (key, value) pairs of a number tree (``key`` "/Nums") or name tree ("/Names"), flat or with /Kids."""
    out: list[tuple[pikepdf.Object, pikepdf.Object]] = []
    if key in tree:
        flat = tree[key]
        out += [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
    for kid in tree.get("/Kids", []):
        out += _leaves(kid, key)
    return out


def _copy(out: pikepdf.Pdf, obj):
    """Copy ``obj`` from another PDF into ``out``: indirect objects once each, direct ones member by member."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(out, x) for x in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _copy(out, v) for k, v in obj.items()})
    return obj


def _outline_items(outlines: pikepdf.Object) -> list[pikepdf.Object]:
    items, item = [], outlines.get("/First")
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def merge(parts: Sequence[bytes], skip_names: Sequence[set[str]] = ()) -> bytes:
    """One PDF from ``parts`` in order; ``skip_names[i]`` are destinations of part i that are not its own.

    (A part names, as placeholders, the ids it links to in other parts so that its links survive;
    the real destination comes from the part that holds the id.)
    """
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    first = sources[0]
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    struct_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    nums: list[tuple[int, pikepdf.Object]] = []
    dests: dict[str, pikepdf.Object] = {}
    outline_items: list[pikepdf.Object] = []
    outline_count = 0
    offset = 0
    for index, src in enumerate(sources):
        skip = skip_names[index] if index < len(skip_names) else set()
        start = len(out.pages)
        with warnings.catch_warnings():  # "named destinations not preserved": they are, below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning if hasattr(pikepdf, "PageCopyWarning") else Warning)
            out.pages.extend(src.pages)
        tree = src.Root.get("/StructTreeRoot")
        shift = offset
        if tree is not None:
            top = tree.K if isinstance(tree.K, Array) else Array([tree.K])
            for el in top:  # WeasyPrint: one /Document element; its children join ours
                kids = el.get("/K", Array())
                kids = kids if isinstance(kids, Array) else Array([kids])
                for kid in kids:
                    if isinstance(kid, Dictionary) and "/P" in kid:
                        del kid.P  # so copying does not drag the part's own root along
                for kid in kids:
                    copied = _copy(out, kid)
                    if isinstance(copied, Dictionary):
                        copied.P = document
                    document.K.append(copied)
            pairs = [(int(k), v) for k, v in _leaves(tree.ParentTree, "/Nums")] if "/ParentTree" in tree else []
            for key, value in pairs:
                nums.append((key + shift, _copy(out, value)))
            offset += (max(k for k, _ in pairs) + 1) if pairs else 0
        for page in out.pages[start:]:
            obj = page.obj
            if "/StructParents" in obj:
                obj.StructParents = int(obj.StructParents) + shift
            for annot in obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        names = src.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in ((str(k), v) for k, v in _leaves(names.Dests, "/Names")):
                if name not in skip and name not in dests:
                    dests[name] = _copy(out, dest)
        if "/Outlines" in src.Root:
            copied = _copy(out, src.Root.Outlines)
            outline_items += _outline_items(copied)
            outline_count += int(copied.get("/Count", 0))

    struct_root.ParentTree = out.make_indirect(Dictionary(Nums=Array(
        [x for key, value in sorted(nums, key=lambda kv: kv[0]) for x in (key, value)])))
    struct_root.ParentTreeNextKey = offset
    out.Root.StructTreeRoot = struct_root
    if dests:
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=Array(
            [x for name in sorted(dests) for x in (pikepdf.String(name), dests[name])]))))
    if outline_items:
        outlines = out.make_indirect(Dictionary(Type=Name.Outlines, Count=outline_count))
        for i, item in enumerate(outline_items):
            item.Parent = outlines
            if i:
                item.Prev = outline_items[i - 1]
            elif "/Prev" in item:
                del item.Prev
            if i + 1 < len(outline_items):
                item.Next = outline_items[i + 1]
            elif "/Next" in item:
                del item.Next
        outlines.First, outlines.Last = outline_items[0], outline_items[-1]
        out.Root.Outlines = outlines
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in first.Root:
            out.Root[key] = _copy(out, first.Root[key])
    if "/Info" in first.trailer:
        out.trailer.Info = _copy(out, first.trailer.Info)
    buffer = io.BytesIO()
    out.save(buffer, min_version=first.pdf_version, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for src in sources:
        src.close()
    return buffer.getvalue()
