"""Which files each cohort command makes, and what each is made from (for incremental builds).

Every output goes to ``<out>/cohorts/<cohort id>/`` and nowhere else: rosters and attendance
records are private, so nothing from them reaches the site, the build log or another folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..context import Options
from ..pipeline import Target
from ..project import Project
from ..validate import Bundle
from .inputs import CohortInputs, load_inputs

PKG = "connections.cohort"


def cohort_dir(opts: Options, inp: CohortInputs) -> Path:
    return opts.out / "cohorts" / inp.cohort.id


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _inputs(inp: CohortInputs, record: Path | None = None) -> tuple[Path, ...]:
    """Every file whose bytes change a cohort document (a missing optional file counts as 'missing')."""
    project, cohort = inp.project, inp.cohort
    files = [cohort.path, cohort.variant.directory / "variant.yml", project.agency_yml,
             project.templates / "pdf" / "fonts.css"]
    if cohort.roster:
        files.append(cohort.roster)
    if record:
        files.append(record)
    files += _files(project.templates / "cohort") + _files(project.fonts) + _files(project.locales)
    return tuple(files)


def _week_titles(bundle: Bundle, inp: CohortInputs) -> tuple[str, ...]:
    content = bundle.contents.get(inp.cohort.variant.id)
    weeks = content.weeks if content else {}
    return tuple(weeks[n].title if n in weeks else "" for n in range(1, len(inp.cohort.sessions) + 1))


def _base(bundle: Bundle, inp: CohortInputs) -> list[tuple[str, object]]:
    return [("cohort", str(inp.cohort.path))]


def _attendance(bundle: Bundle, opts: Options, inp: CohortInputs) -> list[Target]:
    out = cohort_dir(opts, inp)
    targets = []
    rows = len(inp.participants) + inp.cohort.spare_rows + inp.cohort.blank_rows
    for paper in opts.papers:
        for kind in ("attendance", "signin"):
            targets.append(Target(
                key=f"cohort:{inp.cohort.id}:{kind}:{paper}",
                output=out / f"{kind}-{paper}.pdf",
                renderer=f"{PKG}.render:{kind}_pdf",
                inputs=_inputs(inp),
                params=(*_base(bundle, inp), ("paper", paper), ("weight", 2 + rows // 20)),
            ))
    return targets


def _certificates(bundle: Bundle, opts: Options, inp: CohortInputs) -> list[Target]:
    assert inp.record is not None
    out = cohort_dir(opts, inp)
    params = (*_base(bundle, inp), ("attendance", str(inp.record.path)), ("threshold", inp.threshold),
              ("record", True))
    made = [("certificates", "pdf", "render:certificates_pdf", 3), ("summary", "pdf", "render:summary_pdf", 1),
            ("summary", "csv", "summary:summary_csv", 0), ("summary-totals", "csv", "summary:totals_csv", 0)]
    return [Target(key=f"cohort:{inp.cohort.id}:{name}.{ext}", output=out / f"{name}.{ext}",
                   renderer=f"{PKG}.{renderer}", inputs=_inputs(inp, inp.record.path),
                   params=(*params, ("weight", weight)))
            for name, ext, renderer, weight in made]


def _calendar(bundle: Bundle, opts: Options, inp: CohortInputs) -> list[Target]:
    params = (*_base(bundle, inp), ("weeks", _week_titles(bundle, inp)))
    return [Target(key=f"cohort:{inp.cohort.id}:sessions.ics", output=cohort_dir(opts, inp) / "sessions.ics",
                   renderer=f"{PKG}.calendar:sessions_ics", inputs=_inputs(inp), params=params)]


def attendance_targets(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    """`build.py attendance COHORT.yml`: attendance-<paper>.pdf and signin-<paper>.pdf."""
    return _attendance(bundle, opts, load_inputs(bundle.project, Path(args.cohort)))


def certificate_targets(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    """`build.py certificates COHORT.yml [--attendance FILE] [--threshold N]`: certificates and summary."""
    inp = load_inputs(bundle.project, Path(args.cohort), getattr(args, "attendance", None),
                      getattr(args, "threshold", None), need_record=True)
    return _certificates(bundle, opts, inp)


def calendar_targets(bundle: Bundle, opts: Options, args: argparse.Namespace) -> list[Target]:
    """`build.py calendar COHORT.yml`: sessions.ics."""
    return _calendar(bundle, opts, load_inputs(bundle.project, Path(args.cohort)))


def sample_targets(bundle: Bundle, opts: Options) -> list[Target]:
    """The bundled sample cohort in the full build; nothing when the project has none or its variant is left out."""
    project: Project = bundle.project
    if not project.sample_cohort.is_file():
        return []
    inp = load_inputs(project, project.sample_cohort, need_record=None)
    if opts.variants and inp.cohort.variant.id not in opts.variants:
        return []
    targets = _attendance(bundle, opts, inp) + _calendar(bundle, opts, inp)
    if inp.record is not None:
        targets += _certificates(bundle, opts, inp)
    return targets
