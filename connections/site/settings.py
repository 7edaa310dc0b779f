"""The site's own settings, read from the root mkdocs.yml (``extra.connections``), with friendly errors.

Why here: the generated per-variant configs inherit mkdocs.yml, and the page templates need a few of
its values before mkdocs runs (the session start time for clock times, where the quick exit shows).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import UserError

QUICK_EXIT_CHOICES = ("participant", "all")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads mkdocs tags (!ENV, !!python/name:…) as nothing instead of failing."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteSettings:
    start_time: dt.time
    quick_exit: str  # participant | all
    plugins: list[Any]  # the root config's plugin list, as written
    raw: dict


def _line_of(node: yaml.Node | None, *path: str) -> int:
    """1-based line of a key path in a composed YAML document (the nearest parent when missing)."""
    line = 1
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if k.value == key:
                line, node = k.start_mark.line + 1, v
                break
        else:
            break
    return line


def read_settings(mkdocs_yml: Path) -> SiteSettings:
    """Read and check ``extra.connections`` of the root mkdocs.yml."""
    if not mkdocs_yml.is_file():
        raise UserError(f"{mkdocs_yml.name}:0: missing site configuration; copy mkdocs.yml from the toolkit "
                        "into the project folder")
    text = mkdocs_yml.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_TolerantLoader) or {}
        node = yaml.compose(text, Loader=_TolerantLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise UserError(f"{mkdocs_yml.name}:{line}: YAML syntax error: {exc.problem}") from None
    if not isinstance(data, dict):
        raise UserError(f"{mkdocs_yml.name}:1: expected a mapping of settings (site_name: …, theme: …)")
    extra = data.get("extra") or {}
    conf = (extra.get("connections") or {}) if isinstance(extra, dict) else {}
    start = str(conf.get("start_time", "18:00"))
    m = TIME_RE.match(start)
    if not m:
        line = _line_of(node, "extra", "connections", "start_time")
        raise UserError(f"{mkdocs_yml.name}:{line}: start_time '{start}' is not a clock time; "
                        'write it as HH:MM in quotes, e.g. start_time: "18:00"')
    quick = str(conf.get("quick_exit", "participant"))
    if quick not in QUICK_EXIT_CHOICES:
        line = _line_of(node, "extra", "connections", "quick_exit")
        raise UserError(f"{mkdocs_yml.name}:{line}: quick_exit '{quick}' is not known; expected one of "
                        f"{', '.join(QUICK_EXIT_CHOICES)} (participant: handout pages; all: every page)")
    plugins = data.get("plugins") or []
    return SiteSettings(dt.time(int(m[1]), int(m[2])), quick, plugins if isinstance(plugins, list) else [], data)


def clock_times(start: dt.time, minutes: list[int]) -> list[tuple[dt.time, dt.time]]:
    """Running (from, to) clock times for consecutive agenda items."""
    t = dt.datetime.combine(dt.date(2000, 1, 1), start)
    out = []
    for m in minutes:
        end = t + dt.timedelta(minutes=m)
        out.append((t.time(), end.time()))
        t = end
    return out
