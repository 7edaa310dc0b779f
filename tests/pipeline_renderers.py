"""Tiny renderers for pipeline tests: they copy their input, or fail on demand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connections.errors import UserError
from connections.pipeline import Target, write_atomic


def copy_upper(target: Target, root: Path) -> None:
    text = b"".join(p.read_bytes() for p in target.inputs)
    if b"FAIL" in text:
        raise UserError(f"{target.inputs[0].name}:1: this input asks to fail")
    write_atomic(target.output, text.upper())


@dataclass(frozen=True)
class Paper:
    paper: str
