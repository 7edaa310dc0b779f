"""The registry of rules: every check on content and configuration, run by `check` and before every build.

Why one registry: a rule that only `check` runs lets a build print what `check` refuses (a discreet
handout with the word "violence" on it). Here each rule says which output kinds its errors stop; `check`
runs them all, and a build runs them all before anything renders and stops when an error concerns an
output it is about to make. Renderers only catch what can appear only while rendering (a missing glyph).

Loading itself (connections.validate.load_bundle) already applies the rules that the model needs to
exist at all: front matter fields, required sections, agenda sums, safety of links and HTML, agency.yml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import Problems, UserError
from .validate import Bundle

ALL: frozenset[str] = frozenset({"*"})
PRINT = frozenset({"handouts", "manual"})
CONTENT = frozenset({"site", "handouts", "manual"})
COHORT = frozenset({"attendance", "certificates", "calendar", "runsheets", "report"})


@dataclass(frozen=True)
class Rule:
    """One check: its errors stop the builds of the output kinds in ``blocks`` (``ALL``: every kind)."""

    name: str
    check: Callable[[Bundle, Problems], None]
    blocks: frozenset[str]
    doc: str

    def concerns(self, kinds: Iterable[str]) -> bool:
        return "*" in self.blocks or bool(self.blocks & set(kinds))


_WHERE = re.compile(r"^(?P<path>[^\n:]+?):(?P<line>\d+): (?P<message>.*)$", re.S)


def problems_of(exc: UserError, problems: Problems, fallback: str) -> None:
    """Move a UserError raised by older code into ``problems`` (its own problems, or its ``path:line:`` text)."""
    if exc.problems:
        problems.items.extend(exc.problems)
        return
    text = str(exc)
    m = _WHERE.match(text)
    if m:
        problems.add(m["path"], int(m["line"]), m["message"])
    else:
        problems.add(fallback, 0, text)


def _parity(bundle: Bundle, problems: Problems) -> None:
    from .translation.parity import check_parity

    check_parity(bundle, problems)


def _glossary(bundle: Bundle, problems: Problems) -> None:
    from .translation.glossary import check_glossary

    check_glossary(bundle, problems)


def _typography(bundle: Bundle, problems: Problems) -> None:
    from .translation.typography import check_typography

    check_typography(bundle, problems)


def _catalogs(bundle: Bundle, problems: Problems) -> None:
    """Catalogs out of date with the templates are errors; untranslated strings warnings."""
    from .catalogs import check_catalogs

    check_catalogs(bundle, problems)


def _cohorts(bundle: Bundle, problems: Problems) -> None:
    from .cohort.checks import check_cohorts

    check_cohorts(bundle, problems)


def _discreet(bundle: Bundle, problems: Problems) -> None:
    from .discreet import check_discreet

    check_discreet(bundle, problems)


def _svgs(bundle: Bundle, problems: Problems) -> None:
    """Every SVG under content/ and an SVG logo: plain drawings, nothing fetched, nothing run."""
    from .safety import check_project_svgs

    check_project_svgs(bundle, problems)


def _forms_discreet(bundle: Bundle, problems: Problems) -> None:
    from .delivery.check import check_forms

    check_forms(bundle, problems)


def _delivery_records(bundle: Bundle, problems: Problems) -> None:
    from .delivery.check import check_records

    check_records(bundle, problems)


def _reading_level(bundle: Bundle, problems: Problems) -> None:
    from .readability import check_reading_level

    check_reading_level(bundle, problems)


def _site_settings(bundle: Bundle, problems: Problems) -> None:
    """mkdocs.yml: the site's settings read as the site build reads them (a missing file is an error too)."""
    from .site.settings import collect_settings

    collect_settings(bundle.project.mkdocs_yml, problems)


RULES: tuple[Rule, ...] = (
    Rule("discreet", _discreet, ALL, "discreet handouts carry no word about violence or abuse"),
    Rule("svg", _svgs, ALL, "SVG images are plain drawings: no script, entity or outside reference"),
    Rule("forms-discreet", _forms_discreet, frozenset({"runsheets", "forms"}),
         "participants' forms carry no program name and no word about violence or abuse"),
    Rule("delivery-records", _delivery_records, frozenset({"report"}),
         "fidelity and feedback records named in cohort files under cohorts/"),
    Rule("site-settings", _site_settings, frozenset({"site"}), "mkdocs.yml's settings for the site"),
    Rule("catalogs", _catalogs, CONTENT | COHORT, "template catalogs are up to date with the templates"),
    Rule("parity", _parity, CONTENT, "a translation keeps its source's structure (warnings)"),
    Rule("glossary", _glossary, CONTENT, "agreed and protected terms (glossary.yml)"),
    Rule("typography", _typography, CONTENT, "French typography"),
    Rule("reading-level", _reading_level, CONTENT, "participant text in plain language (warnings)"),
    Rule("cohorts", _cohorts, COHORT, "cohort files, rosters and attendance records under cohorts/"),
)


def register(rule: Rule) -> None:
    """Add a rule (for a project's own checks or a test); it then runs in `check` and in every build."""
    global RULES
    RULES = (*RULES, rule)


def run_rules(bundle: Bundle, problems: Problems, kinds: Iterable[str] | None = None) -> list[Rule]:
    """Run the rules that concern ``kinds`` (every rule when None); return those that reported an error."""
    wanted = None if kinds is None else set(kinds)
    failed = []
    for rule in RULES:
        if wanted is not None and not rule.concerns(wanted):
            continue
        before = len(problems.errors)
        rule.check(bundle, problems)
        if len(problems.errors) > before:
            failed.append(rule)
    return failed
