#!/usr/bin/env python3
"""Connections toolkit command line. Run `python build.py --help`; the logic lives in connections/."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from connections.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(default_root=ROOT))
