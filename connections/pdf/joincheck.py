"""The joined manual's structure check: what a screen reader, a PDF/UA checker or a printer would trip on.

Why a check of its own: the manual is joined from parts by hand (see merge.py), and a join that goes
wrong leaves a PDF that looks right on screen while its structure tree is broken (each part's old
root still reachable, elements without their parent, two links on one parent-tree entry). A viewer
shows nothing; a screen reader reads the manual out of order or not at all. ``check`` runs after
every join and stops the build (JoinError) rather than write such a manual.

It reads the PDF's objects once through qpdf's JSON and walks them as plain Python values: about
0.06 s for the 19-page test manual and 0.2-0.3 s (CPU) for the 65-page English manual.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence

import pikepdf
from pikepdf import Name

from ..errors import UserError

SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")
_DESCENDANT = (Name.CIDFontType0, Name.CIDFontType2)  # named like the font that holds them


class JoinError(UserError):
    """A joined PDF failed its check: not the user's mistake, but the build stops with a message, no traceback."""


def check(data: bytes, found: Sequence[str] = ()) -> None:
    """Raise JoinError naming every problem of the joined PDF ``data`` (see :func:`problems`)."""
    found = [*found, *problems(data)]
    if found:
        raise refused(found)


def refused(found: Sequence[str]) -> JoinError:
    """The error that stops the build: what is wrong, that nothing was written, and what to do."""
    return JoinError(
        "the parts of this PDF were joined into a document that fails its structure check ("
        + "; ".join(found) + "), so it was not written and the previous one is kept. This is a fault in the "
        "toolkit, not in your content: please report it with this message. If it came from a part kept from "
        "an earlier build, running the same command with --force (every part rendered anew) gets past it.")


