"""Every file the toolkit writes goes through here: atomic, mode-keeping, with clear environment errors.

Why one module: an interrupted or failed write must never leave half a file where a whole one stood,
a rewritten file keeps the permissions its owner gave it (a translator's 644 stays 644), and a full
disk or a read-only folder is the user's environment, not a bug in the toolkit — it gets a message
that names the folder and says what to do.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import UserError

_UMASK = os.umask(0)
os.umask(_UMASK)

_ENVIRONMENT = {
    errno.EACCES: "the toolkit may not write there (permission denied); choose another folder with --out "
                  "or give your user write permission on it",
    errno.EPERM: "the toolkit may not write there (operation not permitted); choose another folder with --out",
    errno.EROFS: "the folder is on a read-only disk; choose another folder with --out",
    errno.ENOSPC: "the disk is full; free some space (or choose another disk with --out) and run again",
    errno.EDQUOT: "your disk quota is used up; free some space and run again",
    errno.ENOTDIR: "a file stands where a folder is needed; move that file away or choose another folder "
                   "with --out",
    errno.EISDIR: "a folder stands where the output file goes; move that folder away or choose another folder "
                  "with --out",
    errno.ENAMETOOLONG: "the path is too long for this system; choose a shorter folder with --out",
}


def environment_error(exc: OSError, path: Path | str) -> UserError | None:
    """A UserError for an OSError that comes from the machine (permissions, space), else None."""
    what = _ENVIRONMENT.get(exc.errno or 0)
    if what is None:
        return None
    return UserError(f"{path}: cannot write: {what}.")


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a unique temporary file beside ``path`` and rename it into place.

    The file keeps its current mode, or gets the ordinary mode for a new file (mkstemp makes 0600).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise environment_error(exc, path.parent) or exc from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and (err := environment_error(exc, path)) is not None:
            raise err from None
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Text as UTF-8, line endings exactly as given."""
    write_atomic(path, text.encode("utf-8"))


def replace_dir_atomic(staging: Path, final: Path) -> None:
    """Swap a fully built folder into place; the old one stays whole until the swap."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists() and not final.is_dir():
            raise UserError(f"{final}: a file stands where the output folder goes; move it away or choose "
                            "another folder with --out.")
        old = final.with_name(f".{final.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            os.replace(final, old)
        os.replace(staging, final)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise environment_error(exc, final) or exc from None


def sha256_file(path: Path) -> bytes:
    """The SHA-256 digest of a file's bytes; ``b"<missing>"`` when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b"<missing>"


def ensure_output_folder(out: Path) -> None:
    """Fail early and clearly when the output folder cannot be one (a file, no permission, read-only)."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: --out must be a folder, but this is a file; choose a folder (it is created "
                        "if it does not exist).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_error(exc, out) or UserError(f"{out}: cannot create the output folder ({exc.strerror}); "
                                                      "choose another folder with --out.") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"{out}: cannot write: the toolkit may not write there (permission denied); choose "
                        "another folder with --out or give your user write permission on it.")
