"""The cohort file: sessions worked out from the first date and the holidays, mistakes named by line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from connections.cohort.config import load_cohort, session_dates
from connections.errors import Problems, UserError
from connections.project import Project
from tests.conftest import MINIMAL, copy_project, run_cli

GOOD = """\
id: test-group
variant: fr
facilitators: [Facilitator One]
location: Test Centre
first_session: 2027-03-02
start_time: 18:30
skip:
  - 2027-03-16
blank_rows: 10
"""


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", MINIMAL)


def _write(proj: Path, text: str) -> Path:
    f = proj / "cohorts" / "c" / "cohort.yml"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(text, encoding="utf-8")
    return f


def _error(proj: Path, text: str) -> str:
    with pytest.raises(UserError) as exc:
        load_cohort(_write(proj, text), Project.at(proj))
    return str(exc.value)


def test_sessions_skip_holidays_and_keep_local_time(proj: Path) -> None:
    c = load_cohort(_write(proj, GOOD), Project.at(proj))
    days = [s.date for s in c.sessions]
    assert len(days) == 6 and dt.date(2027, 3, 16) not in days
    assert days[:3] == [dt.date(2027, 3, 2), dt.date(2027, 3, 9), dt.date(2027, 3, 23)]
    assert days[-1] == dt.date(2027, 4, 13)
    # 18:30 written without quotes (YAML reads it as 1110 minutes) is still 18:30, local time on both sides of DST
    assert {s.start.strftime("%H:%M") for s in c.sessions} == {"18:30"}
    assert c.sessions[0].start.utcoffset() == dt.timedelta(hours=-5)
    assert c.sessions[2].start.utcoffset() == dt.timedelta(hours=-4)
    assert c.sessions[0].end - c.sessions[0].start == dt.timedelta(minutes=120)
    assert (c.locale, c.privacy, c.threshold, c.paper) == ("fr_CA", "initials", 5, "letter")


def test_every_two_weeks() -> None:
    assert session_dates(dt.date(2027, 1, 5), 14, {dt.date(2027, 1, 19)}, 3) == [
        dt.date(2027, 1, 5), dt.date(2027, 2, 2), dt.date(2027, 2, 16)]


def test_mistakes_are_all_reported_with_their_lines(proj: Path) -> None:
    text = _error(proj, GOOD.replace("test-group", "Test Group").replace("variant: fr", "variant: de")
                  .replace("2027-03-16", "2027-03-17").replace("blank_rows: 10", "blank_rows: 10\n"
                  "timezone: Canada/Atlantis\nprivacy: secret\nthreshold: 9\nroster: nobody.csv"))
    assert "cohorts/c/cohort.yml:1: the id 'Test Group'" in text
    assert "cohort.yml:2: no variant 'de'; expected one of: en, fr" in text
    assert "cohort.yml:8: skipped date 2027-03-17 is not a session day" in text
    assert "cohort.yml:10: unknown time zone 'Canada/Atlantis'" in text
    assert "cohort.yml:11: privacy should be one of full, initials, codes" in text
    assert ("cohort.yml:12: field 'threshold' should be a whole number from 1 to 6 (sessions needed for a "
            "certificate, 1 to 6), not 9") in text
    assert "cohort.yml:13: roster file 'nobody.csv' not found" in text
    assert "Nothing was written" in text


def test_wrong_types_and_unknown_fields(proj: Path) -> None:
    text = _error(proj, GOOD.replace("first_session: 2027-03-02", "first_session: March 2")
                  .replace("start_time: 18:30", "start_time: soon\ncolour: blue"))
    assert "cohort.yml:5: field 'first_session' should be a date written YYYY-MM-DD" in text
    assert ("cohort.yml:6: start_time 'soon' is not a clock time; write it as \"HH:MM\" in quotes, from \"00:00\" "
            'to "23:59", e.g. start_time: "18:00"') in text
    assert "cohort.yml:7: unknown field 'colour'" in text


def test_roster_or_blank_rows_is_required(proj: Path) -> None:
    text = _error(proj, GOOD.replace("blank_rows: 10\n", ""))
    assert "missing 'roster: roster.csv'" in text and "'blank_rows: N'" in text


def test_yaml_syntax_error_has_a_line(proj: Path) -> None:
    assert "cohort.yml:3: YAML syntax error" in _error(proj, "id: x\nvariant: fr\nlocation: a: b\n")


def test_the_sample_cohort_is_valid(proj: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "cohorts" / "sample"
    shutil.copytree(sample, proj / "cohorts" / "sample")
    c = load_cohort(proj / "cohorts" / "sample" / "cohort.yml", Project.at(proj))
    assert c.roster is not None and c.attendance is not None and len(c.sessions) == 6
    assert not set(c.skip) & {s.date for s in c.sessions}


def test_every_cohort_string_has_a_french_translation() -> None:
    """The cohort templates' strings are all in the French catalog, translated and not fuzzy."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    repo = Path(__file__).resolve().parents[1]
    method_map = [("**.html", "jinja2"), ("**.txt", "jinja2"), ("**.j2", "jinja2")]
    options = {"**": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    ids = {m[2] for m in extract_from_dir(str(repo / "templates" / "cohort"), method_map, options)}
    assert len(ids) > 40
    with (repo / "locales" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(i for i in ids if not (catalog.get(i) and catalog.get(i).string and not catalog.get(i).fuzzy))
    assert not missing


def test_check_reports_broken_cohort_files(proj: Path) -> None:
    from connections.checks import collect
    from connections.cohort.checks import check_cohorts

    _write(proj, GOOD.replace("blank_rows: 10", "roster: r.csv"))
    (proj / "cohorts" / "c" / "r.csv").write_text("name\nAda Example\nAda Example\n", encoding="utf-8")
    bundle, _ = collect(proj)
    problems = Problems(proj)
    check_cohorts(bundle, problems)
    assert [str(p) for p in problems.errors] == [
        "cohorts/c/r.csv:3: row 3 repeats the name of row 2; delete the duplicate, or give two different people "
        "different codes in a 'code' column"]


@pytest.mark.parametrize(("change", "expected"), [
    ("timezone: America", "cohorts/c/cohort.yml:10: unknown time zone 'America'; use a name such as America/Toronto, "
     "America/Winnipeg, America/Edmonton, America/Vancouver, America/Halifax or America/St_Johns"),
    ('timezone: "America/\\0Toronto"', "cohorts/c/cohort.yml:10: unknown time zone 'America/\\x00Toronto'; use a "
     "name such as America/Toronto, America/Winnipeg, America/Edmonton, America/Vancouver, America/Halifax or "
     "America/St_Johns"),
    ('attendance: "record\\0.csv"', "cohorts/c/cohort.yml:10: attendance record name 'record\\x00.csv' holds a NUL "
     "character (\\0), which no file name can hold; write the name of an existing file (relative to this one)"),
    ("attendance: " + "a" * 300 + ".csv", "cohorts/c/cohort.yml:10: attendance record name '" + "a" * 300 + ".csv' "
     "has a name part of 304 bytes; file systems allow at most 255; write the name of an existing file (relative to "
     "this one)"),
    ("duration: 1500", "cohorts/c/cohort.yml:10: field 'duration' should be a whole number of minutes from 30 to 600 "
     "(the session length, e.g. 120), not 1500"),
    ("paper: a4\npaper: letter", "cohorts/c/cohort.yml:11: duplicate key 'paper' on line 11; it was first given on "
     "line 10 — keep one"),
])
def test_impossible_values_are_errors_not_tracebacks(proj: Path, change: str, expected: str) -> None:
    text = _error(proj, GOOD + change + "\n")
    assert expected in text.splitlines()


def test_start_time_past_midnight(proj: Path) -> None:
    """Unquoted 25:00 is the number 1500 to YAML: the message shows it as the user wrote it."""
    text = _error(proj, GOOD.replace("start_time: 18:30", "start_time: 25:00"))
    assert ('cohorts/c/cohort.yml:6: start_time \'25:00\' is not a clock time; write it as "HH:MM" in quotes, from '
            '"00:00" to "23:59", e.g. start_time: "18:00"') in text.splitlines()


def test_broken_cohort_is_reported_by_check_without_traceback(proj: Path) -> None:
    _write(proj, GOOD + "timezone: America\n")
    result = run_cli("check", project=proj)
    assert result.code == 1 and "Traceback" not in result.err
    assert "cohorts/c/cohort.yml:10: unknown time zone 'America'" in result.err


def test_variant_name_with_a_nul_character(proj: Path) -> None:
    text = _error(proj, GOOD.replace("variant: fr", 'variant: "f\\0r"'))
    assert "cohorts/c/cohort.yml:2: no variant 'f\\x00r'; expected one of: en, fr" in text.splitlines()


def test_blank_and_spare_rows_are_bounded_by_the_group_size(proj: Path) -> None:
    """`blank_rows: 100000` once made the attendance sheet run for ever; the sheet holds a group, at most 40."""
    from connections.cohort.inputs import load_inputs

    f = _write(proj, GOOD.replace("blank_rows: 10", "blank_rows: 41\nspare_rows: 200"))
    with pytest.raises(UserError) as exc:
        load_inputs(Project.at(proj), f)
    assert str(exc.value).splitlines()[:2] == [
        "cohorts/c/cohort.yml:9: 'blank_rows: 41' is more rows than a group can need; write a number from 0 to "
        "40 (a group has at most 40 participants; split it into two cohorts, each with its own folder, cohort file "
        "(another id) and roster)",
        "cohorts/c/cohort.yml:10: 'spare_rows: 200' is more rows than a group can need; write a number from 0 to 40 "
        "(a group has at most 40 participants; split it into two cohorts, each with its own folder, cohort file "
        "(another id) and roster)",
    ]
    f = _write(proj, GOOD.replace("blank_rows: 10", "blank_rows: 40\nspare_rows: 40"))
    assert len(load_inputs(Project.at(proj), f).codes) == 40
