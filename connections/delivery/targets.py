"""Which delivery files a cohort command makes, and what each is made from (for incremental builds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..cohort.inputs import CohortInputs, load_inputs
from ..context import Options
from ..pdf import common
from ..pipeline import Target
from ..validate import Bundle


@dataclass(frozen=True)
class DeliveryParams:
    """What decides one delivery document besides its input files."""

    cohort: str  # the cohort file, absolute
    paper: str | None = None


def load(bundle: Bundle, opts: Options) -> CohortInputs | None:
    """The cohort of the options (COHORT.yml, or the sample cohort in a full build unless --variant leaves it out)."""
    if opts.cohort is None:
        return None
    sample = opts.cohort == bundle.project.sample_cohort.resolve()
    if sample and not opts.cohort.is_file():
        return None
    inp = load_inputs(bundle.project, opts.cohort)
    if sample and opts.variants and inp.cohort.variant.id not in opts.variants:
        return None
    return inp


def inputs(bundle: Bundle, inp: CohortInputs, *extra: Path | None, help_lines: bool = False) -> tuple[Path, ...]:
    """The cohort file, its variant's weeks, the print templates and CSS, fonts, catalogs, and ``extra``; with
    ``help_lines`` (a document printing them) agency.yml too, else the target takes its other settings."""
    project, cohort = bundle.project, inp.cohort
    content = bundle.contents.get(cohort.variant.id)
    weeks = [content.weeks[n] for n in sorted(content.weeks)] if content else []
    files = [cohort.path, *common.module_inputs(weeks, cohort.variant, project.root),
             *common.shared_inputs(project, bundle.agency, help_lines),
             *common.files_under(project.templates / "delivery")]
    files += [p for p in extra if p is not None]
    return tuple(files)


def target(kind: str, inp: CohortInputs, output: Path, render: Callable[[Target, Path], None],
           params: DeliveryParams, files: tuple[Path, ...], weight: int = 1) -> Target:
    settings = () if inp.project.agency_yml in files else common.agency_settings(inp.project)
    return Target(kind=kind, key=f"cohort:{inp.cohort.id}:{output.name}", output=output, render=render,
                  inputs=files, params=params, weight=weight, private=True, settings=settings)


def out_dir(opts: Options, inp: CohortInputs) -> Path:
    return opts.out / "cohorts" / inp.cohort.id
