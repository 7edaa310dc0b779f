"""What every cohort renderer shares: the Jinja environment, the translated texts, and a target's inputs.

Why a module of its own: render.py (the PDFs), summary.py (the CSVs) and calendar.py (the .ics) all
need these; kept here, render.py can use summary.py without summary.py importing render.py back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..i18n import make_env
from ..pipeline import Target
from ..project import Project
from .config import Cohort
from .inputs import CohortInputs, load_inputs


def css_string(text: str) -> Markup:
    """A CSS string literal from a translated text, safe inside <style>."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return Markup(f'"{s}"')


def page_counter(pattern: str) -> Markup:
    """'Page {page} of {pages}' -> CSS content: "Page " counter(page) " of " counter(pages)."""
    parts = re.split(r"(\{pages?\})", str(pattern))
    out = [f"counter({p[1:-1]})" if p in ("{page}", "{pages}") else str(css_string(p)) for p in parts if p]
    return Markup(" ".join(out))


def environment(project: Project, cohort: Cohort) -> jinja2.Environment:
    env = make_env(project.templates, project.locales, cohort.locale)
    env.globals.update(css_string=css_string, page_counter=page_counter)
    return env


def texts(inp: CohortInputs) -> Any:
    """Strings used outside the HTML templates (program name, calendar titles, CSV headings), translated."""
    return environment(inp.project, inp.cohort).get_template("cohort/texts.txt").module


def load_target(target: Target, root: Path) -> CohortInputs:
    """The inputs of one cohort output, loaded again in the worker that renders it."""
    params = target.params
    return load_inputs(Project.at(root), Path(params.cohort), Path(params.attendance) if params.attendance else None,
                       params.threshold, need_record=params.record)
