"""The registry of output kinds: the one list from which the command line, `all`, the summary and the docs
are made.

An output kind names what it makes and where, which options it takes, and the module that collects its
targets (``collect(bundle, opts) -> list[Target]``; each target carries its renderer as a function and
its parameters as a frozen dataclass). Adding a kind is one module with a ``collect`` function and one
line in ``KINDS``. The modules are imported only when a build needs them, so that `--help` and a no-op
build stay instant.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Options
    from .pipeline import Target
    from .validate import Bundle


@dataclass(frozen=True)
class OutputKind:
    """One kind of output."""

    name: str  # the subcommand, and the word the summary counts ("36 handouts")
    help: str
    paths: str  # where its files go, under the output folder
    module: str  # defines collect(bundle, opts) -> list[Target]
    papers: bool = False  # takes --paper
    print_options: bool = False  # takes --large-print and --discreet
    site_options: bool = False  # takes --strict
    cohort: bool = False  # takes COHORT.yml (the sample cohort in a full build)
    certificates: bool = False  # takes --attendance and --threshold
    in_all: bool = True  # part of `python build.py`

    def collect(self, bundle: Bundle, opts: Options) -> list[Target]:
        """This kind's targets for the options (an empty list when there is nothing to make)."""
        return importlib.import_module(self.module).collect(bundle, opts)  # type: ignore[no-any-return]


KINDS: tuple[OutputKind, ...] = (
    OutputKind("site", "build the facilitator website", "site/<variant>/", "connections.site.build",
               site_options=True),
    OutputKind("handouts", "build participant handouts", "handouts/<variant>/week-<N>-<paper>.pdf",
               "connections.pdf.handouts", papers=True, print_options=True),
    OutputKind("manual", "build the facilitator manual", "manual/<variant>/facilitator-manual-<paper>.pdf",
               "connections.pdf.manual", papers=True, print_options=True),
    OutputKind("attendance", "build a cohort's attendance and sign-in sheets",
               "cohorts/<cohort>/attendance-<paper>.pdf", "connections.cohort.attendance", papers=True, cohort=True),
    OutputKind("certificates", "build completion certificates and an attendance summary",
               "cohorts/<cohort>/certificates.pdf", "connections.cohort.certificates", cohort=True,
               certificates=True),
    OutputKind("calendar", "build a cohort's session calendar", "cohorts/<cohort>/sessions.ics",
               "connections.cohort.calendar", cohort=True),
    OutputKind("runsheets", "build a cohort's session run sheets, fidelity checklists and feedback forms",
               "cohorts/<cohort>/runsheets-<paper>.pdf", "connections.delivery.runsheets", papers=True, cohort=True),
    OutputKind("report", "build a cohort's delivery report (PDF and CSV) from its records",
               "cohorts/<cohort>/report.pdf", "connections.delivery.report", cohort=True),
    OutputKind("forms", "build the intake conversation guide and the planning worksheet",
               "forms/<variant>/<form>-<paper>.pdf", "connections.delivery.forms", papers=True, print_options=True),
)


def kind(name: str) -> OutputKind:
    return next(k for k in KINDS if k.name == name)


def names() -> list[str]:
    return [k.name for k in KINDS]
