"""XLIFF 1.2 through translate-toolkit: the file class, and inline trees to and from its placeables.

XLIFF 1.2 rather than 2.x: every CAT tool that matters reads and writes it (OmegaT, memoQ, Trados,
Phrase, Weblate, Poedit, Okapi), and translate-toolkit supports it fully (states, notes, alt-trans,
``<g>``/``<x>`` inline codes); its XLIFF 2 support is recent and has no inline codes yet.

Paired markup (bold, italic, links) is ``<g id ctype>``; standalone codes (placeholders, {#ids},
inline code, HTML, images) are ``<x id ctype equiv-text>``. CAT tools show both as locked tags.
"""

from __future__ import annotations

from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables import base as pbase
from translate.storage.placeables import xliff as pxliff

from . import segments as S

NS = "urn:oasis:names:tc:xliff:document:1.2"
DONE_STATES = {"translated", "signed-off", "final"}
CONTEXT = "connections {}"  # per unit (names are unique in a file): its section and English hash at export


class Xliff12Unit(xliff.xliffunit):
    namespace = NS


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 (its default skeleton says 1.1)."""

    UnitClass = Xliff12Unit
    XMLskeleton = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NS}">
<file original="NoName" source-language="en" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""
    namespace = NS


def to_strelem(nodes: list[S.Node]) -> StringElem:
    """An inline tree as translate-toolkit placeables."""
    out: list[StringElem] = []
    for n in nodes:
        if isinstance(n, str):
            out.append(StringElem(n))
        elif isinstance(n, S.Code):
            out.append(pxliff.X(id=n.id, xml_attrib={"ctype": n.ctype, "equiv-text": n.native}))
        else:
            out.append(pxliff.G(id=n.id, sub=[to_strelem(n.children)], xml_attrib={"ctype": n.ctype}))
    return StringElem(out)


class Broken(ValueError):
    """Inline codes of a target that do not match those of its source."""


def from_strelem(elem: StringElem, english: dict[str, S.Code | S.Pair], used: set[str]) -> list[S.Node]:
    """A target's placeables as an inline tree, each code resolved to the English Markdown of its id."""
    out: list[S.Node] = []
    for sub in elem.sub:
        if isinstance(sub, str):
            out.append(sub)
        elif isinstance(sub, pbase.X | pbase.G):
            want = english.get(str(sub.id))
            tag = "x" if isinstance(sub, pbase.X) else "g"
            if want is None:
                raise Broken(f"<{tag} id=\"{sub.id}\"> is not in the English")
            if str(sub.id) in used:
                raise Broken(f"<{tag} id=\"{sub.id}\"> ({_show(want)}) appears twice")
            if isinstance(want, S.Code) != isinstance(sub, pbase.X):
                raise Broken(f"<{tag} id=\"{sub.id}\"> should be <{'x' if isinstance(want, S.Code) else 'g'}> "
                             f"({_show(want)})")
            used.add(str(sub.id))
            if isinstance(want, S.Code):
                out.append(S.Code(want.id, want.ctype, want.native))
            else:
                out.append(S.Pair(want.id, want.ctype, want.open, want.close, from_strelem(sub, english, used)))
        elif type(sub) is StringElem:
            out += from_strelem(sub, english, used)
        else:
            tag = getattr(getattr(sub, "xml_node", None), "tag", type(sub).__name__)
            raise Broken(f"unexpected inline element <{str(tag).rsplit('}', 1)[-1]}>")
    merged: list[S.Node] = []
    for n in out:
        if isinstance(n, str) and merged and isinstance(merged[-1], str):
            merged[-1] += n
        elif n != "":
            merged.append(n)
    return merged


def target_tree(rich: StringElem, english: list[S.Node]) -> list[S.Node]:
    """The target as an inline tree; Broken when a code is missing, unknown, doubled or of the wrong kind."""
    codes = S.codes(english)
    used: set[str] = set()
    tree = from_strelem(rich, codes, used)
    missing = [c for cid, c in codes.items() if cid not in used]
    if missing:
        raise Broken("missing inline code" + "s" * (len(missing) > 1) + " " +
                     ", ".join(f"id {c.id} ({_show(c)})" for c in missing))
    return tree


def _show(code: S.Code | S.Pair) -> str:
    return code.native if isinstance(code, S.Code) else f"{code.open}…{code.close}"


def flat(elem: StringElem) -> str:
    """Text with its codes as <x1/> and <g1>…</g1>: what a source says, to compare with the English."""
    out = []
    for sub in elem.sub:
        if isinstance(sub, str):
            out.append(sub)
        elif isinstance(sub, pbase.X):
            out.append(f"<x{sub.id}/>")
        elif isinstance(sub, pbase.G):
            out.append(f"<g{sub.id}>{flat(sub)}</g{sub.id}>")
        elif type(sub) is StringElem:
            out.append(flat(sub))
        else:
            out.append(f"<{type(sub).__name__}/>")
    return "".join(out)
