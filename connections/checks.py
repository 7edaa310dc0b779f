"""`build.py check`: every problem in content and configuration, each as path:line: message."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import Problems
from .project import Project
from .validate import Bundle, load_bundle

# Extra checks that need the loaded bundle (translation parity, glossary, catalogs, cohorts) register here.
# Each entry is "module:function", called as function(bundle, problems).
EXTRA_CHECKS: list[str] = []
EXTRA_CHECKS += ["connections.translation.parity:check_parity", "connections.translation.glossary:check_glossary",
                 "connections.translation.typography:check_typography", "connections.catalogs:check_catalogs",
                 "connections.cohort.checks:check_cohorts"]
EXTRA_CHECKS += ["connections.discreet:check_discreet"]
EXTRA_CHECKS += ["connections.readability:check_reading_level"]


def _extra(bundle: Bundle, problems: Problems) -> None:
    import importlib

    for spec in EXTRA_CHECKS:
        module, func = spec.split(":")
        getattr(importlib.import_module(module), func)(bundle, problems)


def collect(root: Path) -> tuple[Bundle, Problems]:
    project = Project.at(root)
    problems = Problems(project.root)
    bundle = load_bundle(project, problems)
    if not problems.errors:
        _extra(bundle, problems)
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
