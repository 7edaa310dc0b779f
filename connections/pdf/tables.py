"""Table headers in a tagged PDF set right: every data cell names its header cells, every header cell its scope.

Why: WeasyPrint (70) links each /TD to its /TH cells with /Headers, but counts columns wrongly once a
header cell spans rows (``rowspan``): after the attendance sheet's "#" and "Participant" cells, which
span the two header rows, the "Here, Care, Ride" cells are numbered from column 0 instead of 2, so the
number and name cells of every row name the wrong headers and the last column's cells none (PDF/UA-1
Matterhorn 15-003, page-validation's PDFUA1-TABLE-HEADERS-SCOPE-001). It never writes /Scope either.

Here the table's grid is laid out again from the tag tree, as HTML's table model does (a cell takes the
first free column of its row, after cells spanning down from rows above), then:

- each /TH keeps its /ID (or gets one) and gets /Scope: /Column in the table's head (/THead) or in a row
  of header cells only, /Row in a body row that also holds data cells (``<th scope="row">``, as in the
  templates);
- each /TD gets /Headers: the row headers of the rows it spans, then the column headers above it in the
  columns it spans;
- the structure tree gets the /IDTree that the PDF reference asks for when elements have IDs.

Only PDFs whose HTML has a cell spanning rows go through here (``needs_fix``): WeasyPrint's /Headers
are right without one, and opening and saving every PDF would slow every build.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pikepdf
from pikepdf import Array, Dictionary, Name, String

_SPANS_ROWS = re.compile(r"""<t[hd]\b[^>]*\browspan\s*=\s*["']?\s*0*([2-9]|[1-9]\d)""", re.IGNORECASE)


def needs_fix(html: str) -> bool:
    """Whether the HTML has a table cell spanning rows: the case WeasyPrint's /Headers get wrong."""
    return _SPANS_ROWS.search(html) is not None


def _elements(el: pikepdf.Object) -> list[pikepdf.Object]:
    k = el.get("/K")
    if k is None:
        return []
    kids = list(k) if isinstance(k, Array) else [k]
    return [kid for kid in kids if isinstance(kid, Dictionary) and "/S" in kid]


def _table_attributes(cell: pikepdf.Object) -> pikepdf.Object:
    """The cell's attribute dictionary owned by /Table, made if missing (/A may be one dictionary or an array)."""
    attrs = cell.get("/A")
    if isinstance(attrs, Dictionary) and attrs.get("/O") == Name.Table:
        return attrs
    if isinstance(attrs, Array):
        for a in attrs:
            if isinstance(a, Dictionary) and a.get("/O") == Name.Table:
                return a
    own = Dictionary(O=Name.Table)
    if attrs is None:
        cell.A = own
        return cell.A
    if not isinstance(attrs, Array):
        cell.A = Array([attrs])
    cell.A.append(own)
    return cell.A[-1]


def _rows(table: pikepdf.Object) -> list[tuple[pikepdf.Object, bool]]:
    """The table's /TR elements in order, each with whether it is in the table's head."""
    out = []
    for kid in _elements(table):
        if kid.S == Name.TR:
            out.append((kid, False))
        elif kid.S in (Name.THead, Name.TBody, Name.TFoot):
            out += [(row, kid.S == Name.THead) for row in _elements(kid) if row.S == Name.TR]
    return out


def _fix_table(table: pikepdf.Object, number: int, ids: dict[bytes, pikepdf.Object]) -> None:
    occupied: set[tuple[int, int]] = set()
    cells = []  # (element, attributes, row, column, rows spanned, columns spanned, row is in the head)
    for i, (row, in_head) in enumerate(_rows(table)):
        j = 0
        for cell in _elements(row):
            if cell.S not in (Name.TH, Name.TD):
                continue
            attrs = _table_attributes(cell)
            rows, cols = max(1, int(attrs.get("/RowSpan", 1))), max(1, int(attrs.get("/ColSpan", 1)))
            while (i, j) in occupied:
                j += 1
            occupied |= {(i + di, j + dj) for di in range(rows) for dj in range(cols)}
            has_data = any(c.S == Name.TD for c in _elements(row))
            cells.append((cell, attrs, i, j, rows, cols, in_head or not has_data))
            j += cols
    column_headers: dict[int, list[tuple[int, pikepdf.Object]]] = defaultdict(list)
    row_headers: dict[int, list[pikepdf.Object]] = defaultdict(list)
    for cell, attrs, i, j, rows, cols, heads_columns in cells:
        if cell.S != Name.TH:
            continue
        if "/ID" not in cell:
            cell.ID = String(f"table{number}-{i}-{j}")
        ids[bytes(cell.ID)] = cell
        attrs.Scope = Name.Column if heads_columns else Name.Row
        if heads_columns:
            for dj in range(cols):
                column_headers[j + dj].append((i, cell.ID))
        else:
            for di in range(rows):
                row_headers[i + di].append(cell.ID)
    for cell, attrs, i, j, rows, cols, _ in cells:
        if cell.S == Name.TD:
            found = [h for di in range(rows) for h in row_headers[i + di]]
            found += [h for dj in range(cols) for top, h in column_headers[j + dj] if top < i]
            attrs.Headers = Array(list(dict.fromkeys(found)))


def fix_table_headers(data: bytes) -> bytes:
    """The PDF with /Scope on every header cell, right /Headers on every data cell and an /IDTree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        ids: dict[bytes, pikepdf.Object] = {}
        stack, tables = list(_elements(root)), []
        while stack:
            el = stack.pop()
            if el.S == Name.Table:
                tables.append(el)
            stack += _elements(el)
        for n, table in enumerate(tables, start=1):
            _fix_table(table, n, ids)
        if ids:
            names = Array()
            for key in sorted(ids):
                names.extend([String(key), ids[key]])
            root.IDTree = pdf.make_indirect(Dictionary(Names=names))
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
