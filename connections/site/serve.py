"""`python build.py serve`: the site on a local address, rebuilt and reloaded when content or templates change.

Why not plain `mkdocs serve`: the pages are generated from content/ first, so a change to a content file
must regenerate them; mkdocs' own live-reload server is reused with a builder that does both. Only the
variants whose inputs changed are rebuilt; a mistake in the content is printed and the last good site
stays on screen until it is fixed.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from ..context import bundle_for
from ..errors import UserError
from ..pipeline import code_fingerprint, fingerprint
from ..project import Project
from .build import build_variant, index_html, site_targets

log = logging.getLogger("mkdocs.connections")


def _parse_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--dev-addr '{addr}' is not an address; expected IP:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


class SiteBuilder:
    """Rebuilds, into ``site_root/<variant>/``, every variant whose inputs changed since the last build."""

    def __init__(self, root: Path, site_root: Path, staging: Path) -> None:
        self.root = root
        self.site_root = site_root
        self.staging = staging
        self.seen: dict[str, str] = {}

    def build(self) -> list[str]:
        from ..context import Options

        bundle, _ = bundle_for(self.root)
        opts = Options(out=self.site_root.parent)
        code = code_fingerprint()
        rebuilt = []
        for target in site_targets(bundle, opts):
            if not target.is_dir:
                continue
            vid = target.params.variant
            fp = fingerprint(target, code, root=self.root)
            if self.seen.get(vid) == fp:
                continue
            site = build_variant(bundle, vid, self.staging / vid)
            final = self.site_root / vid
            if final.exists():
                shutil.rmtree(final)
            shutil.move(str(site), final)
            self.seen[vid] = fp
            rebuilt.append(vid)
        (self.site_root / "index.html").write_text(index_html(bundle), encoding="utf-8")
        return rebuilt

    def __call__(self) -> None:
        """The live-reload server's builder: a content mistake is shown, never a traceback."""
        try:
            rebuilt = self.build()
            log.info("Rebuilt: %s", ", ".join(rebuilt) or "nothing changed")
        except UserError as exc:
            raise SystemExit(f"{exc}\nThe previous version stays on screen until this is fixed.") from None


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # a terminated server cleans up like Ctrl-C


def serve(root: Path, variant: str | None = None, dev_addr: str = "127.0.0.1:8000") -> int:
    from mkdocs.livereload import LiveReloadServer

    signal.signal(signal.SIGTERM, _stop)

    project = Project.at(root)
    host, port = _parse_addr(dev_addr or "127.0.0.1:8000")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mk = logging.getLogger("mkdocs")
    mk.addHandler(handler)
    mk.setLevel(logging.INFO)
    work = Path(tempfile.mkdtemp(prefix="connections-serve-"))
    site_root = work / "site"
    site_root.mkdir()
    builder = SiteBuilder(project.root, site_root, work / "staging")
    try:
        builder.build()
        bundle, _ = bundle_for(project.root)
        variant = variant or bundle.variants[0].id
        if variant not in {v.id for v in bundle.variants}:
            raise UserError(f"content/{variant}:0: no such variant '{variant}'; expected one of: "
                            + ", ".join(v.id for v in bundle.variants))
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_root), mount_path="/")
        for path in (project.content, project.templates, project.locales, project.mkdocs_yml, project.agency_yml):
            if path.exists():
                server.watch(str(path))
        print(f"Serving the site on http://{host}:{port}/{variant}/index.html — edit content/ or templates/ and "
              "the page reloads. Ctrl-C stops.", file=sys.stderr, flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
        return 0
    finally:
        mk.removeHandler(handler)
        shutil.rmtree(work, ignore_errors=True)
