"""Shared per-process state: the validated bundle and options, loaded once per worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problems

if TYPE_CHECKING:  # loading the project is costly; a no-op build answered from its stamp never needs it
    from .validate import Bundle

PAPERS = ("letter", "a4")

_cache: dict[tuple[Path, tuple], Bundle] = {}


@dataclass
class Options:
    """Options common to every build command."""

    out: Path
    variants: list[str] = field(default_factory=list)  # empty: every variant
    papers: list[str] = field(default_factory=lambda: list(PAPERS))
    force: bool = False
    quiet: bool = False
    jobs: int | None = None
    large_print: bool = False
    discreet: bool = False
    strict: bool = False


def _stamp(project) -> tuple:
    files = [project.agency_yml, *sorted(project.content.rglob("*"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())


def bundle_for(root: Path, variant_ids: list[str] | None = None) -> tuple[Bundle, Problems]:
    """Load and validate the project; raise UserError listing every error. Cached while files are unchanged."""
    from .project import Project
    from .validate import load_bundle

    project = Project.at(root)
    key = (project.root, _stamp(project))
    problems = Problems(project.root)
    if key in _cache and not variant_ids:
        return _cache[key], problems
    bundle = load_bundle(project, problems, variant_ids)
    problems.raise_if_errors()
    if not variant_ids:
        _cache.clear()
        _cache[key] = bundle
    return bundle, problems


def selected_variants(bundle: Bundle, opts: Options) -> list[str]:
    return [v.id for v in bundle.variants if not opts.variants or v.id in opts.variants]
