"""Cohort paperwork built as an agency would build it, then read back: PDFs, calendar, summary.

One French cohort of 40 participants, the most a group may have (a Windows-1252, semicolon roster with names
holding markup), is built once per module; every test reads what the commands wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from icalendar import Calendar

from connections.cohort.targets import attendance_targets, calendar_targets, certificate_targets
from connections.context import Options, bundle_for
from connections.outputs import KINDS
from connections.pipeline import run
from tests.conftest import FRENCH_GROUP, MINIMAL, REPO, BuiltSmall, copy_project, run_build, run_cli
from tests.fixtures.pdf.pdf_project import pdf_ua_failures, print_problems, pypdf_page_texts, reader, unvalidated_kinds

N = 40  # MAX_PARTICIPANTS: the sheets are built at the largest size a group may have
FIRSTS = ["Amélie", "Béatrice", "Céline", "Dorothée", "Émilie", "Françoise", "Gisèle", "Hélène"]
SESSION_DAYS = [dt.date(2027, 3, 2) + dt.timedelta(weeks=w) for w in (0, 1, 3, 4, 5, 6)]  # 2027-03-16 skipped
COHORT = FRENCH_GROUP + """\
spare_rows: 3
privacy: {privacy}
revised: 2027-02-01
"""


def person(i: int) -> tuple[str, str, str]:
    """Participant i (1-based): code, first name, last name — unmistakably fictional."""
    return f"G{i:02d}", FIRSTS[i % len(FIRSTS)], f"Fictive-{i}"


def status(i: int, week: int) -> str:
    """A varied record: everyone misses some sessions, some are excused."""
    k = (i * i + week * 5) % 11
    return "absente" if k < 2 else "excusée" if k == 2 else "présente"


def present_count(i: int) -> int:
    return sum(status(i, w) == "présente" for w in range(1, 7))


def write_cohort(proj: Path) -> Path:
    d = proj / "groupe"
    d.mkdir()
    lines = ["Code;Prénom;Nom"] + [";".join(person(i)) for i in range(1, N - 1)]
    lines += [f"G{N - 1:02d};<b>Gras</b>;Balise", f"G{N:02d};<script>alert(1)</script>;Script"]
    (d / "roster.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    rows = ["participant,week 1,week 2,week 3,week 4,week 5,week 6,garde,transport"]
    rows += [",".join([person(i)[0], *(status(i, w) for w in range(1, 7)), str(i % 3), str(i % 2)])
             for i in range(1, N + 1)]
    (d / "attendance.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for privacy in ("full", "initials", "codes"):
        text = COHORT.format(privacy=privacy)
        if privacy != "full":
            text = text.replace("id: groupe-test", f"id: groupe-{privacy}")
        (d / f"{privacy}.yml").write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    proj = copy_project(tmp_path_factory.mktemp("cohort") / "p", MINIMAL)
    for part in ("templates", "locales", "fonts", "cohorts"):
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, proj / part)
    d = write_cohort(proj)
    outs = proj / "outs"
    out, out2, out6 = outs / "main", outs / "again", outs / "six"
    # What an agency types, one command per document … The calendar and the certificates in a real `python
    # build.py`: their files are compared byte for byte with the same ones made below in this process (another
    # process, another hash seed); the attendance sheets through the same command line in this process.
    runs = {
        "attendance": run_cli("attendance", d / "full.yml", "--out", out, "--jobs", "1", project=proj),
        "calendar": run_build("calendar", d / "full.yml", "--out", out, project=proj),
        "certificates": run_build("certificates", d / "full.yml", "--attendance", d / "attendance.csv",
                                  "--out", out, project=proj),
    }
    for name, r in runs.items():
        assert r.code == 0, f"{name}: {r.out}\n{r.err}"
    # … and the variations, collected and rendered in this process (one job: no worker pool to start).
    bundle, _ = bundle_for(proj)
    full, record = (d / "full.yml").resolve(), (d / "attendance.csv").resolve()
    made = [*attendance_targets(bundle, Options(out=out, papers=("letter",), cohort=(d / "initials.yml").resolve())),
            *attendance_targets(bundle, Options(out=out, papers=("a4",), cohort=(d / "codes.yml").resolve()))]
    made = [t for t in made if "attendance" in t.output.name]
    made += certificate_targets(bundle, Options(out=out2, cohort=full, attendance=record))
    made += calendar_targets(bundle, Options(out=out2, cohort=full, attendance=record))
    made += [t for t in certificate_targets(bundle, Options(out=out6, cohort=full, attendance=record, threshold=6))
             if t.output.name == "certificates.pdf"]
    report = run(made, proj, outs, quiet=True, jobs=1)
    assert not report.failed, report.failed
    return {"proj": proj, "dir": d, "outs": outs, "out": out, "out2": out2, "out6": out6, "runs": runs,
            "res": out / "cohorts" / "groupe-test"}


def pages(path: Path) -> list[str]:
    """Text of each page, whitespace collapsed (table cells wrap)."""
    return [" ".join(text.split()) for text in pypdf_page_texts(path)]


def names() -> list[str]:
    return [f"{person(i)[1]} {person(i)[2]}" for i in range(1, N - 1)]


@pytest.mark.parametrize("paper,size", [("letter", (792, 612)), ("a4", (842, 595))])
def test_attendance_sheet_landscape_with_header_on_every_page(built: dict, paper: str, size: tuple) -> None:
    path = built["res"] / f"attendance-{paper}.pdf"
    box = reader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    texts = pages(path)
    assert len(texts) >= 3
    for n, text in enumerate(texts, start=1):
        assert "Groupe du printemps" in text and "Centre d'essai, salle 3" in text  # running header
        assert "Semaine 1" in text and "mardi 2 mars 2027" in text and "mardi 13 avril 2027" in text  # thead
        assert "mardi 16 mars 2027" not in text  # the skipped holiday
        assert f"Page {n} de {len(texts)}" in text
        assert "Confidentiel" in text
    whole = " ".join(texts)
    assert "Animatrice Une, Animatrice Deux" in whole and "Test Agency" in whole
    assert "Initiales de l’animation" in whole and "Total" in whole
    for name in names():
        assert name in whole
    assert "<b>Gras</b>" in whole and "<script>alert(1)</" in whole  # printed literally, not as markup


def test_privacy_modes_on_the_sheet(built: dict) -> None:
    initials = " ".join(pages(built["out"] / "cohorts" / "groupe-initials" / "attendance-letter.pdf"))
    codes = " ".join(pages(built["out"] / "cohorts" / "groupe-codes" / "attendance-a4.pdf"))
    for i in range(1, N - 1):
        code, first, last = person(i)
        assert f"{first} {last[0]}." in initials and last not in initials
        assert code in codes and last not in codes
    assert not any(first in codes for first in FIRSTS)
    assert "prénom et initiale" in initials


def test_signin_sheets_show_codes_never_names(built: dict) -> None:
    texts = pages(built["res"] / "signin-letter.pdf")
    assert len(texts) == 6
    for n, (text, day) in enumerate(zip(texts, ["mardi 2 mars 2027", "mardi 9 mars 2027", "mardi 23 mars 2027",
                                                "mardi 30 mars 2027", "mardi 6 avril 2027", "mardi 13 avril 2027"],
                                            strict=True), start=1):
        assert f"Accueil · Semaine {n}" in text and day in text and "18 h 30" in text
        assert "G01" in text and f"G{N}" in text
        assert not any(f"Fictive-{i}" in text for i in range(1, N + 1))
        assert not any(first in text for first in FIRSTS) and "Gras" not in text
    # The rows share the page: the last code is in its lower third (rows grow when the group is small).
    signin = reader(built["res"] / "signin-letter.pdf")
    found: list[float] = []
    signin.pages[0].extract_text(visitor_text=lambda t, cm, tm, *_: found.append(  # y on the page, from the bottom
        tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) if f"G{N}" in t else None)
    assert found and found[0] < float(signin.pages[0].mediabox.height) / 3, found


def test_calendar_six_local_events_with_the_holiday_skipped(built: dict) -> None:
    data = (built["res"] / "sessions.ics").read_bytes()
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 6
    tz = [c for c in cal.walk("VTIMEZONE")]
    assert [str(c["TZID"]) for c in tz] == ["America/Toronto"]
    starts = [e.decoded("DTSTART") for e in events]
    assert [s.date() for s in starts] == SESSION_DAYS
    assert all((s.hour, s.minute) == (18, 30) for s in starts)
    assert all(e["DTSTART"].params["TZID"] == "America/Toronto" for e in events)
    utc_hours = [s.astimezone(dt.UTC).hour for s in starts]
    assert utc_hours == [23, 23, 22, 22, 22, 22]  # EST before 14 March 2027, EDT after
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(hours=2) for e in events)
    assert [str(e["SUMMARY"]) for e in events] == [f"Séance de groupe {n} sur 6" for n in range(1, 7)]
    assert len({str(e["UID"]) for e in events}) == 6
    assert all(str(e["LOCATION"]) == "Centre d'essai, salle 3" for e in events)
    assert (built["out2"] / "cohorts" / "groupe-test" / "sessions.ics").read_bytes() == data  # reproducible
    assert b"connections" not in data.lower()  # a discreet calendar names the program nowhere, hidden fields too


def test_certificates_one_french_page_per_participant_meeting_the_threshold(built: dict) -> None:
    for out, threshold in ((built["out"], 5), (built["out6"], 6)):
        expected = [i for i in range(1, N + 1) if present_count(i) >= threshold]
        texts = pages(out / "cohorts" / "groupe-test" / "certificates.pdf")
        assert 0 < len(expected) < N
        assert len(texts) == len(expected)
        for i, text in zip(expected, texts, strict=True):
            assert "Attestation de participation" in text
            assert person(i)[2] in text or i > N - 2
            assert "séances" not in text and "Salle" not in text  # no count of sessions, no room
            assert "pour sa participation au groupe" in text and "de six semaines" in text
            assert "du 2 mars 2027 au 13 avril 2027" in text and "Remise le 13 avril 2027" in text
    assert reader(built["res"] / "certificates.pdf").pages[0].mediabox.width > 700  # landscape letter


def test_summary_counts_match_the_record(built: dict) -> None:
    raw = (built["res"] / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Semaine", "Date", "Présences", "Absences motivées", "Absences"]
    for week in range(1, 7):
        row = rows[week]
        assert row[1] == SESSION_DAYS[week - 1].isoformat()
        assert int(row[2]) == sum(status(i, week) == "présente" for i in range(1, N + 1))
        assert int(row[3]) == sum(status(i, week) == "excusée" for i in range(1, N + 1))
    assert len(rows) == 7, "one table: the heading and a row per session"
    raw = (built["res"] / "summary-totals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    total_rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert total_rows[0] == ["Mesure", "Valeur"] and all(len(r) == 2 for r in total_rows)
    totals = dict(total_rows[1:])
    completed = sum(present_count(i) >= 5 for i in range(1, N + 1))
    assert totals["Participantes"] == str(N)
    assert totals["Taux d’achèvement"] == f"{round(100 * completed / N)}%"
    assert totals["Service de garde offert (séances)"] == str(sum(i % 3 for i in range(1, N + 1)))
    assert totals["Participantes ayant eu du transport"] == str(sum(i % 2 for i in range(1, N + 1)))
    text = " ".join(pages(built["res"] / "summary.pdf"))
    assert "Sommaire des présences" in text and "Participantes présentes à chaque séance" in text
    assert not any(f"Fictive-{i}" in text for i in range(1, N + 1))
    for name in ("certificates.pdf", "summary.pdf", "summary.csv", "summary-totals.csv"):  # byte-identical
        assert (built["out2"] / "cohorts" / "groupe-test" / name).read_bytes() == \
            (built["res"] / name).read_bytes(), name


def test_outputs_only_under_cohorts_and_no_names_in_logs(built: dict) -> None:
    states = []
    for f in built["outs"].rglob("*"):
        if f.is_file():
            rel = f.relative_to(built["outs"]).parts
            bookkeeping = rel[-1] in {".build-state.json", ".build-stamp.json", ".build.lock"}
            assert bookkeeping or rel[1:2] == ("cohorts",), rel
            if bookkeeping:
                states.append(f.read_text(encoding="utf-8"))
    assert len(states) >= 2 and not any("Fictive" in s or "Gras" in s for s in states)
    for r in built["runs"].values():
        assert "Fictive" not in r.out + r.err and "Gras" not in r.out + r.err


def test_broken_roster_fails_by_row_without_names(built: dict, tmp_path: Path) -> None:
    d = built["dir"]
    bad = d / "bad"
    bad.mkdir(exist_ok=True)
    (bad / "roster.csv").write_text("prénom,nom\nAmélie,Fictive-1\n\nBéatrice,Fictive-2\nAmélie,Fictive-1\n,\n"
                                    ",Fictive-9\n", encoding="utf-8")
    (bad / "cohort.yml").write_text(COHORT.format(privacy="full").replace("groupe-test", "bad"), encoding="utf-8")
    r = run_cli("attendance", bad / "cohort.yml", "--out", tmp_path / "out", project=built["proj"])
    assert r.code == 1
    assert "groupe/bad/roster.csv:5: row 5 repeats the name of row 2" in r.err
    assert "groupe/bad/roster.csv:7: row 7 has no first name" in r.err
    assert "Traceback" not in r.err and "Fictive" not in r.err and "Amélie" not in r.err
    assert not (tmp_path / "out" / "cohorts").exists()


def test_certificates_need_a_record_and_a_sane_threshold(built: dict, tmp_path: Path) -> None:
    d = built["dir"]
    r = run_cli("certificates", d / "full.yml", "--out", tmp_path, project=built["proj"])
    assert r.code == 1 and "groupe/full.yml: certificates need the attendance record" in r.err
    r = run_cli("certificates", d / "full.yml", "--attendance", d / "attendance.csv", "--threshold", "7",
                  "--out", tmp_path, project=built["proj"])
    assert r.code == 1 and "--threshold should be a number of sessions from 1 to 6" in r.err


def test_sample_cohort_is_part_of_the_full_build(built_small: BuiltSmall) -> None:
    """`python build.py all --paper letter` (the shared small build) makes the sample group's paperwork."""
    assert {"attendance", "certificates", "calendar"} <= {k.name for k in KINDS if k.in_all}
    assert built_small.result.code == 0
    proj = built_small.project
    res = proj / "dist" / "cohorts" / "sample-2027-spring"
    assert sorted(f.name for f in res.iterdir()) == [
        "attendance-letter.pdf", "certificates.pdf", "feedback-letter.pdf", "feedback-template.csv",
        "fidelity-letter.pdf", "fidelity-template.csv", "report.csv", "report.pdf", "runsheets-letter.pdf",
        "sessions.ics", "signin-letter.pdf", "summary-totals.csv", "summary.csv", "summary.pdf"]
    text = " ".join(pages(res / "attendance-letter.pdf"))
    assert "Tuesday, March 2, 2027" in text and "Attendance" in text
    bundle, _ = bundle_for(proj)
    sample = (proj / "cohorts" / "sample" / "cohort.yml").resolve()
    assert [t for k in KINDS if k.cohort for t in k.collect(bundle, Options(out=proj / "dist", variants=("fr",),
                                                                           cohort=sample))] == []


