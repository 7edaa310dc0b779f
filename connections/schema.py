"""Field rules for front matter and configuration, checked with messages a non-programmer can act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problems
from .yamlfile import Located

Checker = Callable[[Any], str | None]  # returns what was expected, or None when fine


def _is_str(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() else "a non-empty text"


def _is_int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v > 0 else "a whole number above 0"


MAX_SESSION_MINUTES = 600  # a session is a morning, an afternoon or an evening: bounds clock-time arithmetic


def _minutes(least: int) -> Checker:
    """A number of minutes from ``least`` to MAX_SESSION_MINUTES (10**12 minutes is a typo, not a session)."""
    def check(v: Any) -> str | None:
        ok = isinstance(v, int) and not isinstance(v, bool) and least <= v <= MAX_SESSION_MINUTES
        return None if ok else f"a whole number of minutes from {least} to {MAX_SESSION_MINUTES}"
    return check


def _is_str_list(v: Any) -> str | None:
    if isinstance(v, list) and v and all(isinstance(i, str) and i.strip() for i in v):
        return None
    return "a list of one or more texts (one '- item' per line)"


def _is_id_list(v: Any) -> str | None:
    if isinstance(v, list) and all(isinstance(i, str) and i for i in v):
        return None
    return "a list of section ids, e.g. [local-teachings]"


def _is_str_map(v: Any) -> str | None:
    if isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()):
        return None
    return "a mapping of section id to hash, written by 'python build.py mark-current'"


def _is_list_of_maps(v: Any) -> str | None:
    return None if isinstance(v, list) and all(isinstance(i, dict) for i in v) else "a list of entries"


@dataclass(frozen=True)
class Field:
    check: Checker
    required: bool = True
    hint: str = ""


STR = Field(_is_str)
INT = Field(_is_int)
STR_LIST = Field(_is_str_list)

WEEK_FIELDS: dict[str, Field] = {
    "week": INT,
    "title": STR,
    "duration": Field(_minutes(30), hint="the session length in minutes, e.g. 120"),
    "discreet_title": STR,
    "objectives": STR_LIST,
    "key_messages": STR_LIST,
    "participant_key_messages": Field(_is_str_list, hint="the key messages in plain words for participants, "
                                      "one per key message, in the same order"),
    "materials": STR_LIST,
    "agenda": Field(_is_list_of_maps, hint="e.g. - {section: welcome, minutes: 10}"),
    "extra_sections": Field(_is_id_list, required=False),
    "translated_from": Field(_is_str_map, required=False),
}

PROGRAM_FIELDS: dict[str, Field] = {
    "title": STR,
    "subtitle": STR,
    "extra_sections": Field(_is_id_list, required=False),
    "translated_from": Field(_is_str_map, required=False),
}

AGENDA_FIELDS: dict[str, Field] = {"section": STR, "minutes": Field(_minutes(1), hint="e.g. 10")}


def check_mapping(
    located: Located,
    value: Any,
    fields: dict[str, Field],
    path: Path,
    problems: Problems,
    where: tuple = (),
    what: str = "front matter",
) -> dict[str, Any] | None:
    """Check one mapping against ``fields``; report unknown, missing and mistyped keys. None if not a mapping."""
    if not isinstance(value, dict):
        problems.add(path, located.line(*where), f"expected the {what} to be a set of 'key: value' lines")
        return None
    known = ", ".join(fields)
    ok: dict[str, Any] = {}
    for key, v in value.items():
        line = located.line(*where, key)
        if key not in fields:
            problems.add(path, line, f"unknown field '{key}' in the {what}; expected one of: {known}")
            continue
        expected = fields[key].check(v)
        if expected:
            hint = f" ({fields[key].hint})" if fields[key].hint else ""
            problems.add(path, line, f"field '{key}' should be {expected}{hint}, not {v!r}")
            continue
        ok[key] = v
    for key, spec in fields.items():
        if spec.required and key not in value:
            hint = f" ({spec.hint})" if spec.hint else ""
            problems.add(path, located.line(*where), f"missing field '{key}' in the {what}{hint}")
    return ok
