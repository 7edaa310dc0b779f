"""Join tagged PDFs rendered as parts of one document into one tagged PDF, and check the result.

Why by hand: general PDF joiners (qpdf --pages, pypdf) keep the pages but drop what makes the
manual accessible and navigable: the structure tree (PDF/UA tagging), the bookmarks and the named
destinations that links between chapters point to. Here the parts come from WeasyPrint with a
known shape (one /Document structure element, a /Nums parent tree, named /Dests, an outline), so
they are joined exactly: pages in order, one /Document holding every part's elements, parent-tree
numbers shifted part by part, one outline and one table of destinations. The first part gives the
catalog's language, metadata (XMP, PDF/UA identification) and document information.

What WeasyPrint leaves that a joined document must not keep:

- the running headers and footers (page margin boxes) are marked content with structure elements
  that hang off the part's /Document without being among its kids. Copied as they are, they drag
  each part's old /Document and StructTreeRoot into the joined file. They are page furniture, so
  they become pagination artifacts (``/Artifact`` marked content, out of the parent tree).
- a link annotation can be owned by a /Span inside the /Link (a ``<span>`` in an ``<a>``); it is
  given to that /Link, as PDF/UA asks.
- a list item holding several blocks (a paragraph and a table) has them straight under its /LI;
  they are put in one /LBody after the label.
- table header cells are given IDs named after the table's object number in its part ("67-0-2"), which
  parts repeat: each part's IDs, and the /Headers of its data cells that name them, get the part's
  prefix ("p3-67-0-2"), and the joined tree gets the /IDTree a document with element IDs must have.

Every part embeds its font subsets under the same tag (``BDAZTL+Connections-Sans``); each subset
gets its own tag here, so preflight and printer drivers do not mistake one subset for another.

``merge`` checks what it wrote (joincheck.py) and refuses a join that fails with JoinError: a
manual with a broken structure tree is never written.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack

import pikepdf
from pikepdf import Array, Dictionary, Name

from .joincheck import SUBSET_TAG, check, name_bytes, refused


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


def _kids(obj: pikepdf.Object) -> list:
    kids = obj.get("/K", Array())
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(obj) -> bool:
    """A structure element (not a marked-content or object reference, not an MCID number)."""
    return isinstance(obj, Dictionary) and "/S" in obj and obj.get("/Type", Name.StructElem) == Name.StructElem


def _elements_under(top: pikepdf.Object) -> tuple[set[tuple[int, int]], list[pikepdf.Object], list[pikepdf.Object]]:
    """The structure elements reachable through /K from ``top`` (not counting ``top``), the list
    items among them holding more than a label and a body, and those with an /ID or /A (table cells)."""
    seen: set[tuple[int, int]] = set()
    loose: list[pikepdf.Object] = []
    named: list[pikepdf.Object] = []
    stack = [k for k in _kids(top) if _is_element(k)]
    while stack:
        el = stack.pop()
        if el.objgen in seen:
            continue
        seen.add(el.objgen)
        kids = _kids(el)
        if el.S == Name.LI and any(not _is_element(k) or k.S not in (Name.Lbl, Name.LBody) for k in kids):
            loose.append(el)
        if "/ID" in el or "/A" in el:
            named.append(el)
        stack += [k for k in kids if _is_element(k)]
    return seen, loose, named


def _own_ids(named: list[pikepdf.Object], prefix: bytes) -> list[pikepdf.Object]:
    """Put ``prefix`` before the /ID of these elements and before the IDs their /Headers name (IDs must be
    unique in a document; WeasyPrint's repeat from part to part); return the elements with an /ID."""
    with_id = []
    for el in named:
        if "/ID" in el:
            el.ID = pikepdf.String(prefix + bytes(el.ID))
            with_id.append(el)
        attrs = el.get("/A")
        for a in attrs if isinstance(attrs, Array) else [attrs]:
            if isinstance(a, Dictionary) and "/Headers" in a:
                a.Headers = Array([pikepdf.String(prefix + bytes(h)) for h in a.Headers])
    return with_id


def _wrap_list_body(src: pikepdf.Pdf, item: pikepdf.Object) -> None:
    """Put what follows a list item's label in one /LBody, as PDF/UA wants (WeasyPrint leaves the
    paragraphs and tables of a list item with several blocks straight under its /LI)."""
    kids = _kids(item)
    if not all(_is_element(k) for k in kids) or any(
            k.S == Name.LBody and not all(_is_element(g) for g in _kids(k)) for k in kids):
        return  # marked content straight in the item or its body: its parent-tree entries would need moving too
    body_kids = [g for k in kids if k.S != Name.Lbl for g in (_kids(k) if k.S == Name.LBody else [k])]
    body = src.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(body_kids)))
    if "/Pg" in item:
        body.Pg = item.Pg
    for kid in body_kids:
        if _is_element(kid):
            kid.P = body
    labels = [k for k in kids if k.S == Name.Lbl]
    item.K = Array([*labels, body])


