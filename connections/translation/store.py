"""Snapshots of source sections, named by their hash, so `status --diff` works in a fresh clone.

``mark-current`` records a hash per section in the translation's front matter and saves the source
text it hashed as ``content/.sources/<hash>.txt``. The folder is committed with the content: when the
English changes later, the old text is still there to compare with, without any git history.
Snapshots that no translation refers to any more are removed, so the folder stays small.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..files import write_text_atomic
from ..project import Project
from .frontmatter import read_translated_from
from .tracking import normalized, text_hash

STORE = ".sources"
HASH_RE = re.compile(r"^[0-9a-f]{12}$")


def store_dir(project: Project) -> Path:
    return project.content / STORE


def snapshot_path(project: Project, digest: str) -> Path:
    return store_dir(project) / f"{digest}.txt"


def save(project: Project, text: str) -> str:
    """Store ``text`` under its hash (once) and return the hash."""
    digest = text_hash(text)
    path = snapshot_path(project, digest)
    if not path.is_file():
        write_text_atomic(path, normalized(text))
    return digest


def load(project: Project, digest: str | None) -> str | None:
    """The source text recorded under ``digest``, or None when it was never stored (or was edited by hand)."""
    if not digest or not HASH_RE.match(digest):
        return None
    path = snapshot_path(project, digest)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text_hash(text) == digest else None


def referenced(project: Project) -> set[str] | None:
    """Every hash that any file of any variant records, read from the text (valid or not).

    None when a file cannot be read: then nobody can tell which snapshots are still needed.
    """
    found: set[str] = set()
    if not project.content.is_dir():
        return found
    for md in project.content.glob("*/*.md"):
        try:
            found |= set(read_translated_from(md.read_bytes().decode("utf-8")).values())
        except (OSError, UnicodeDecodeError):
            return None
    return found


def prune(project: Project) -> int:
    """Remove snapshots no file refers to; return how many were removed."""
    d = store_dir(project)
    keep = referenced(project) if d.is_dir() else None
    if keep is None:
        return 0
    removed = 0
    for p in d.glob("*.txt"):
        if HASH_RE.match(p.stem) and p.stem not in keep:
            p.unlink()
            removed += 1
    return removed
