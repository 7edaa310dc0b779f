"""Shared per-process state: the validated bundle and options, loaded once per worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problems

if TYPE_CHECKING:  # loading the project is costly; a no-op build answered from its stamp never needs it
    from .validate import Bundle

PAPERS = ("letter", "a4")

_cache: dict[tuple[Path, tuple], Bundle] = {}


@dataclass(frozen=True)
class Options:
    """The options of a build command, typed and with every path resolved at the command line."""

    out: Path
    variants: tuple[str, ...] = ()  # empty: every variant
    papers: tuple[str, ...] = PAPERS
    force: bool = False
    quiet: bool = False
    jobs: int | None = None
    large_print: bool = False
    discreet: bool = False
    # Every print variation the sessions use: standard, discreet and large-print handouts, the regular and the
    # large-print manual. Set by `all` (the default build) when neither --large-print nor --discreet is given.
    print_set: bool = False
    strict: bool = False
    cohort: Path | None = None  # COHORT.yml of the cohort commands (the sample cohort in a full build)
    attendance: Path | None = None  # certificates: the attendance record
    threshold: int | None = None  # certificates: sessions needed

    def key(self) -> dict[str, object]:
        """What decides the outputs (not --quiet, --jobs or --force), for the no-op stamp."""
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()
                if k not in {"quiet", "jobs", "force"}}


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