_MARKED = re.compile(rb"/[A-Za-z0-9_]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC"


def _to_artifacts(page: pikepdf.Object, mcids: set[int]) -> None:
    """Turn the marked-content sequences ``mcids`` of ``page`` into pagination artifacts."""
    contents = page.Contents
    streams = list(contents) if isinstance(contents, Array) else [contents]
    found: set[int] = set()
    for stream in streams:
        def swap(m: re.Match) -> bytes:
            mcid = int(m.group(1))
            if mcid not in mcids:
                return m.group(0)
            found.add(mcid)
            return _ARTIFACT

        data = stream.read_bytes()
        new = _MARKED.sub(swap, data)
        if new != data:
            stream.write(new)
    if found != mcids:  # the content is not where the parent tree says: the joined tree cannot be right
        raise refused([f"marked content {sorted(mcids - found)} of a page is not in its content stream"])


def _owner_link(el: pikepdf.Object) -> pikepdf.Object | None:
    """The nearest /Link element above ``el``, or None."""
    p = el.get("/P")
    while p is not None and _is_element(p):
        if p.S == Name.Link:
            return p
        p = p.get("/P")
    return None


def _give_annotation_to_link(owner: pikepdf.Object, annot_objgen: tuple[int, int]) -> pikepdf.Object:
    """Move the object reference of an annotation owned by a non-Link element into the /Link around it."""
    link = _owner_link(owner)
    if link is None:
        return owner  # nothing better to offer: the check reports it if a validator would
    kids = _kids(owner)
    at = [i for i, k in enumerate(kids) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
          and k.Obj.objgen == annot_objgen]
    if not at:
        return owner
    objr = kids.pop(at[0])
    owner.K = Array(kids)
    link.K = Array([*_kids(link), objr])
    return link


def _subset_tag(seed: str, used: set[str]) -> str:
    """Six capital letters from ``seed``, not yet in ``used`` (deterministic: the same parts give the same file)."""
    n = 0
    while True:
        digest = hashlib.sha256(f"{seed}:{n}".encode()).digest()
        tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
        if tag not in used:
            used.add(tag)
            return tag
        n += 1


def _fonts(resources_of: Iterable[pikepdf.Object | None]) -> Iterator[pikepdf.Object]:
    """Every font dictionary named in the given resource dictionaries and in their forms' resources."""
    seen: set[tuple[int, int]] = set()
    stack = list(resources_of)
    while stack:
        res = stack.pop()
        if not isinstance(res, Dictionary):
            continue
        for font in res.get("/Font", Dictionary()).values():
            if font.objgen not in seen or not font.is_indirect:
                seen.add(font.objgen)
                yield font
        for xobj in res.get("/XObject", Dictionary()).values():
            if xobj.get("/Subtype") == Name.Form and "/Resources" in xobj and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                stack.append(xobj.Resources)


def _rename_subsets(src: pikepdf.Pdf, index: int, used: set[str]) -> None:
    """Give each font subset of part ``index`` its own tag (WeasyPrint gives every part the same ones)."""
    for font in _fonts(p.obj.get("/Resources") for p in src.pages):
        base = str(font.get("/BaseFont", ""))
        if not SUBSET_TAG.match(base):
            continue
        new = Name(f"/{_subset_tag(f'{index}:{base}', used)}+{base[8:]}")
        font.BaseFont = new
        for desc in font.get("/DescendantFonts", Array()):
            desc.BaseFont = new
            if "/FontDescriptor" in desc:
                desc.FontDescriptor.FontName = new
        if "/FontDescriptor" in font:
            font.FontDescriptor.FontName = new


def _prepare_tree(src: pikepdf.Pdf, part: int) -> tuple[list[tuple[int, pikepdf.Object]], list[pikepdf.Object]]:
    """Make part number ``part`` ready to copy; return its parent-tree (key, value) pairs and its elements
    with an /ID.

    Margin-box content becomes artifacts (its elements leave the parent tree), links own their
    annotations, list items get one body, element IDs get the part's prefix, and the /Document's kids
    lose their /P so copying them does not drag the part's root along (the joined /Document becomes
    their parent).
    """
    tree = src.Root.StructTreeRoot
    tops = _kids(tree)
    inside: set[tuple[int, int]] = set()
    with_id: list[pikepdf.Object] = []
    for top in tops:
        under, loose, named = _elements_under(top)
        inside |= under
        for item in loose:
            _wrap_list_body(src, item)
        with_id += _own_ids(named, f"p{part + 1}-".encode())
    pairs = [(int(k), v) for k, v in _leaves(tree.ParentTree, "/Nums")] if "/ParentTree" in tree else []
    pages = {int(p.obj.StructParents): p.obj for p in src.pages if "/StructParents" in p.obj}
    annots = {int(a.StructParent): a for p in src.pages for a in p.obj.get("/Annots", Array())
              if "/StructParent" in a}
    ready = []
    for key, value in pairs:
        if isinstance(value, Array) and key in pages:
            outside = {i for i, el in enumerate(value) if _is_element(el) and el.objgen not in inside}
            if outside:
                _to_artifacts(pages[key], outside)
                value = Array([None if i in outside else el for i, el in enumerate(value)])
                while len(value) and value[len(value) - 1] is None:
                    del value[len(value) - 1]
        elif _is_element(value) and key in annots and value.S != Name.Link:
            value = _give_annotation_to_link(value, annots[key].objgen)
        ready.append((key, value))
    for top in tops:
        for kid in _kids(top):
            if isinstance(kid, Dictionary) and "/P" in kid:
                del kid.P
    return ready, with_id


def merge(parts: Sequence[bytes], skip_names: Sequence[set[str]] = ()) -> bytes:
    """One PDF from ``parts`` in order; ``skip_names[i]`` are destinations of part i that are not its own.

    (A part names, as placeholders, the ids it links to in other parts so that its links survive;
    the real destination comes from the part that holds the id.) Raises JoinError when the joined
    PDF fails ``joincheck.problems``.
    """
    with ExitStack() as opened:
        sources = [opened.enter_context(pikepdf.open(io.BytesIO(data))) for data in parts]
        data, clashes = _join(sources, skip_names)
    found = [f"{len(clashes)} ids defined in two parts ({', '.join(clashes[:4])}{', …' if len(clashes) > 4 else ''})"
             ] if clashes else []
    check(data, found)
    return data


def _join(sources: list[pikepdf.Pdf], skip_names: Sequence[set[str]]) -> tuple[bytes, list[str]]:
    """The joined PDF, and the ids that more than one part defines as its own."""
    out = pikepdf.new()
    first = sources[0]
    struct_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(), P=struct_root))
    struct_root.K = Array([document])
    nums: list[tuple[int, pikepdf.Object]] = []
    ids: list[tuple[bytes, pikepdf.Object]] = []
    dests: dict[str, pikepdf.Object] = {}
    clashes: list[str] = []
    outline_items: list[pikepdf.Object] = []
    outline_count = 0
    offset = 0
    tags: set[str] = set()
    for index, src in enumerate(sources):
        skip = skip_names[index] if index < len(skip_names) else set()
        _rename_subsets(src, index, tags)
        tree = src.Root.get("/StructTreeRoot")
        pairs, with_id = _prepare_tree(src, index) if tree is not None else ([], [])
        start = len(out.pages)
        with warnings.catch_warnings():  # "named destinations not preserved": they are, below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning if hasattr(pikepdf, "PageCopyWarning") else Warning)
            out.pages.extend(src.pages)
        shift = offset
        if tree is not None:
            for top in _kids(tree):  # WeasyPrint: one /Document element; its children join ours
                for kid in _kids(top):
                    copied = _copy(out, kid)
                    if _is_element(copied):
                        copied.P = document
                    document.K.append(copied)
            for key, value in pairs:
                nums.append((key + shift, _copy(out, value)))
            ids += [(bytes(el.ID), _copy(out, el)) for el in with_id]  # the copies made above
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
                if name in skip:
                    continue
                if name in dests:
                    clashes.append(name)
                else:
                    dests[name] = _copy(out, dest)
        if "/Outlines" in src.Root:
            copied = _copy(out, src.Root.Outlines)
            outline_items += _outline_items(copied)
            outline_count += int(copied.get("/Count", 0))

    struct_root.ParentTree = out.make_indirect(Dictionary(Nums=Array(
        [x for key, value in sorted(nums, key=lambda kv: kv[0]) for x in (key, value)])))
    struct_root.ParentTreeNextKey = offset
    if ids:  # a name tree is in byte order
        struct_root.IDTree = out.make_indirect(Dictionary(Names=Array(
            [x for key, el in sorted(ids, key=lambda kv: kv[0]) for x in (pikepdf.String(key), el)])))
    out.Root.StructTreeRoot = struct_root
    if dests:
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=Array(  # a name tree is in byte order
            [x for name in sorted(dests, key=name_bytes) for x in (pikepdf.String(name), dests[name])]))))
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
    for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if entry in first.Root:
            out.Root[entry] = _copy(out, first.Root[entry])
    if "/Info" in first.trailer:
        out.trailer.Info = _copy(out, first.trailer.Info)
    buffer = io.BytesIO()
    out.save(buffer, min_version=first.pdf_version, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue(), sorted(set(clashes))


