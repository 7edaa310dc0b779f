"""Unexpected errors in cohort code, stripped of their text before anyone sees them.

Why: an exception's message can quote the value it choked on — a cell of the roster, that is a
participant's name. A user's mistake (UserError) already names rows only and passes unchanged.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from ..errors import UserError

P = ParamSpec("P")
R = TypeVar("R")


class CohortInternalError(Exception):
    """A bug in cohort code, described by its kind and place only."""


def redacted(exc: BaseException) -> CohortInternalError:
    """An unexpected error reduced to its type and where it happened."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return CohortInternalError(f"{type(exc).__name__}{where}")


def private_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: a UserError passes as it is, any other error loses its message (and its chained causes)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (UserError, CohortInternalError):
            raise
        except Exception as exc:
            raise redacted(exc) from None

    return wrapper
