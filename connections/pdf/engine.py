"""WeasyPrint set-up shared by every PDF: loaded once per worker, fetching only files inside the project.

Why here: fonts and stylesheets are costly to load, so each worker keeps one FontConfiguration and
parsed CSS; reproducibility (fixed dates), PDF/UA warnings-as-errors and the rule "only bundled fonts,
and a missing glyph names its text" are decided in one place.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UserError
from ..logs import Collect
from ..svg import check_svg, is_svg
from .glyphs import check_bundled_fonts_used, check_glyphs, declared_fonts, notdef_problem
from .tables import fix_table_headers, needs_fix

_state: dict = {}


def _forget_parent_fonts() -> None:
    """In a forked process (a build's worker): start with no fonts and stylesheets of the parent's.

    Why: WeasyPrint writes each @font-face file into its FontConfiguration's folder and skips a file that
    exists. Two workers sharing the parent's folder race: one registers a font the other is still writing
    ("Font-face … cannot be loaded"), or skips registering it and prints with another font. And a worker
    that dropped the inherited object would remove the parent's folder. Each worker makes its own.
    """
    fonts = _state.get("fonts")
    if fonts is not None:
        fonts._folder = None  # the parent's folder: not this process's to write into or remove
    _state.clear()


os.register_at_fork(after_in_child=_forget_parent_fonts)


def project_fetcher(root: Path):
    """A URL fetcher that serves files inside ``root`` and refuses everything else, never touching the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.root = root.resolve()

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise ValueError(f"refused to fetch '{url}': PDFs read only files inside the project")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"refused to read '{path}': it is outside the project folder")
            if is_svg(path) and (problems := check_svg(path)):  # check reports it too, with every line
                rel = path.relative_to(self.root).as_posix()
                raise ValueError(f"refused to read '{rel}': {rel}:{problems[0].line}: {problems[0].message}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {}, 200)

    return ProjectFetcher()


def font_config():
    """One FontConfiguration per process (costly to create, reused for every document)."""
    if "fonts" not in _state:
        from multiprocessing.util import Finalize

        from weasyprint.text.fonts import FontConfiguration

        _state["fonts"] = FontConfiguration()
        # Its temporary font folder is removed only when it is garbage-collected, which a cached object in a
        # process that exits is not: remove it at exit (this runs in pool workers too, unlike atexit).
        Finalize(None, _remove_font_folder, exitpriority=10)
    return _state["fonts"]


def _remove_font_folder() -> None:
    """At exit: remove the fonts' folder and let go of WeasyPrint's font objects while GLib is still there.

    Why: left to the interpreter's last clean-up, Pango's font map is released after the libraries it needs
    and the process crashes (exit 139) after a successful build that rendered in its own process.
    """
    import gc
    import shutil

    folder = getattr(_state.get("fonts"), "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    _state.clear()
    gc.collect()


def stylesheet(path: Path, root: Path):
    """Parsed CSS, cached per process by path and modification time."""
    from weasyprint import CSS

    key = ("css", str(path), path.stat().st_mtime_ns)
    if key not in _state:
        _state[key] = CSS(filename=str(path), font_config=font_config(), url_fetcher=project_fetcher(root))
    return _state[key]


def _dump_for_bench(html: str, base: Path, stylesheets, title: str, written: bool) -> None:
    """With CONNECTIONS_BENCH_DUMP set, keep each document's HTML so bench/ can time bare WeasyPrint on it.

    ``written`` is False for a document only laid out (to count its pages): bare WeasyPrint then lays it
    out too, without writing a PDF, so the floor does the same work the build does."""
    dump = os.environ.get("CONNECTIONS_BENCH_DUMP")
    if not dump:
        return
    import hashlib
    import json

    key = hashlib.sha256(html.encode()).hexdigest()[:16]
    d = Path(dump)
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{key}.html").write_text(html, encoding="utf-8")
    meta = {"base": str(base.resolve()), "stylesheets": [str(p) for p in stylesheets], "title": title,
            "written": written}
    (d / f"{key}.json").write_text(json.dumps(meta), encoding="utf-8")


def render_pdf(html: str, *, base: Path, root: Path, stylesheets: Sequence[Path] = (), title: str = "",
               lang: str = "en", source_date: str | None = None, pdf_ua: bool = True,
               sources: Sequence[Path] = ()) -> bytes:
    """HTML to PDF bytes; WeasyPrint warnings (missing glyph, missing alt or lang, refused URL) fail the build.

    ``source_date`` (ISO date) fixes the document dates so the same inputs give byte-identical PDFs.
    When a stylesheet declares ``@font-face`` fonts (templates/pdf/fonts.css), every character must be
    in one of them and no other font may be embedded: a missing glyph fails naming the text, and
    ``sources`` (the content files the HTML came from) turn that into ``path:line``.
    """
    out = render_pdf_pages(html, base=base, root=root, stylesheets=stylesheets, title=title, lang=lang,
                           source_date=source_date, pdf_ua=pdf_ua, sources=sources)
    assert out.data is not None
    return out.data


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF (None when it had more than ``max_pages``), its page count and how full its last page is."""

    data: bytes | None
    pages: int
    last_page_fill: float  # 0 to 1: the share of the last page's height that holds content
    anchors: dict[str, int] = field(default_factory=dict)  # id -> 0-based page where it first appears
    # With ``keep``: each page's share of its height that content fills at least (above 1: overflow), empty
    # when unknown, and the height of a page's content area (mm).
    page_fills: tuple[float, ...] = ()
    page_mm: float = 0.0
    # With ``keep``, a layout not written: writes it as it is laid out (the same bytes as laying it out again).
    write: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


def _last_page_fill(doc) -> float:
    page = doc.pages[-1]._page_box
    root = page.children[0] if page.children else None
    if root is None or not page.height:
        return 0.0
    return min(1.0, max(0.0, root.margin_height() / page.height))


class _Unmeasurable(Exception):
    """A page whose fill is no bound of what it holds (a box moved off its place, or decorations repeated)."""


def _content_bottom(box) -> float:  # noqa: ANN001
    """The lowest border edge of a box's in-flow content, never more (a box split over pages stretches to
    the page's foot, so it is measured by what it holds; a bottom margin or padding is left out)."""
    from weasyprint.formatting_structure import boxes

    if box.style["position"] == "relative" or box.style["box_decoration_break"] == "clone":
        raise _Unmeasurable
    if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox) and box.children:
        inner = [_content_bottom(c) for c in box.children
                 if not (c.is_absolutely_positioned() or c.is_running())]
        return max(inner, default=box.content_box_y())
    return box.border_box_y() + box.border_height()


def _page_fills(doc, html: str) -> tuple[float, ...]:  # noqa: ANN001
    """Each page's share of its content area that content fills, at least: a bound on how much a layout
    holds (the waste at a page's foot left out). The last page, whose root box is not split, is measured by
    that box. Empty with table headers or footers, repeated on each page."""
    if "<thead" in html or "<tfoot" in html:
        return ()
    fills = []
    for i, p in enumerate(doc.pages):
        page = p._page_box
        root = page.children[0] if page.children else None
        if root is None or not page.height:
            fills.append(0.0)
            continue
        try:
            bottom = _content_bottom(root)
        except _Unmeasurable:
            return ()
        if i == len(doc.pages) - 1:
            fills.append(max(0.0, root.margin_height() / page.height))
        else:
            fills.append(max(0.0, (bottom - page.content_box_y()) / page.height))
    return tuple(fills)


@contextmanager
def _weasyprint_run(source_date: str | None) -> Iterator[Collect]:
    """WeasyPrint's warnings collected, and the document dates fixed, while it lays out or writes."""
    log = logging.getLogger("weasyprint")
    cap = Collect()
    log.addHandler(cap)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if source_date:
        import datetime as dt

        d = dt.datetime.fromisoformat(str(source_date)).replace(tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(d.timestamp()))
    try:
        yield cap
    finally:
        log.removeHandler(cap)
        if source_date:
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old


def _raise_if_warned(cap: Collect, html: str, root: Path, sources: Sequence[Path], title: str) -> None:
    if cap.messages:
        messages = [notdef_problem(r, html, root, sources, title) or r for r in dict.fromkeys(cap.messages)]
        raise UserError(f"PDF '{title}' was not written: " + "; ".join(messages))


def render_pdf_pages(html: str, *, base: Path, root: Path, stylesheets: Sequence[Path] = (), title: str = "",
                     lang: str = "en", source_date: str | None = None, pdf_ua: bool = True,
                     sources: Sequence[Path] = (), max_pages: int | None = None, keep: bool = False) -> Rendered:
    """Like render_pdf, with the page count; with ``max_pages``, a longer layout is not written (data None).

    Why: a product with a page budget (a one-sheet handout) can try a tighter layout without paying
    for writing a PDF it will throw away. With ``keep``, a layout not written keeps its document, and
    ``Rendered.write`` writes it later: a layout chosen after trying others is not laid out twice; and
    ``page_fills`` say how full each page is, so that a layout sure not to fit need not be tried.
    """
    import weasyprint

    faces = declared_fonts(stylesheets)
    if faces:
        check_glyphs(html, faces, title, root, sources)

    options: dict[str, object] = {"pdf_variant": "pdf/ua-1"} if pdf_ua else {}
    options |= {"uncompressed_pdf": False, "custom_metadata": False}

    def write(doc) -> bytes:  # noqa: ANN001
        data = doc.write_pdf(**options)
        if pdf_ua and needs_fix(html):
            data = fix_table_headers(data)  # WeasyPrint's /Headers are wrong under a header spanning rows
        return data

    def check_fonts(doc) -> None:  # noqa: ANN001
        if faces:
            used: dict[str, set[str]] = {}
            for f in doc.fonts.values():
                used.setdefault(f.family, set()).update("".join(f.to_unicode.values()))
            check_bundled_fonts_used(used, faces, title)

    with _weasyprint_run(source_date) as cap:
        page = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=project_fetcher(root))
        css = [stylesheet(p, root) for p in stylesheets]
        doc = page.render(stylesheets=css, font_config=font_config(), **options)
        pages, fill = len(doc.pages), _last_page_fill(doc)
        fills = _page_fills(doc, html) if keep else ()
        page_mm = doc.pages[0]._page_box.height * 25.4 / 96 if doc.pages else 0.0
        anchors: dict[str, int] = {}
        for i, p in enumerate(doc.pages):
            for name in p.anchors:
                anchors.setdefault(name, i)
        data = None if max_pages is not None and pages > max_pages else write(doc)
        _dump_for_bench(html, base, stylesheets, title, written=data is not None)
    _raise_if_warned(cap, html, root, sources, title)
    check_fonts(doc)
    if data is not None or not keep:
        return Rendered(data, pages, fill, anchors, fills, page_mm)

    def write_later() -> bytes:
        with _weasyprint_run(source_date) as cap:
            data = write(doc)
            _dump_for_bench(html, base, stylesheets, title, written=True)
        _raise_if_warned(cap, html, root, sources, title)
        check_fonts(doc)
        return data

    return Rendered(data, pages, fill, anchors, fills, page_mm, write_later)