def test_blank_rows_and_a_calendar_that_names_the_weeks(built: dict, tmp_path: Path) -> None:
    from connections.cohort.inputs import load_inputs
    from connections.cohort.render import attendance_rows
    from connections.project import Project

    proj = built["proj"]
    f = built["dir"] / "blank.yml"
    f.write_text(COHORT.format(privacy="codes").replace("roster: roster.csv", "blank_rows: 12")
                 .replace("groupe-test", "blank") + "discreet_calendar: false\n", encoding="utf-8")
    inp = load_inputs(Project.at(proj), f)
    rows = attendance_rows(inp)
    assert [r.number for r in rows][:2] == ["01", "02"] and len(rows) == 12 and not any(r.name for r in rows)
    assert inp.codes == [f"{n:02d}" for n in range(1, 13)]
    bundle, _ = bundle_for(proj)
    (target,) = calendar_targets(bundle, Options(out=tmp_path, cohort=f.resolve()))
    assert f in target.inputs and proj / "content" / "fr" / "variant.yml" in target.inputs
    report = run([target], proj, tmp_path, quiet=True)
    assert not report.failed
    events = list(Calendar.from_ical((tmp_path / "cohorts" / "blank" / "sessions.ics").read_bytes()).walk("VEVENT"))
    titles = [bundle.contents["fr"].weeks[n].title for n in range(1, 7)]
    assert [str(e["SUMMARY"]) for e in events] == [f"Connections · Semaine {n}\u00a0: {titles[n - 1]}"
                                                  for n in range(1, 7)]


