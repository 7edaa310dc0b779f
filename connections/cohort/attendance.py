"""The `attendance` output kind: a cohort's attendance and sign-in sheets."""

from __future__ import annotations

from .targets import attendance_targets as collect

__all__ = ["collect"]
