"""Which delivery files a cohort command makes, and what each is made from (for incremental builds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import references
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
    """The cohort file, its variant's variant.yml and what its weeks link to, the print templates and CSS, fonts,
    catalogs, and ``extra``; with ``help_lines`` (a document printing them) agency.yml too, else the target takes
    its other settings. The week files themselves count by what the paperwork shows of them (``shown_weeks``)."""
    project, cohort = bundle.project, inp.cohort
    linked = [f for w in _weeks(bundle, inp)  # an image in a key message, say
              for f in references.local_files(w.path, project.root, front_matter_only=True)]
    files = [cohort.path, cohort.variant.directory / "variant.yml", *linked,
             *common.shared_inputs(project, bundle.agency, help_lines),
             *common.files_under(project.templates / "delivery")]
    files += [p for p in extra if p is not None]
    return tuple(files)


def _weeks(bundle: Bundle, inp: CohortInputs) -> list:
    content = bundle.contents.get(inp.cohort.variant.id)
    return [content.weeks[n] for n in sorted(content.weeks)] if content else []


def shown_weeks(bundle: Bundle, inp: CohortInputs) -> str:
    """What run sheets, checklists, feedback forms and the report show of the weeks, as stable text: each week's
    title, agenda (part, minutes and heading), key messages and materials.

    Why not the week files: a translator who rewords an activity or a handout would otherwise remake every
    group's paperwork, which prints none of it. Anything these documents print from a week must be listed
    here, or an edit to it would leave them stale (test_delivery checks both ways)."""
    import json

    shown = [[w.number, w.title, [[a.section, a.minutes, s.heading if (s := w.sections.get(a.section)) else None]
                                  for a in w.agenda], list(w.key_messages), list(w.materials)]
             for w in _weeks(bundle, inp)]
    return json.dumps(shown, ensure_ascii=False)


def target(kind: str, inp: CohortInputs, output: Path, render: Callable[[Target, Path], None],
           params: DeliveryParams, files: tuple[Path, ...], weight: int = 1, weeks: str = "") -> Target:
    settings = () if inp.project.agency_yml in files else common.agency_settings(inp.project)
    settings += (weeks,)
    return Target(kind=kind, key=f"cohort:{inp.cohort.id}:{output.name}", output=output, render=render,
                  inputs=files, params=params, weight=weight, private=True, settings=settings)


def out_dir(opts: Options, inp: CohortInputs) -> Path:
    return opts.out / "cohorts" / inp.cohort.id
