"""WeasyPrint set-up shared by every PDF: loaded once per worker, fetching only files inside the project.

Why here: fonts and stylesheets are costly to load, so each worker keeps one FontConfiguration and
parsed CSS; reproducibility (fixed dates) and PDF/UA warnings-as-errors are decided in one place.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UserError

_state: dict = {}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


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
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {}, 200)

    return ProjectFetcher()


def font_config():
    """One FontConfiguration per process (costly to create, reused for every document)."""
    if "fonts" not in _state:
        from weasyprint.text.fonts import FontConfiguration

        _state["fonts"] = FontConfiguration()
    return _state["fonts"]


def stylesheet(path: Path, root: Path):
    """Parsed CSS, cached per process by path and modification time."""
    from weasyprint import CSS

    key = ("css", str(path), path.stat().st_mtime_ns)
    if key not in _state:
        _state[key] = CSS(filename=str(path), font_config=font_config(), url_fetcher=project_fetcher(root))
    return _state[key]


def _dump_for_bench(html: str, base: Path, stylesheets, title: str) -> None:
    """With CONNECTIONS_BENCH_DUMP set, keep each document's HTML so bench/ can time bare WeasyPrint on it."""
    dump = os.environ.get("CONNECTIONS_BENCH_DUMP")
    if not dump:
        return
    import hashlib
    import json

    key = hashlib.sha256(html.encode()).hexdigest()[:16]
    d = Path(dump)
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{key}.html").write_text(html, encoding="utf-8")
    meta = {"base": str(base.resolve()), "stylesheets": [str(p) for p in stylesheets], "title": title}
    (d / f"{key}.json").write_text(json.dumps(meta), encoding="utf-8")


def render_pdf(html: str, *, base: Path, root: Path, stylesheets: list[Path] = (), title: str = "",
               lang: str = "en", source_date: str | None = None, pdf_ua: bool = True) -> bytes:
    """HTML to PDF bytes; WeasyPrint warnings (missing glyph, missing alt or lang, refused URL) fail the build.

    ``source_date`` (ISO date) fixes the document dates so the same inputs give byte-identical PDFs.
    """
    import weasyprint

    log = logging.getLogger("weasyprint")
    cap = _Capture()
    log.addHandler(cap)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if source_date:
        import datetime as dt

        d = dt.datetime.fromisoformat(str(source_date)).replace(tzinfo=dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(d.timestamp()))
    _dump_for_bench(html, base, stylesheets, title)
    try:
        doc = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=project_fetcher(root))
        css = [stylesheet(p, root) for p in stylesheets]
        options = {"pdf_variant": "pdf/ua-1"} if pdf_ua else {}
        data = doc.write_pdf(stylesheets=css, font_config=font_config(), uncompressed_pdf=False,
                             custom_metadata=False, **options)
    finally:
        log.removeHandler(cap)
        if source_date:
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old
    if cap.records:
        raise UserError(f"PDF '{title}' was not written: " + "; ".join(dict.fromkeys(cap.records)))
    return data
