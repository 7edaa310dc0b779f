"""`python -m connections`: the same command line as `python build.py`, for the project in the current folder."""

from .cli import entry

entry()
