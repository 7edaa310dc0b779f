"""No participant's name ever reaches the console: every cohort command and `check`, on rosters and records
with distinctive names and every kind of fault, print rows and line numbers only.

Why a test of its own: a name can leak through any message path — a CSV error, the glyph check, an
internal error, a warning — and the people on these rosters live with violence.
"""

from __future__ import annotations

import logging
import shutil
import warnings
from pathlib import Path

import pytest

from connections.cli import main
from connections.errors import UserError
from tests.conftest import MINIMAL, REPO, Result, copy_project, run_build, run_cli

# Distinctive enough that any appearance in a message is a leak, not a coincidence.
NAMES = ["Zenobia", "Quillfeather", "Marisol", "Oyelaran", "Ysolde", "Vantongeren", "Thandiwe", "Okonkwo",
         "Perpetua", "Hazelgrove", "\u6f22", "\u5b57"]
SESSIONS = ",".join(f"week {n}" for n in range(1, 7))
ROSTER = "code,first_name,last_name\nP01,Zenobia,Quillfeather\nP02,Marisol,Oyelaran\nP03,Thandiwe,Okonkwo\n"
RECORD = (f"participant,{SESSIONS}\nP01,P,P,P,P,P,P\nP02,P,A,P,P,E,P\nYsolde Vantongeren,P,P,P,P,P,P\n"
          "P03,P,P,P,P,P,A\n")
COHORT = """\
id: {id}
name: Group
variant: en
facilitators: [Facilitator One]
location: {location}
first_session: 2027-03-02
start_time: "18:30"
roster: roster.csv
attendance: attendance.csv
privacy: full
revised: 2027-02-01
"""
# cohort id -> (roster, record, location, the one message every command must print)
CASES: dict[str, tuple[str, str, str, str]] = {
    "stray-quote": (ROSTER.replace("P02,Marisol", 'P02,"Marisol'), RECORD, "Room 2",
                    "cohorts/stray-quote/roster.csv:3: row 3: a quote (\") opens a cell here and is not closed on "
                    "this line, so lines 3 to 4 were read as one cell"),
    "private-use": (ROSTER.replace("Zenobia", "Zenobia\ue000"), RECORD, "Room 2",
                    "cohorts/private-use/roster.csv:2: row 2 has a character no font can print (U+E000: a "
                    "private-use character)"),
    "no-glyph": (ROSTER.replace("Thandiwe", "\u6f22\u5b57"), RECORD, "Room 2",
                 "cohorts/no-glyph/roster.csv:4: row 4 has characters no bundled font can print (2 in the name or "
                 "code)"),
    "columns": (ROSTER.replace("P03,Thandiwe,Okonkwo", "P03,Thandiwe,Okonkwo,Perpetua"), RECORD, "Room 2",
                "cohorts/columns/roster.csv:4: row 4 has 4 cells but the header has 3 columns"),
    "too-many": (ROSTER + "".join(f"X{i:02d},Perpetua,Hazelgrove-{i}\n" for i in range(38)), RECORD, "Room 2",
                 "cohorts/too-many/roster.csv:42: row 42: the roster has more than 40 rows; a group has at most 40 "
                 "participants"),
    "huge": (ROSTER + "".join(f"X{i:06d},Perpetua,Hazelgrove-{i}\n" for i in range(100_000)), RECORD, "Room 2",
             "cohorts/huge/roster.csv: the roster is 3.4 MB; a roster is at most 1 MB"),
    "many-rows": ("name\n" + "Perpetua Hazelgrove\n" * 3 + "A B\n" * 100_000, RECORD, "Room 2",
                  "cohorts/many-rows/roster.csv:42: row 42: the roster has more than 40 rows; a group has at most 40 "
                  "participants; split it into two cohorts"),
    "duplicate": (ROSTER + "P01,Perpetua,Hazelgrove\nP05,,Hazelgrove\n", RECORD, "Room 2",
                  "cohorts/duplicate/roster.csv:5: row 5 repeats the code of row 2"),
}
# Faults only the attendance record has: the roster loads, so `attendance` and `calendar` succeed.
RECORD_CASES: dict[str, tuple[str, str, str, str]] = {
    "record-quote": (ROSTER, RECORD.replace("P02,P,A", 'P02,"P,A'), "Room 2",
                     "cohorts/record-quote/attendance.csv:3: row 3: a quote (\") opens a cell here and is not closed"),
    "newcomer-private-use": (ROSTER, RECORD.replace("Ysolde", "Ysolde\U000f0000"), "Room 2",
                             "cohorts/newcomer-private-use/attendance.csv:4: row 4 has a character no font can print "
                             "(U+F0000: a private-use character)"),
    "newcomer-no-glyph": (ROSTER, RECORD.replace("Vantongeren", "\u6f22\u5b57"), "Room 2",
                          "cohorts/newcomer-no-glyph/attendance.csv:4: row 4 has characters no bundled font can "
                          "print (2 in the name or code)"),
}


