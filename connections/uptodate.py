"""Answer "nothing to do" before loading the project, from a stamp the last complete build left.

Why: a rebuild with no change should cost no more than reading the project's files once. Loading
and validating every module, collecting targets and hashing each target's inputs takes longer
than everything else a no-op does. So after a build in which every output was built or already
up to date, the command (its arguments, the toolkit's code) and a digest of every file it could
have read are kept in ``dist/.build-stamp.json``. The next run of the same command compares them
first: same digest and every output still there → the same answer as last time, warnings included.
Any difference, in any file, falls through to the ordinary build, which decides per output.

What is hashed: every file under the project folders a build reads (content, cohorts, templates,
locales, fonts), every file at the project's top level (agency.yml, mkdocs.yml, glossary.yml…),
and any other file a target listed as an input last time (an image a module links to elsewhere in
the project, the agency logo). Adding, removing or editing any of them changes the digest.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

STAMP_FILE = ".build-stamp.json"
WATCHED = ("content", "cohorts", "templates", "locales", "fonts")
SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules"}
MAX_COMMANDS = 16  # stamps kept, one per command line (site, all, manual --paper a4 …)


@dataclass
class Stamp:
    """What one complete build of one command left behind."""

    digest: str
    outputs: list[str]
    extra: list[str] = field(default_factory=list)  # inputs outside the watched folders
    warnings: list[str] = field(default_factory=list)
    kinds: str = ""  # "8 cohort, 36 handout, 6 manual, 4 site", for the closing line


def command_key(command: str, options: dict, root: Path) -> str:
    """The command line as it decides outputs: typed options with every path resolved (a cohort file
    named the same from two folders is two commands)."""
    return json.dumps([command, str(root), options], default=str, sort_keys=True)


def _files(root: Path, extra: Iterable[str]) -> list[Path]:
    """Every file a build could read; folders reached through a symbolic link are followed (once each)."""
    out = [p for p in root.iterdir() if p.is_file()]
    for name in WATCHED:
        seen: set[str] = set()
        for folder, dirs, files in os.walk(root / name, followlinks=True):
            real = os.path.realpath(folder)
            if real in seen:  # a link back to a folder already walked
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            out += [Path(folder) / f for f in files]
    out += [Path(p) for p in extra]
    return sorted(set(out))


def digest(root: Path, code: str, extra: Iterable[str] = ()) -> str:
    """One hash over the toolkit's code and the path and bytes of every file a build could read."""
    h = hashlib.sha256(code.encode())
    for p in _files(root, extra):
        h.update(str(p).encode() + b"\0")
        try:
            h.update(hashlib.sha256(p.read_bytes()).digest())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def _load(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((out / STAMP_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def check(out: Path, key: str, root: Path, code: str) -> Stamp | None:
    """The stamp of the last complete build of this command, if nothing it read has changed since."""
    raw = _load(out).get(key)
    if not isinstance(raw, dict):
        return None
    try:
        stamp = Stamp(**raw)
    except TypeError:
        return None
    if not all(Path(p).exists() for p in stamp.outputs):
        return None
    return stamp if digest(root, code, stamp.extra) == stamp.digest else None


@dataclass(frozen=True)
class Digest:
    """The digest of what a build is about to read, taken before it renders anything."""

    value: str
    extra: list[str]


def digest_for(root: Path, code: str, inputs: Iterable[Path]) -> Digest:
    """Digest every watched file and the targets' other inputs (an image elsewhere, the agency logo)."""
    watched = [root / name for name in WATCHED]
    extra = sorted({str(p) for p in inputs
                    if p.parent != root and not any(p.is_relative_to(w) for w in watched)})
    return Digest(digest(root, code, extra), extra)


def record(out: Path, key: str, before: Digest, outputs: list[Path], warnings: list[str], kinds: str) -> None:
    """Keep this command's stamp after a build in which nothing failed, with the digest taken before it."""
    stamp = Stamp(before.value, [str(p) for p in outputs], before.extra, warnings, kinds)
    data = _load(out)
    data.pop(key, None)
    data[key] = stamp.__dict__
    while len(data) > MAX_COMMANDS:
        data.pop(next(iter(data)))
    _save(out, data)


def forget_all(out: Path) -> None:
    """Drop every command's stamp: called before a build that may write outputs.

    Why all: another command's stamp promises its outputs match the files it hashed; once this
    build writes some of those outputs from other files (an edit since reverted, say), the
    promise no longer holds, and that command must decide per output again.
    """
    if (out / STAMP_FILE).exists():
        _save(out, {})


def _save(out: Path, data: dict) -> None:
    from .files import write_atomic

    write_atomic(out / STAMP_FILE, json.dumps(data, indent=1).encode("utf-8"))
