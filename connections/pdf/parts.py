"""A cache of rendered document parts, keyed by the hash of everything a part is made from.

Why: the facilitator manual is some seventy pages, and a translator who edits one week should wait
for that week only. The manual is rendered as parts (front matter, overview, each week,
appendices); each part's PDF is kept under ``dist/.cache/`` by the hash of its HTML and of what
its HTML does not show (stylesheets, fonts, images, the toolkit's code), so an unchanged part is
reused as it is. Entries are written atomically (PDF first, then its record), so a build stopped
part-way leaves only whole entries behind; entries a build did not use are removed after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import write_atomic
from .engine import Rendered


@dataclass(frozen=True)
class Part:
    """A rendered part: its PDF (None when only laid out), page count and where each id first appears."""

    data: bytes | None
    pages: int
    anchors: dict[str, int]


@dataclass
class PartCache:
    """Rendered parts of one output in ``folder``; ``fresh`` (--force) ignores what is there."""

    folder: Path
    salt: str
    fresh: bool = False
    root: Path | None = None  # the project: paths inside it count by their place in it
    used: set[str] = field(default_factory=set)
    made: dict[str, Part] = field(default_factory=dict)  # rendered by this build: reused by its later passes
    hits: int = 0
    misses: int = 0

    def key(self, html: str, layout_only: bool) -> str:
        from ..pipeline import portable_paths

        h = hashlib.sha256(self.salt.encode())
        h.update(b"layout" if layout_only else b"pdf")
        h.update(portable_paths(self.root)(html).encode("utf-8"))  # a moved project keeps its parts
        return h.hexdigest()[:32]

    def get(self, html: str, render: Callable[[bool], Rendered], layout_only: bool = False) -> Part:
        """The cached part for ``html``, or ``render(layout_only)`` stored for next time."""
        key = self.key(html, layout_only)
        self.used.add(key)
        record, pdf = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if key in self.made:  # a later pagination pass, the part unchanged (with --force too: made just now)
            self.hits += 1
            return self.made[key]
        if not self.fresh:
            try:
                meta = json.loads(record.read_text(encoding="utf-8"))
                data = None if layout_only else pdf.read_bytes()
                if data is not None and not _whole(data):
                    raise ValueError("cut short")  # a disk that filled up, a copy stopped half-way
                self.hits += 1
                return Part(data, int(meta["pages"]), {str(k): int(v) for k, v in meta["anchors"].items()})
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # not there, or not whole: render it
        self.misses += 1
        out = render(layout_only)
        if not layout_only:
            assert out.data is not None
            write_atomic(pdf, out.data)
        write_atomic(record, json.dumps({"pages": out.pages, "anchors": out.anchors}, sort_keys=True).encode())
        self.made[key] = Part(out.data, out.pages, dict(out.anchors))
        return self.made[key]

    def prune(self) -> None:
        """Remove entries this build did not use, so the cache holds one manual's worth per output."""
        if not self.folder.is_dir():
            return
        for p in self.folder.iterdir():
            if p.suffix in {".json", ".pdf"} and p.stem not in self.used:
                p.unlink(missing_ok=True)
            elif p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)


def _whole(data: bytes) -> bool:
    """A PDF that was written to its end (the atomic write makes anything else someone else's doing)."""
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def salt(code: str, files: list[Path], root: Path | None = None) -> str:
    """What a part's HTML does not show: the toolkit's code, WeasyPrint's version, and these files' bytes."""
    import weasyprint

    from ..pipeline import portable_paths

    portable = portable_paths(root)
    h = hashlib.sha256(code.encode())
    h.update(weasyprint.__version__.encode())
    for p in sorted(set(files)):
        h.update(portable(str(p)).encode())
        try:
            h.update(hashlib.sha256(p.read_bytes()).digest())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()
