"""Which files each cohort command makes, and what each is made from (for incremental builds).

Every output goes to ``<out>/cohorts/<cohort id>/`` and nowhere else: rosters and attendance
records are private, so nothing from them reaches the site, the build log or another folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..context import Options
from ..pdf.common import agency_settings
from ..pipeline import Target
from ..validate import Bundle
from .inputs import CohortInputs, load_inputs


@dataclass(frozen=True)
class CohortParams:
    """What decides one cohort document besides its input files."""

    cohort: str  # the cohort file, absolute
    paper: str | None = None
    attendance: str | None = None  # the attendance record, absolute
    threshold: int | None = None
    record: bool | None = False  # True: the record is needed; None: read when the cohort file names one
    weeks: tuple[str, ...] = ()  # week titles, for the calendar


def cohort_dir(opts: Options, inp: CohortInputs) -> Path:
    return opts.out / "cohorts" / inp.cohort.id


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _inputs(inp: CohortInputs, record: Path | None = None) -> tuple[Path, ...]:
    """Every file whose bytes change a cohort document (a missing optional file counts as 'missing')."""
    project, cohort = inp.project, inp.cohort
    files = [cohort.path, cohort.variant.directory / "variant.yml", project.templates / "pdf" / "fonts.css"]
    # not agency.yml as a whole: its settings but the help lines (no cohort document prints a help line)
    if cohort.roster:
        files.append(cohort.roster)
    if record:
        files.append(record)
    if inp.logo:
        files.append(inp.logo)
    files += _files(project.templates / "cohort") + _files(project.fonts) + _files(project.locales)
    return tuple(files)


def _week_titles(bundle: Bundle, inp: CohortInputs) -> tuple[str, ...]:
    content = bundle.contents.get(inp.cohort.variant.id)
    weeks = content.weeks if content else {}
    return tuple(weeks[n].title if n in weeks else "" for n in range(1, len(inp.cohort.sessions) + 1))


def _target(kind: str, inp: CohortInputs, output: Path, render: Callable[[Target, Path], None],
            params: CohortParams, weight: int = 1, record: Path | None = None) -> Target:
    return Target(kind=kind, key=f"cohort:{inp.cohort.id}:{output.name}", output=output, render=render,
                  inputs=_inputs(inp, record), params=params, weight=weight, private=True,
                  settings=agency_settings(inp.project))


def _in_build(bundle: Bundle, opts: Options, inp: CohortInputs, sample: bool) -> bool:
    """The sample cohort of a full build is left out when its variant is (``--variant``)."""
    return not (sample and opts.variants and inp.cohort.variant.id not in opts.variants)


def _load(bundle: Bundle, opts: Options, *, need_record: bool | None = False) -> tuple[CohortInputs, bool] | None:
    """The cohort of the options: COHORT.yml of a cohort command, or the sample cohort in a full build."""
    if opts.cohort is None:
        return None
    sample = opts.cohort == bundle.project.sample_cohort.resolve()
    if sample and not opts.cohort.is_file():
        return None
    inp = load_inputs(bundle.project, opts.cohort, opts.attendance, opts.threshold, need_record=need_record)
    return (inp, sample) if _in_build(bundle, opts, inp, sample) else None


def attendance_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """attendance-<paper>.pdf and signin-<paper>.pdf."""
    from .render import attendance_pdf, signin_pdf

    loaded = _load(bundle, opts)
    if loaded is None:
        return []
    inp, _ = loaded
    out = cohort_dir(opts, inp)
    rows = len(inp.participants) + inp.cohort.spare_rows + inp.cohort.blank_rows
    base = CohortParams(str(inp.cohort.path))
    return [_target("attendance", inp, out / f"{name}-{paper}.pdf", render,
                    CohortParams(base.cohort, paper=paper), weight=2 + rows // 20)
            for paper in opts.papers for name, render in (("attendance", attendance_pdf), ("signin", signin_pdf))]


def certificate_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """certificates.pdf and the attendance summary (PDF and two CSV tables)."""
    from .render import certificates_pdf, summary_pdf
    from .summary import summary_csv, totals_csv

    loaded = _load(bundle, opts, need_record=None if opts.cohort == bundle.project.sample_cohort.resolve() else True)
    if loaded is None:
        return []
    inp, _ = loaded
    if inp.record is None:  # the sample cohort without a record: nothing to certify
        return []
    out = cohort_dir(opts, inp)
    params = CohortParams(str(inp.cohort.path), attendance=str(inp.record.path), threshold=inp.threshold,
                          record=True)
    made: list[tuple[str, Callable[[Target, Path], None], int]] = [
        ("certificates.pdf", certificates_pdf, 3), ("summary.pdf", summary_pdf, 1),
        ("summary.csv", summary_csv, 0), ("summary-totals.csv", totals_csv, 0)]
    return [_target("certificates", inp, out / name, render, params, weight, record=inp.record.path)
            for name, render, weight in made]


def calendar_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """sessions.ics."""
    from .calendar import sessions_ics

    loaded = _load(bundle, opts)
    if loaded is None:
        return []
    inp, _ = loaded
    params = CohortParams(str(inp.cohort.path), weeks=_week_titles(bundle, inp))
    return [_target("calendar", inp, cohort_dir(opts, inp) / "sessions.ics", sessions_ics, params)]
