"""The `certificates` output kind: completion certificates and the attendance summary."""

from __future__ import annotations

from .targets import certificate_targets as collect

__all__ = ["collect"]
