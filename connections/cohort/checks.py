"""`build.py check` for cohorts: every cohorts/*/cohort.yml, its roster and attendance record, checked
without printing anything — so a broken sample or a typo in a cohort file shows up before printing day.

Register with ``EXTRA_CHECKS += ["connections.cohort.checks:check_cohorts"]`` in connections/checks.py.
"""

from __future__ import annotations

from ..errors import Problems, UserError
from ..validate import Bundle
from .inputs import load_inputs
from .redact import CohortInternalError


def check_cohorts(bundle: Bundle, problems: Problems) -> None:
    """Add each cohort file's problems (file and line or row, never a name) to ``problems``."""
    folder = bundle.project.root / "cohorts"
    for path in sorted(folder.glob("*/cohort.yml")) if folder.is_dir() else []:
        try:
            load_inputs(bundle.project, path, need_record=None)
        except UserError as exc:
            if exc.problems:
                problems.items.extend(exc.problems)
            else:
                problems.add(path, 0, str(exc).split(": ", 1)[-1])
        except CohortInternalError as exc:  # a bug: reported with its place, never with roster text
            problems.add(path, 0, f"internal error in the toolkit ({exc}) while checking this cohort; please "
                         "report it with this message")