def _write(proj: Path, cid: str, roster: str, record: str, location: str) -> Path:
    """A cohort under groups/, not cohorts/: builds check every cohort under cohorts/ first, and these are broken."""
    d = proj / "groups" / cid
    d.mkdir(parents=True)
    (d / "roster.csv").write_text(roster, encoding="utf-8")
    (d / "attendance.csv").write_text(record, encoding="utf-8")
    (d / "cohort.yml").write_text(COHORT.format(id=cid, location=location), encoding="utf-8")
    return d / "cohort.yml"


@pytest.fixture(scope="module")
def proj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    proj = copy_project(tmp_path_factory.mktemp("privacy") / "p", MINIMAL)
    for part in ("templates", "locales", "fonts"):
        shutil.copytree(REPO / part, proj / part)
    for cid, (roster, record, location, _) in {**CASES, **RECORD_CASES}.items():
        _write(proj, cid, roster, record, location)
    _write(proj, "valid", ROSTER, RECORD, "Room 2")
    return proj


def _leaks(text: str) -> list[str]:
    return [n for n in NAMES if n.casefold() in text.casefold()]


Console = tuple[pytest.CaptureFixture[str], pytest.LogCaptureFixture]


def _run(proj: Path, command: str, cid: str, out: Path, console: Console | None = None) -> Result:
    """One cohort command on ``cid``: in this process when given the ``console`` to read (what it prints at the
    file-descriptor level, what the libraries log and what Python warns, all checked for names), else through
    the real command line in a process of its own."""
    paper = ("--paper", "letter") if command == "attendance" else ()
    args = (command, proj / "groups" / cid / "cohort.yml", "--out", out, *paper)
    if console is None:
        r = run_build(*args, project=proj)
        said = r.out + r.err
    else:
        capfd, caplog = console
        capfd.readouterr()
        caplog.clear()
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            code = main(["--project", str(proj), *map(str, args)])
        out_text, err_text = capfd.readouterr()
        r = Result(code, out_text, err_text)
        said = "\n".join([r.out, r.err, caplog.text, *(str(w.message) for w in warned)])
    assert _leaks(said) == [], (command, cid, said)
    assert "Traceback" not in said, said
    return r