def test_a_name_the_fonts_cannot_print_is_named_by_row_only(built: dict) -> None:
    from connections.cohort.inputs import load_inputs
    from connections.cohort.printable import stylesheets
    from connections.errors import UserError
    from connections.project import Project

    d = built["dir"] / "glyphs"
    d.mkdir()
    (d / "roster.csv").write_text("first_name,last_name\nAda,Example\n\u6f22\u5b57,Fictive\n", encoding="utf-8")
    (d / "cohort.yml").write_text(COHORT.format(privacy="full").replace("groupe-test", "glyphs"), encoding="utf-8")
    project = Project.at(built["proj"])
    if not any(p.name == "fonts.css" for p in stylesheets(project)):
        pytest.skip("no bundled fonts (templates/pdf/fonts.css) in this project")
    with pytest.raises(UserError) as exc:
        load_inputs(project, d / "cohort.yml")
    text = str(exc.value)
    assert "groupe/glyphs/roster.csv:3: row 3 has characters no bundled font can print (2 in the name or code); " \
        "write the name with other characters" in text
    assert "\u6f22" not in text and "Fictive" not in text and "U+6F22" not in text


def test_every_cohort_page_looks_printable(built: dict) -> None:
    """Looked at as pictures: attendance and sign-in sheets (40 participants), certificates and the summary have no
    blank page and nothing run off the paper or into the edge printers leave white."""
    pdfs = sorted(built["outs"].rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {"attendance-letter.pdf", "signin-letter.pdf", "certificates.pdf", "summary.pdf"}
    problems = {str(p.relative_to(built["outs"])): found for p in pdfs if (found := print_problems(p))}
    assert problems == {}


def test_cohort_paperwork_passes_the_pdf_ua_validator(built: dict) -> None:
    """Attendance and sign-in sheets (three privacy modes, both papers), certificates and the summary: 0 PDF/UA-1
    failures."""
    pdfs = sorted(built["outs"].rglob("*.pdf"))
    assert unvalidated_kinds("test_cohort_build.py", pdfs) == set()
    assert {str(p.relative_to(built["outs"])): f for p in pdfs if (f := pdf_ua_failures(p))} == {}


def _elements(el: pikepdf.Object) -> list[pikepdf.Object]:
    kids = el.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _headers(cell: pikepdf.Object) -> list[str]:
    return [str(h) for h in cell.A.Headers]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_attendance_cells_name_their_own_headers(built: dict, paper: str) -> None:
    """What a screen reader announces on a box of the sheet: "Week 2, Care" on a participant's Care box for
    week 2; "#" and "Participant" on the number and the name; "Total" on the totals row. (WeasyPrint counts
    the Here, Care and Ride headers from column 0, not after "#" and "Participant", which span both header
    rows: connections/pdf/tables.py lays the grid out again.)"""
    pdf = pikepdf.open(built["res"] / f"attendance-{paper}.pdf")
    stack, tables = _elements(pdf.Root.StructTreeRoot), []
    while stack:
        el = stack.pop(0)
        tables += [el] if el.S == "/Table" else []
        stack += _elements(el)
    assert len(tables) >= 2
    for table in tables:
        rows = [r for part in _elements(table) for r in _elements(part) if r.S == "/TR"]
        top, sub = ([str(c.ID) for c in _elements(r)] for r in rows[:2])  # "#", "Participant", weeks / Here…
        assert len(sub) == 3 * (len(top) - 2) == 18
        assert {str(c.A.Scope) for r in rows[:2] for c in _elements(r)} == {"/Column"}
        boxes = [[top[2 + k // 3], sub[k]] for k in range(len(sub))]
        assert [_headers(c) for c in _elements(rows[2])] == [[top[0]], [top[1]], *boxes]
    totals = [r for part in _elements(tables[-1]) for r in _elements(part) if r.S == "/TR"][-2]
    label, *cells = _elements(totals)
    assert label.S == "/TH" and label.A.Scope == "/Row"
    assert [_headers(c) for c in cells] == [[str(label.ID), *b] for b in boxes]


def test_a_long_group_breaks_cleanly_between_pages(built: dict) -> None:
    """62 participants: every page of the attendance sheet starts with the table's header and holds rows; the
    total and the initials are on the last page with participants' rows, never alone; no page is nearly empty."""
    from tests.fixtures.pdf.pdf_project import nearly_empty_pages

    for path in (built["res"] / "attendance-letter.pdf", built["res"] / "attendance-a4.pdf"):
        texts = pages(path)
        last = texts[-1]
        assert "Initiales de l’animation" in last and "Total" in last
        rows_on_last = [n for n in range(1, 70) if f" {n} " in last.split("Total")[0]]
        assert len(rows_on_last) >= 3, (path.name, rows_on_last)
        assert nearly_empty_pages(path) == []


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled templates, catalogs, fonts, agency and sample cohort with the small fixture content (what the
    `small_project` fixture holds), copied once for the module's tests to add cohort files to."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "small")
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL / "content", project / "content")
    return project


@pytest.mark.parametrize("variant", ["en", "fr"])
def test_a_group_of_twelve_has_its_attendance_sheet_on_one_page(sample_project: Path, variant: str) -> None:
    """The sample group (12 participants, 5 spare rows) on one page on A4 as on Letter, in English and French:
    a sheet a row or two too long leaves off one or two empty rows for newcomers, never the last two."""
    sample = sample_project / "cohorts/sample/cohort.yml"
    cohort = sample.with_name(f"cohort-{variant}.yml")  # beside it: the roster is found the same way
    cohort.write_text(sample.read_text(encoding="utf-8").replace("variant: en", f"variant: {variant}", 1),
                      encoding="utf-8")
    out = sample_project / f"dist-{variant}"
    bundle, _ = bundle_for(sample_project)
    sheets = [t for t in attendance_targets(bundle, Options(out=out, cohort=cohort.resolve()))
              if t.output.name.startswith("attendance-")]  # the sign-in sheets are not read here
    assert len(sheets) == 2
    report = run(sheets, sample_project, out, quiet=True, jobs=1)
    assert not report.failed, report.failed
    for paper in ("letter", "a4"):
        texts = pages(out / f"cohorts/sample-2027-spring/attendance-{paper}.pdf")
        assert len(texts) == 1, (paper, len(texts))
        rows = texts[0].split("Total")[0]
        assert all(f" {n} " in rows for n in range(1, 15)), (paper, rows)  # 12 names, 2 empty rows at least
        assert ("Initiales de l’animation" if variant == "fr" else "Facilitator initials") in texts[0]
