"""Agenda items that need no body section: the break and the mothers' reunion with their children.

Their printed labels live in the templates (so Babel extracts them): "Break" and "Reunion with the children".
"""

from __future__ import annotations

BREAK = "break"
REUNION = "reunion"
BUILTIN_ITEMS: tuple[str, ...] = (BREAK, REUNION)


def is_builtin(section: str) -> bool:
    """True for an agenda entry that is timed on the agenda but has no section in the week's body."""
    return section in BUILTIN_ITEMS
