"""The site's own settings, read from the root mkdocs.yml (``extra.connections``), with friendly errors.

Why here: the generated per-variant configs inherit mkdocs.yml, and the page templates need a few of
its values before mkdocs runs (the session start time for clock times, where the quick exit shows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config_options as co
from ..errors import Problems
from ..loader import read_text
from ..validate import Bundle
from ..yamlfile import Located, YamlSyntaxError, load_yaml

QUICK_EXIT_CHOICES = ("participant", "all")

CONNECTIONS_OPTIONS: dict[str, co.Option] = {
    "start_time": co.Time(),
    "quick_exit": co.Choice(QUICK_EXIT_CHOICES, explain="participant: handout pages; all: every page"),
}


@dataclass(frozen=True)
class SiteSettings:
    start_time: dt.time
    quick_exit: str  # participant | all
    plugins: list[Any]  # the root config's plugin list, as written
    raw: dict


def _mapping_at(loc: Located, key: tuple, what: str, path: Path, problems: Problems) -> dict | None:
    """The mapping at ``key`` (an empty one when absent); None, with the problem, when it is something else."""
    value: Any = loc.data
    for k in key:
        value = value.get(k) if isinstance(value, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(path, loc.line(*key), f"'{what}' should be a set of 'key: value' lines, not {co.show(value)}; "
                     "indent them under it, e.g. 'start_time: \"18:00\"' and 'quick_exit: participant' under "
                     "'connections:', itself under 'extra:'")
        return None
    return value


def collect_settings(mkdocs_yml: Path, problems: Problems) -> SiteSettings | None:
    """Read ``extra.connections`` of the root mkdocs.yml; every problem goes to ``problems`` with its line."""
    if not mkdocs_yml.is_file():
        problems.add(mkdocs_yml, 0, "missing site configuration; copy mkdocs.yml from the toolkit into the project "
                     "folder")
        return None
    text = read_text(mkdocs_yml, problems)
    if text is None:
        return None
    try:
        loc = load_yaml(text, mkdocs=True)
    except YamlSyntaxError as exc:
        problems.add(mkdocs_yml, exc.line, exc.message)
        return None
    if not isinstance(loc.data, dict):
        problems.add(mkdocs_yml, 1, "expected a mapping of settings (site_name: …, theme: …)")
        return None
    if _mapping_at(loc, ("extra",), "extra", mkdocs_yml, problems) is None:
        return None
    conf = _mapping_at(loc, ("extra", "connections"), "extra.connections", mkdocs_yml, problems)
    if conf is None:
        return None
    ctx = co.Context(mkdocs_yml, loc, problems, problems.root)
    values = co.SubConfig(CONNECTIONS_OPTIONS, "'extra.connections' settings").run(
        conf, ctx, ("extra", "connections"), "connections")
    if values is co.INVALID or len(values) < len(conf):
        return None
    plugins = loc.data.get("plugins") or []
    return SiteSettings(values.get("start_time", dt.time(18, 0)), values.get("quick_exit", "participant"),
                        plugins if isinstance(plugins, list) else [], loc.data)


def read_settings(mkdocs_yml: Path) -> SiteSettings:
    """Read and check ``extra.connections`` of the root mkdocs.yml; a mistake raises UserError with its line."""
    problems = Problems(mkdocs_yml.parent)
    settings = collect_settings(mkdocs_yml, problems)
    problems.raise_if_errors("The site configuration has problems")
    assert settings is not None
    return settings


def check_site_settings(bundle: Bundle, problems: Problems) -> None:
    """`check`: mkdocs.yml's own settings, so a mistake there shows before `site` runs (a project without a
    site configuration is told so by `site`)."""
    if bundle.project.mkdocs_yml.is_file():
        collect_settings(bundle.project.mkdocs_yml, problems)


def clock_times(start: dt.time, minutes: list[int]) -> list[tuple[dt.time, dt.time]]:
    """Running (from, to) clock times for consecutive agenda items."""
    t = dt.datetime.combine(dt.date(2000, 1, 1), start)
    out = []
    for m in minutes:
        end = t + dt.timedelta(minutes=m)
        out.append((t.time(), end.time()))
        t = end
    return out