@pytest.fixture
def console(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Console:
    """What an in-process command prints, logs or warns: everything a real run could show on the console."""
    caplog.set_level(logging.DEBUG)
    return capfd, caplog


@pytest.mark.parametrize("cid", sorted(CASES))
def test_every_command_refuses_a_broken_roster_by_row(proj: Path, cid: str, tmp_path: Path, console: Console) -> None:
    message = CASES[cid][3].replace("cohorts/", "groups/", 1)
    for command in ("attendance", "certificates", "calendar"):
        r = _run(proj, command, cid, tmp_path, console)
        assert r.code == 1 and message in r.err, (command, r.err)
    assert not (tmp_path / "cohorts").exists()


@pytest.mark.parametrize("cid", sorted(RECORD_CASES))
def test_certificates_refuse_a_broken_record_by_row(proj: Path, cid: str, tmp_path: Path, console: Console) -> None:
    r = _run(proj, "certificates", cid, tmp_path, console)
    assert r.code == 1 and RECORD_CASES[cid][3].replace("cohorts/", "groups/", 1) in r.err, r.err


def test_check_reports_every_cohort_by_row_and_no_name(proj: Path, tmp_path: Path, console: Console) -> None:
    checked = shutil.copytree(proj, tmp_path / "p")
    (checked / "groups").rename(checked / "cohorts")  # where `check` looks for cohorts
    caplog = console[1]
    caplog.clear()
    with warnings.catch_warnings(record=True) as warned:  # in this process: read what is logged and warned too
        warnings.simplefilter("always")
        r = run_cli("check", project=checked)
    said = "\n".join([r.out, r.err, caplog.text, *(str(w.message) for w in warned)])
    assert r.code == 1
    assert _leaks(said) == [], said
    for cid, (*_, message) in {**CASES, **RECORD_CASES}.items():
        assert message in r.err, cid
    assert "cohorts/valid/" not in r.err


def test_a_full_privacy_cohort_with_a_newcomer_builds_without_a_name_on_the_console(proj: Path, tmp_path: Path,
                                                                                     console: Console) -> None:
    for command in ("attendance", "certificates", "calendar"):
        r = _run(proj, command, "valid", tmp_path, console)
        assert r.code == 0, r.err
    assert (tmp_path / "cohorts" / "valid" / "certificates.pdf").is_file()


def test_a_glyph_missing_from_the_cohort_file_names_its_line_not_its_text(proj: Path, tmp_path: Path) -> None:
    """The PDF engine's own glyph check, inside a cohort document: a file and line, no text quoted."""
    _write(proj, "location-glyph", ROSTER, RECORD, "Hazelgrove \U0001f600 Hall")
    try:
        r = _run(proj, "attendance", "location-glyph", tmp_path)
    finally:
        shutil.rmtree(proj / "groups" / "location-glyph")
    assert r.code == 1
    assert "groups/location-glyph/cohort.yml:5: line 5 has a character no bundled font can print; change that " \
        "text, or add a font that covers it to fonts/ and templates/pdf/fonts.css" in r.out + r.err


def test_the_glyph_check_in_private_mode_names_the_row_only() -> None:
    from connections.pdf.glyphs import check_glyphs, declared_fonts, notdef_problem, private_text

    faces = declared_fonts([REPO / "templates" / "pdf" / "fonts.css"])
    html = "<p>Zenobia Q\ue000</p>"
    with pytest.raises(UserError) as outside:
        check_glyphs(html, faces, "Attendance x", REPO)
    assert "Zenobia" in str(outside.value)  # content text is quoted: it is the author's, and helps find it
    with private_text(lambda ch: ("cohorts/x/roster.csv", 7) if ch == "\ue000" else None):
        with pytest.raises(UserError) as inside:
            check_glyphs(html, faces, "Attendance x", REPO)
        notdef = notdef_problem('.notdef glyph rendered for Unicode string unsupported by fonts: "\ue000" (U+E000)',
                                html, REPO, title="Attendance x")
    assert str(inside.value).splitlines()[0] == (
        "cohorts/x/roster.csv:7: row 7 has a character no bundled font can print; change that text, or add a font "
        "that covers it to fonts/ and templates/pdf/fonts.css")
    assert notdef == str(inside.value).splitlines()[0]
    assert "Zenobia" not in str(inside.value) and "\ue000" not in str(inside.value)
    with private_text(lambda ch: None), pytest.raises(UserError) as unknown:
        check_glyphs(html, faces, "Attendance x", REPO)
    assert str(unknown.value).splitlines()[0] == (
        "PDF 'Attendance x': its text (a template or a translation) has a character no bundled font can print; "
        "change that text, or add a font that covers it to fonts/ and templates/pdf/fonts.css")


def test_an_internal_error_in_a_cohort_renderer_loses_its_text() -> None:
    from connections.cohort.redact import CohortInternalError, private_errors

    @private_errors
    def renderer() -> None:
        raise KeyError("Zenobia Quillfeather")

    with pytest.raises(CohortInternalError) as exc:
        renderer()
    assert str(exc.value).startswith("KeyError at test_cohort_privacy.py:")
    assert exc.value.__cause__ is None and exc.value.__suppress_context__

    @private_errors
    def mistake() -> None:
        raise UserError("cohorts/x/roster.csv:3: row 3 has an empty name")

    with pytest.raises(UserError, match="row 3 has an empty name"):
        mistake()


def test_a_message_of_the_pdf_engine_is_scrubbed_of_names() -> None:
    """The last guard: whatever the PDF engine reports about a cohort document, names become rows."""
    from types import SimpleNamespace

    from connections.cohort.render import scrub
    from connections.cohort.roster import Participant

    inp = SimpleNamespace(participants=[Participant("P01", "Zenobia", "Quillfeather", row=2),
                                        Participant("P02", "Al", "Ng", row=3)], record=None)
    text = scrub("PDF 'Attendance x' was not written: text \"Zenobia Quillfeather\" overflows; Al Ng; All; "
                 "Quillfeather", inp)  # type: ignore[arg-type]
    assert text == ("PDF 'Attendance x' was not written: text \"(the name on row 2)\" overflows; (the name on row 3); "
                    "All; (the name on row 2)")


def test_names_never_printed_need_no_glyphs(proj: Path) -> None:
    """With `privacy: codes` no name reaches the paper: a name the fonts lack is no reason to refuse the roster."""
    from connections.cohort.inputs import load_inputs
    from connections.project import Project

    f = _write(proj, "codes-only", ROSTER.replace("Thandiwe", "\u6f22\u5b57"), RECORD, "Room 2")
    f.write_text(f.read_text(encoding="utf-8").replace("privacy: full", "privacy: codes"), encoding="utf-8")
    try:
        inp = load_inputs(Project.at(proj), f)
        assert [p.code for p in inp.participants] == ["P01", "P02", "P03"]
        f.write_text(f.read_text(encoding="utf-8").replace("privacy: codes", "privacy: initials"), encoding="utf-8")
        with pytest.raises(UserError, match="roster.csv:4: row 4 has characters no bundled font can print"):
            load_inputs(Project.at(proj), f)
    finally:
        shutil.rmtree(f.parent)
