"""The `runsheets` output kind: a cohort's session run sheets, fidelity checklists and feedback forms.

Why one kind: all three are made per cohort session from the same week structure and printed together
before the group meets; the fidelity checklist is the run sheet's other half (what was planned, then what
happened). Each comes with the CSV template the cohort report reads back.
"""

from __future__ import annotations

from ..context import Options
from ..pipeline import Target
from ..validate import Bundle
from .render import feedback_pdf, feedback_template, fidelity_pdf, fidelity_template, runsheets_pdf
from .targets import DeliveryParams, inputs, load, out_dir, shown_weeks, target


def collect(bundle: Bundle, opts: Options) -> list[Target]:
    inp = load(bundle, opts)
    if inp is None:
        return []
    out = out_dir(opts, inp)
    files = inputs(bundle, inp)
    with_lines = inputs(bundle, inp, help_lines=True)  # the run sheet prints the help lines
    cohort = str(inp.cohort.path)
    weeks = shown_weeks(bundle, inp)
    targets = []
    for paper in opts.papers:
        params = DeliveryParams(cohort, paper)
        targets += [target("runsheets", inp, out / f"runsheets-{paper}.pdf", runsheets_pdf, params, with_lines, 2,
                           weeks),
                    target("runsheets", inp, out / f"fidelity-{paper}.pdf", fidelity_pdf, params, files, 2, weeks),
                    target("runsheets", inp, out / f"feedback-{paper}.pdf", feedback_pdf, params, files, 2, weeks)]
    params = DeliveryParams(cohort)
    targets += [target("runsheets", inp, out / "fidelity-template.csv", fidelity_template, params, files, 0, weeks),
                target("runsheets", inp, out / "feedback-template.csv", feedback_template, params, files, 0, weeks)]
    return targets
