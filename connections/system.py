"""System libraries the toolkit relies on, checked once with the exact fix to run."""

from __future__ import annotations

import ctypes.util
import sys

HARFBUZZ_HINT = ("note: HarfBuzz's subset library (libharfbuzz-subset0) is missing, so PDF font subsetting "
                 "is about 4x slower. Install it with:  sudo apt-get install libharfbuzz-subset0")
_warned = False


def has_harfbuzz_subset() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def warn_once_if_slow_subsetting() -> None:
    """Say it once per run, before rendering PDFs, so a slow build is explained."""
    global _warned
    if not _warned and not has_harfbuzz_subset():
        print(HARFBUZZ_HINT, file=sys.stderr)
    _warned = True