class _Objects:
    """A PDF's objects as plain Python values, read through qpdf's JSON (one C++ pass, then fast to walk).

    Walking the objects through pikepdf costs a call per key; a 65-page manual took about a second.
    References are strings "12 0 R"; names "/Name"; strings "u:text" or "b:hex".
    """

    def __init__(self, data: bytes) -> None:
        buffer = io.BytesIO()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.write_qpdf_json(buffer, decode_level=pikepdf.StreamDecodeLevel.none,
                                json_stream_data=pikepdf.JSONStreamData.none)
        doc = json.loads(buffer.getvalue())["qpdf"][1]
        self.table = {key[4:]: (v["value"] if "value" in v else v["stream"]["dict"])
                      for key, v in doc.items() if key.startswith("obj:")}
        self.trailer = doc["trailer"]["value"]

    def __call__(self, value):
        """``value`` with a reference replaced by what it refers to."""
        return self.table.get(value, value) if type(value) is str else value

    def reachable(self) -> set[str]:
        """The references of every object reachable from the trailer."""
        seen: set[str] = set()
        table = self.table
        stack = [self.trailer]
        while stack:
            value = stack.pop()
            kind = type(value)
            if kind is dict:
                stack += value.values()
            elif kind is list:
                stack += value
            elif kind is str and value in table and value not in seen:  # only references are keys
                seen.add(value)
                stack.append(table[value])
        return seen

    def kids(self, value) -> list:
        kids = self(value.get("/K", []))
        return kids if isinstance(kids, list) else [kids]

    def element(self, value) -> dict | None:
        """The structure element ``value`` is or refers to, or None."""
        obj = self(value)
        if isinstance(obj, dict) and "/S" in obj and obj.get("/Type", "/StructElem") == "/StructElem":
            return obj
        return None

    def leaves(self, tree, key: str) -> list:
        tree = self(tree) or {}
        flat = self(tree.get(key, []))
        out = [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
        for kid in self(tree.get("/Kids", [])):
            out += self.leaves(kid, key)
        return out

    def pages(self, node=None) -> list[tuple[str, dict]]:
        """The leaf pages in order, each with its reference."""
        node = node or self(self.trailer["/Root"])["/Pages"]
        obj = self(node)
        if obj.get("/Type") == "/Page" or "/Kids" not in obj:
            return [(node, obj)]
        return [p for kid in self(obj["/Kids"]) for p in self.pages(kid)]


def name_bytes(name: str) -> bytes:
    """A destination name as a PDF holds it (PDFDocEncoding, else UTF-16 with a mark): name trees sort by it."""
    try:
        return name.encode("pdfdoc")
    except UnicodeEncodeError:
        return b"\xfe\xff" + name.encode("utf-16-be")


def _id_problems(objs: _Objects, root: dict, in_tree: set[str]) -> list[str]:
    """Element IDs (table header cells) each given once, all in the /IDTree, and every ID a data cell's
    /Headers names among them: else a screen reader reads a cell with another table's headers, or none."""
    ids: dict[str, str] = {}
    repeated, headers = 0, []
    for ref in in_tree:
        el = objs.table[ref]
        if "/ID" in el:
            repeated += el["/ID"] in ids
            ids[el["/ID"]] = ref
        attrs = objs(el.get("/A"))
        for a in attrs if isinstance(attrs, list) else [attrs]:
            if isinstance(objs(a), dict):
                headers += objs(objs(a).get("/Headers", []))
    found = [f"{repeated} structure element IDs given twice"] if repeated else []
    if ids and dict(objs.leaves(root.get("/IDTree"), "/Names")) != ids:
        found.append("the /IDTree does not name every element ID")
    unknown = {h for h in headers if h not in ids}
    if unknown:
        found.append(f"{len(unknown)} IDs named in table cells' /Headers that no element has")
    return found


def problems(data: bytes) -> list[str]:
    """What is wrong with the joined tagged PDF ``data``, in words; empty when it is one well-formed document.

    Checked: one StructTreeRoot among all objects reachable from the trailer; every structure element
    reachable from the trailer or named by the parent tree sits in the tree under the root's /K, once,
    with its parent as /P (the /Document's is the root); parent-tree keys in order, below
    /ParentTreeNextKey, agreeing with each page's /StructParents and each annotation's /StructParent;
    element IDs once each, in the /IDTree, and every ID a cell's /Headers names among them;
    destination names each once and in order; each font subset under a name of its own.
    """
    objs = _Objects(data)
    found: list[str] = []
    catalog = objs(objs.trailer["/Root"])
    root_ref = catalog.get("/StructTreeRoot")
    root = objs(root_ref)
    if not isinstance(root, dict):
        return ["it has no structure tree"]
    roots, elements, subsets = 0, set[str](), dict[str, set[str]]()
    for ref in objs.reachable():
        obj = objs.table.get(ref)
        if not isinstance(obj, dict):
            continue
        kind = obj.get("/Type")
        if kind == "/StructTreeRoot":
            roots += 1
        elif objs.element(obj) is not None:
            elements.add(ref)
        elif kind == "/Font" and obj.get("/Subtype") not in _DESCENDANT and SUBSET_TAG.match(str(obj.get("/BaseFont"))):
            subsets.setdefault(obj["/BaseFont"], set()).add(ref)
    if roots != 1:
        found.append(f"{roots} structure tree roots (1 expected)")

    in_tree: set[str] = set()
    bad_parent = twice = 0
    stack = [(k, root_ref) for k in objs.kids(root) if type(k) is str and k in elements]
    while stack:  # elements are indirect: /P "shall be an indirect reference" to the parent
        ref, parent = stack.pop()
        if ref in in_tree:
            twice += 1
            continue
        in_tree.add(ref)
        el = objs.table[ref]
        if el.get("/P") != parent:
            bad_parent += 1
        stack += [(k, ref) for k in objs.kids(el) if type(k) is str and k in elements]
    if bad_parent:
        found.append(f"{bad_parent} structure elements without their parent as /P")
    if twice:
        found.append(f"{twice} structure elements in two places of the tree")
    if elements - in_tree:
        found.append(f"{len(elements - in_tree)} structure elements outside the tree (an old part's tree?)")
    found += _id_problems(objs, root, in_tree)

    tree: dict[int, object] = {}
    if "/ParentTree" not in root:
        found.append("the structure tree has no parent tree")
    else:
        pairs = [(int(k), v) for k, v in objs.leaves(root["/ParentTree"], "/Nums")]  # values: element or array
        keys = [k for k, _ in pairs]
        tree = dict(pairs)
        if keys != sorted(set(keys)):
            found.append("parent-tree keys repeated or out of order")
        next_key = root.get("/ParentTreeNextKey")
        if keys and (not isinstance(next_key, int) or next_key <= max(keys)):
            found.append(f"/ParentTreeNextKey {next_key} not above the last parent-tree key {max(keys)}")
        strays = sum(1 for _, v in pairs for el in (objs(v) if isinstance(objs(v), list) else [v])
                     if type(el) is str and el in elements and el not in in_tree)
        if strays:
            found.append(f"{strays} parent-tree entries point outside the structure tree")
    used: list[int] = []
    for number, (page_ref, page) in enumerate(objs.pages(), start=1):
        if not isinstance(page.get("/StructParents"), int):
            found.append(f"page {number} has no /StructParents")
        else:
            used.append(page["/StructParents"])
            marks = objs(tree.get(page["/StructParents"]))
            if not isinstance(marks, list):
                found.append(f"page {number}: /StructParents {page['/StructParents']} names no parent-tree entry")
            elif any(objs.element(el) is not None and objs(el).get("/Pg", page_ref) != page_ref for el in marks):
                found.append(f"page {number}: its parent-tree entry holds elements of another page")
        for annot_ref in objs(page.get("/Annots", [])):
            annot = objs(annot_ref)
            if not isinstance(annot.get("/StructParent"), int):
                found.append(f"page {number}: an annotation has no /StructParent")
                continue
            key = annot["/StructParent"]
            used.append(key)
            owner = objs.element(tree.get(key))
            if owner is None or not any(isinstance(objs(k), dict) and objs(k).get("/Obj") == annot_ref
                                        for k in objs.kids(owner)):
                found.append(f"page {number}: an annotation's /StructParent {key} is not the element that holds it")
    if len(used) != len(set(used)):
        found.append("two pages or annotations share a parent-tree entry")

    dests = objs(catalog.get("/Names", {})).get("/Dests")
    if dests is not None:
        names = [name_bytes(k[2:]) if k.startswith("u:") else bytes.fromhex(k[2:])
                 for k, _ in objs.leaves(dests, "/Names")]
        if len(names) != len(set(names)):
            found.append(f"{len(names) - len(set(names))} destination names given twice")
        elif names != sorted(names):
            found.append("destination names out of order")
    shared = {name: len(refs) for name, refs in subsets.items() if len(refs) > 1}
    if shared:
        found.append("font subsets sharing one name: "
                     + ", ".join(f"{n[1:]} ({k} fonts)" for n, k in sorted(shared.items())))
    return found
