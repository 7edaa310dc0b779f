"""The command line as a user meets it: help, exit codes, no tracebacks."""

from __future__ import annotations

import pytest

from tests.conftest import run_build

COMMANDS = ["site", "handouts", "manual", "attendance", "certificates", "calendar", "check", "status",
            "mark-current", "serve"]


def test_top_level_help_lists_every_command() -> None:
    result = run_build("--help")
    assert result.code == 0
    for name in COMMANDS:
        assert name in result.out


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help(name: str) -> None:
    result = run_build(name, "--help")
    assert result.code == 0
    assert "usage: python build.py" in result.out


def test_unknown_variant_is_a_user_error(minimal) -> None:
    result = run_build("handouts", "--variant", "de", project=minimal)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "content/de: no such variant 'de'; expected one of: en, fr" in result.err


def test_bad_paper_is_refused() -> None:
    result = run_build("handouts", "--paper", "legal")
    assert result.code == 2
    assert "invalid choice: 'legal'" in result.err

