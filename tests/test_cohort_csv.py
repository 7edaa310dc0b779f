"""Rosters and attendance records as spreadsheets really export them, and every broken row named by number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connections.cohort.record import ABSENT, EXCUSED, PRESENT, load_record
from connections.cohort.roster import Participant, load_roster
from connections.errors import Problems

FIX = Path(__file__).parent / "fixtures" / "cohort"
EXPECTED = [("C01", "Amélie", "Exemple"), ("C02", "Béatrice", "Fictive"), ("C03", "Françoise", "Modèle"),
            ("C04", "Zoë", "Essai-Témoin")]
SESSIONS = ",".join(f"week {n}" for n in range(1, 7))


def _roster(path: Path, privacy: str = "full") -> tuple[list[Participant], Problems]:
    problems = Problems(path.parent)
    return load_roster(path, privacy, problems), problems


@pytest.mark.parametrize("name", ["roster-utf8.csv", "roster-utf8-bom.csv", "roster-cp1252.csv",
                                  "roster-semicolon.csv", "roster-utf16-tab.txt", "roster-messy.csv"])
def test_every_dialect_reads_the_same_people(name: str) -> None:
    people, problems = _roster(FIX / name)
    assert not problems.items, [str(p) for p in problems.items]
    assert [(p.code, p.first, p.last) for p in people] == EXPECTED


def test_windows_1252_is_really_not_utf8() -> None:
    data = (FIX / "roster-cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b";" in data and "Amélie".encode("cp1252") in data


def test_privacy_modes_print_names_as_promised() -> None:
    people, _ = _roster(FIX / "roster-utf8.csv")
    zoe = people[3]
    assert zoe.printed("full") == "Zoë Essai-Témoin"
    assert zoe.printed("initials") == "Zoë E."
    assert zoe.printed("codes") == "C04"


def test_codes_are_assigned_when_the_roster_has_none(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("name,code\nAda Example,P02\nBea Sample,\nCleo Demo,\n", encoding="utf-8")
    people, problems = _roster(f)
    assert not problems.items
    assert [p.code for p in people] == ["P02", "P01", "P03"]
    assert (people[0].first, people[0].last) == ("Ada", "Example")


def _messages(problems: Problems) -> str:
    return "\n".join(str(p) for p in problems.items)


def test_duplicate_is_reported_by_row_without_the_name() -> None:
    _, problems = _roster(FIX / "roster-duplicate.csv")
    text = _messages(problems)
    assert "roster-duplicate.csv:4: row 4 repeats the name of row 2" in text
    assert "Amélie" not in text and "Exemple" not in text


def test_empty_name_is_reported_by_row() -> None:
    people, problems = _roster(FIX / "roster-empty-name.csv")
    text = _messages(problems)
    assert "roster-empty-name.csv:3: row 3 has an empty name" in text
    assert len(problems.errors) == 1
    assert "Amélie" not in text and "Françoise" not in text


def test_markup_in_a_name_is_kept_as_text() -> None:
    people, problems = _roster(FIX / "roster-markup.csv")
    assert not problems.items
    assert [p.full for p in people][:2] == ["<b>Bold</b> Exemple", "<script>alert(1)</script> Fictive"]


def test_roster_without_a_name_column_says_what_to_add(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("phone,email\n555,a@b\n", encoding="utf-8")
    _, problems = _roster(f)
    assert "r.csv:1: the roster has no name column" in _messages(problems)
    f.write_text("code\nX1\nX2\n", encoding="utf-8")
    people, problems = _roster(f, privacy="codes")
    assert not problems.items and [p.printed("codes") for p in people] == ["X1", "X2"]


def test_binary_and_unknown_encodings_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "roster.csv"
    f.write_bytes(b"PK\x03\x04\x00\x00\x81\x8d\x8f")  # an .xlsx renamed to .csv
    _, problems = _roster(f)
    assert "roster.csv:1:" in _messages(problems) and "CSV UTF-8" in _messages(problems)


def _record(path: Path, roster: list[Participant]) -> tuple:
    problems = Problems(path.parent)
    return load_record(path, roster, problems), problems


def test_unknown_status_is_reported_by_row_and_column() -> None:
    roster, _ = _roster(FIX / "roster-utf8.csv")
    record, problems = _record(FIX / "attendance-unknown-status.csv", roster)
    text = _messages(problems)
    assert "attendance-unknown-status.csv:3: row 3, column 'week 4': unknown status" in text
    assert len(problems.errors) == 1
    assert "Béatrice" not in text and "sometimes" not in text


def test_record_statuses_words_newcomers_and_absent_roster(tmp_path: Path) -> None:
    roster, _ = _roster(FIX / "roster-utf8.csv")
    f = tmp_path / "att.csv"
    f.write_text(f"participant;{SESSIONS.replace(',', ';')};garde;transport\n"
                 "c01;présente;P;x;oui;excusée;A;3;1\n"
                 "Béatrice Fictive;present;present;;absent;E;present;;\n"
                 "\n"
                 "Nora Newcomer;absent;absent;present;present;present;present;0;4\n", encoding="utf-8")
    record, problems = _record(f, roster)
    assert not problems.items, _messages(problems)
    by_code = {a.participant.code: a for a in record.entries}
    assert by_code["C01"].statuses == [PRESENT, PRESENT, PRESENT, PRESENT, EXCUSED, ABSENT]
    assert (by_code["C01"].childcare, by_code["C01"].transportation) == (3, 1)
    assert by_code["C02"].present == 3
    assert by_code["C04"].statuses == [ABSENT] * 6  # on the roster, not in the record
    newcomer = next(a for a in record.entries if a.participant.newcomer)
    assert newcomer.participant.full == "Nora Newcomer" and newcomer.participant.code == "P01"
    assert [a.participant.code for a in record.completed(4)] == ["C01", "P01"]
    assert [a.participant.code for a in record.completed(5)] == []


def test_record_errors_name_rows_not_people(tmp_path: Path) -> None:
    roster, _ = _roster(FIX / "roster-utf8.csv")
    f = tmp_path / "att.csv"
    f.write_text(f"participant,{SESSIONS},childcare\n"
                 "C01,P,P,P,P,P,P,2\n"
                 "Amélie Exemple,P,P,P,P,P,P,0\n"
                 ",P,P,P,P,P,P,0\n"
                 "C03,P,P,P,P,P,P,lots\n", encoding="utf-8")
    _, problems = _record(f, roster)
    text = _messages(problems)
    assert "att.csv:3: row 3 repeats the participant of row 2" in text
    assert "att.csv:4: row 4 has an empty participant" in text
    assert "att.csv:5: row 5, column 'childcare'" in text
    assert "Amélie" not in text


def test_record_without_session_columns(tmp_path: Path) -> None:
    f = tmp_path / "att.csv"
    f.write_text("participant,week 1,week 2\nC01,P,P\n", encoding="utf-8")
    _, problems = _record(f, [])
    assert "att.csv:1: no column for session 3, 4, 5, 6" in _messages(problems)


def test_cp1252_record_copied_from_fixture(tmp_path: Path) -> None:
    """A French Excel export (Windows-1252, semicolons) with accented statuses reads as expected."""
    shutil.copy(FIX / "roster-cp1252.csv", tmp_path / "roster.csv")
    roster, _ = _roster(tmp_path / "roster.csv")
    f = tmp_path / "att.csv"
    f.write_bytes(("participante;semaine 1;semaine 2;semaine 3;semaine 4;semaine 5;semaine 6\r\n"
                   "Françoise Modèle;présente;excusée;absente;présente;présente;présente\r\n").encode("cp1252"))
    record, problems = _record(f, roster)
    assert not problems.items, _messages(problems)
    entry = next(a for a in record.entries if a.participant.code == "C03")
    assert entry.statuses == [PRESENT, EXCUSED, ABSENT, PRESENT, PRESENT, PRESENT]


# Faults that once printed a wrong sheet with exit 0: each is refused by row, never by name.
NAMES = ("Amélie", "Exemple", "Béatrice", "Fictive", "Françoise", "Modèle", "Zoë", "Essai")
QUOTE = ("a quote (\") opens a cell here and is not closed on this line, so lines {a} to {b} were read as one cell; "
         "close the quote on row {a} or delete it (a name needs no quotes), and keep each row on one line — a "
         "cell cannot hold a line break")


def _no_names(text: str) -> None:
    assert not any(name in text for name in NAMES), text


def test_a_stray_quote_is_refused_at_the_row_it_opens() -> None:
    """`C02,"Béatrice,Fictive` once merged the next rows into one participant (and printed their surnames)."""
    people, problems = _roster(FIX / "roster-stray-quote.csv")
    text = _messages(problems)
    assert text == "roster-stray-quote.csv:3: row 3: " + QUOTE.format(a=3, b=5)
    assert len(problems.errors) == 1
    _no_names(text)


def test_a_line_break_inside_a_quoted_name_is_refused() -> None:
    _, problems = _roster(FIX / "roster-line-break.csv")
    assert _messages(problems) == "roster-line-break.csv:3: row 3: " + QUOTE.format(a=3, b=4)


def test_a_stray_quote_in_the_attendance_record_is_refused() -> None:
    roster, _ = _roster(FIX / "roster-utf8.csv")
    record, problems = _record(FIX / "attendance-stray-quote.csv", roster)
    assert _messages(problems) == "attendance-stray-quote.csv:3: row 3: " + QUOTE.format(a=3, b=5)


def test_a_quote_in_the_header_stops_at_once(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text('code,"first_name,last_name\nC01,Amélie,Exemple\n', encoding="utf-8")
    people, problems = _roster(f)
    assert people == [] and _messages(problems) == "r.csv:1: row 1: " + QUOTE.format(a=1, b=2)


def test_a_quote_longer_than_the_csv_field_limit(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text('first_name,last_name\nAmélie,"Exemple\n' + "Béatrice,Fictive\n" * 9000, encoding="utf-8")
    _, problems = _roster(f)
    assert _messages(problems) == ("r.csv:2: row 2: a quote (\") opens a cell here and is not closed on this line, "
                                   "so the lines after it were read as one cell; close the quote on row 2 or delete "
                                   "it (a name needs no quotes), and keep each row on one line — a cell cannot hold "
                                   "a line break")


def test_too_many_and_too_few_cells_are_refused_by_row() -> None:
    people, problems = _roster(FIX / "roster-columns.csv")
    assert _messages(problems).splitlines() == [
        "roster-columns.csv:2: row 2 has 4 cells but the header has 3 columns; a comma or semicolon inside a cell "
        "splits it in two: put that cell in quotes (\"Dubois, Marie\") or remove the separator",
        "roster-columns.csv:3: row 3 has 2 cells but the header has 3 columns; write one cell per column on every "
        "row (leave a cell empty if unknown, but keep its separator)",
    ]
    assert [p.code for p in people] == ["C03"]  # empty cells after the last column are what spreadsheets write


def test_a_semicolon_roster_under_a_comma_header_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("code,first_name,last_name\nC01;Amélie;Exemple\n", encoding="utf-8")
    _, problems = _roster(f)
    assert _messages(problems).startswith("r.csv:2: row 2 has 1 cells but the header has 3 columns")


def test_a_record_row_missing_sessions_is_refused(tmp_path: Path) -> None:
    """Once read as absent from the missing sessions: a certificate silently lost."""
    f = tmp_path / "att.csv"
    f.write_text(f"participant,{SESSIONS}\nC01,P,P,P\n", encoding="utf-8")
    _, problems = _record(f, [])
    assert _messages(problems).startswith("att.csv:2: row 2 has 4 cells but the header has 7 columns")


def test_characters_no_font_prints_are_refused_by_row_with_code_points_only() -> None:
    people, problems = _roster(FIX / "roster-not-text.csv")
    assert _messages(problems).splitlines() == [
        "roster-not-text.csv:2: row 2 has a character no font can print (U+E000: a private-use character); retype "
        "the name in the spreadsheet (it was probably pasted from another program) and save the file again",
        "roster-not-text.csv:3: row 3 has a character no font can print (U+0378: an unassigned code point); retype "
        "the name in the spreadsheet (it was probably pasted from another program) and save the file again",
    ]
    assert [p.code for p in people] == ["C03"]


def test_a_newcomer_with_a_private_use_character_is_refused_by_row(tmp_path: Path) -> None:
    f = tmp_path / "att.csv"
    f.write_text(f"participant,{SESSIONS}\nZenobia\ue000 Q.,P,P,P,P,P,P\n", encoding="utf-8")
    _, problems = _record(f, [])
    text = _messages(problems)
    assert text.startswith("att.csv:2: row 2 has a character no font can print (U+E000: a private-use character)")
    assert "Zenobia" not in text


def test_a_file_over_one_megabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    f = tmp_path / "roster.csv"
    f.write_text("code,first_name,last_name\n" + "".join(f"P{i:06d},Amélie,Exemple-{i}\n" for i in range(100_000)),
                 encoding="utf-8")
    _, problems = _roster(f)
    assert _messages(problems) == ("roster.csv: the roster is 3.0 MB; a roster is at most 1 MB (a group's file is a "
                                   "few kilobytes): check that the cohort file names the right file")


def test_a_roster_of_100000_rows_fails_fast_at_the_41st(tmp_path: Path) -> None:
    import time

    f = tmp_path / "roster.csv"
    f.write_text("code\n" + "".join(f"{i}\n" for i in range(100_000)), encoding="utf-8")
    assert f.stat().st_size < 1_000_000
    started = time.perf_counter()
    people, problems = _roster(f, privacy="codes")
    assert time.perf_counter() - started < 1
    assert people == []
    assert _messages(problems) == ("roster.csv:42: row 42: the roster has more than 40 rows; a group has at most 40 "
                                   "participants; split it into two cohorts, each with its own folder, cohort file "
                                   "(another id) and roster")


def test_forty_participants_are_a_group(tmp_path: Path) -> None:
    from connections.cohort.roster import MAX_PARTICIPANTS

    f = tmp_path / "roster.csv"
    f.write_text("code\n" + "".join(f"X{i}\n" for i in range(MAX_PARTICIPANTS)), encoding="utf-8")
    people, problems = _roster(f, privacy="codes")
    assert MAX_PARTICIPANTS == 40 and len(people) == 40 and not problems.items


def test_newcomers_beyond_the_group_size_are_refused(tmp_path: Path) -> None:
    roster, _ = _roster(FIX / "roster-utf8.csv")
    f = tmp_path / "att.csv"
    f.write_text(f"participant,{SESSIONS}\n" + "".join(f"N{i},P,P,P,P,P,P\n" for i in range(37)), encoding="utf-8")
    _, problems = _record(f, roster)
    assert _messages(problems) == ("att.csv:38: row 38 adds a participant who is not on the roster, making more than "
                                   "40; a group has at most 40 participants; split it into two cohorts, each with its "
                                   "own folder, cohort file (another id) and roster")


def test_a_cell_too_long_for_a_name_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("first_name,last_name\nAmélie," + "Exemple" * 40 + "\n", encoding="utf-8")
    _, problems = _roster(f)
    assert _messages(problems) == ("r.csv:2: row 2 has a cell of more than 200 characters; a name or a code is much "
                                   "shorter: check the row, or that this is the right file")


def test_an_attendance_record_of_60000_rows_under_1_mb_stops_at_the_41st(tmp_path: Path) -> None:
    f = tmp_path / "att.csv"
    f.write_text(f"participant,{SESSIONS}\n" + "C01,P,P,P,P,P,P\n" * 60_000, encoding="utf-8")
    record, problems = _record(f, [])
    assert record.entries == []
    assert _messages(problems) == ("att.csv:42: row 42: the attendance record has more than 40 rows; a group has at "
                                   "most 40 participants; split it into two cohorts, each with its own folder, cohort "
                                   "file (another id) and roster")


def test_a_header_repeated_below_is_not_a_participant(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("code,first_name,last_name\nC01,Amélie,Exemple\nCode,First name,Last name\nC02,Béatrice,Fictive\n",
                 encoding="utf-8")
    people, problems = _roster(f)
    assert _messages(problems) == ("r.csv:3: row 3 repeats the header row; delete it (two files pasted together?) and "
                                   "keep one header at the top")
    assert [p.code for p in people] == ["C01", "C02"]


def test_several_characters_that_are_not_text_are_listed_by_code_point(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("first_name,last_name\nAm\ue000\u0378lie\x07,Exemple\n", encoding="utf-8")
    _, problems = _roster(f)
    assert _messages(problems) == (
        "r.csv:2: row 2 has characters no font can print (U+E000, U+0378, U+0007: a private-use character or an "
        "unassigned code point or a control character); retype the name in the spreadsheet (it was probably pasted "
        "from another program) and save the file again")
