"""`build.py check`: every problem in content and configuration, each as path:line: message.

The rules themselves live in connections.rules; every build runs the same ones before it renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import Problems
from .project import Project
from .rules import run_rules
from .validate import Bundle, load_bundle


def collect(root: Path, kinds: list[str] | None = None) -> tuple[Bundle, Problems]:
    """Load the project and run the rules (those that concern ``kinds``, or all); nothing is raised."""
    project = Project.at(root)
    problems = Problems(project.root)
    bundle = load_bundle(project, problems)
    if not problems.errors:
        run_rules(bundle, problems, kinds)
    return bundle, problems


def run_checks(root: Path) -> int:
    bundle, problems = collect(root)
    for p in sorted(problems.items, key=lambda p: (p.path, p.line, p.message)):
        print(p, file=sys.stderr if p.severity == "error" else sys.stdout)
    n_err, n_warn = len(problems.errors), len(problems.warnings)
    files = sum(len(c.modules()) for c in bundle.contents.values())
    if n_err:
        print(f"check: {n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}. "
              "Fix the errors above (file:line: what is expected) and run 'python build.py check' again.",
              file=sys.stderr)
        return 1
    print(f"check: all content and configuration are valid — {len(bundle.variants)} variants, {files} files"
          + (f", {n_warn} warning{'s' * (n_warn != 1)}" if n_warn else "") + ".")
    return 0
