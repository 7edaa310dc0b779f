"""Delivery tools built as an agency would build them, then read back: run sheets, fidelity checklists,
feedback forms, the intake guide and planning worksheet, and the cohort delivery report.

One French cohort (roster of invented names, a week with fewer than 5 present, a fidelity record saved by
Excel in Windows-1252 with semicolons, a feedback record in UTF-8 with a BOM, OCAP® on) is built once per
module on the small fixture content; every test reads what was written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from connections.cohort.config import load_cohort
from connections.context import Options, bundle_for
from connections.delivery import forms, report, runsheets
from connections.delivery.plan import part_label, session_parts
from connections.delivery.records import load_feedback, load_fidelity
from connections.delivery.render import participant_texts, texts
from connections.discreet import word_lists
from connections.errors import Problems
from connections.model import AgendaItem, Week
from connections.outputs import KINDS
from connections.pdf import common
from connections.pipeline import run
from tests.conftest import FRENCH_GROUP, MINIMAL, REPO, copy_project, run_cli
from tests.fixtures.pdf.pdf_project import print_problems, pypdf_page_texts, reader, text_sizes, unvalidated_kinds

NAMES = [("G01", "Amélie", "Fictive-Un"), ("G02", "Béatrice", "Fictive-Deux"), ("G03", "Céline", "Fictive-Trois"),
         ("G04", "Dorothée", "Fictive-Quatre"), ("G05", "Émilie", "Fictive-Cinq"), ("G06", "Gisèle", "Fictive-Six"),
         ("G07", "Hélène", "Fictive-Sept")]
COHORT = FRENCH_GROUP + """\
attendance: attendance.csv
fidelity: fidelite.csv
feedback: avis.csv
ocap: true
revised: 2027-02-01
"""
COMMENT = "Mon conjoint Zorglub ne sait pas que je viens"  # a participant's own words: never printed
SMALL_WEEK = 2  # only 3 present, and 3 forms


def present(i: int, week: int) -> bool:
    return week != SMALL_WEEK or i < 3


def fidelity_rows(bundle, cohort) -> list[list[str]]:  # noqa: ANN001
    """As a facilitator fills it in: week 3's second part adapted, week 4's last part not delivered."""
    t = texts(bundle.project, cohort)
    rows = [["semaine", "date", "élément", "partie", "minutes prévues", "statut", "minutes utilisées",
             "ce qui a été adapté et pourquoi"]]
    for s in cohort.sessions:
        week = bundle.contents["fr"].weeks[s.number]
        for k, p in enumerate(session_parts(week, s, t)):
            status, note = "réalisé", ""
            if s.number == 3 and k == 1:
                status, note = "adapté", "Fait en petits groupes, à cause du bruit"
            if s.number == 4 and k == len(week.agenda) - 1:
                status, note = "non réalisé", "Plus de temps"
            rows.append([str(s.number), s.date.isoformat(), p.id, p.label, str(p.minutes), status,
                         "0" if status == "non réalisé" else str(p.minutes), note])
        for i in range(1, len(week.key_messages) + 1):
            rows.append([str(s.number), s.date.isoformat(), f"message-{i}", "", "", "oui", "", ""])
    return rows


def feedback_rows() -> list[list[str]]:
    rows = [["session", "q1", "q2", "q3", "q4", "comment"]]
    for n in range(1, 7):
        for i in range(3 if n == SMALL_WEEK else 7):
            rows.append([str(n), str(3 - i % 2), "3", str(1 + i % 3), "" if i == 0 else "3", COMMENT if i == 1 else ""])
    rows += [["fin", "3", "3", "2", "", ""] for _ in range(6)]
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_cohort(proj: Path) -> Path:
    d = proj / "groupe"
    d.mkdir()
    (d / "roster.csv").write_text("code,first_name,last_name\n" + "".join(f"{c},{f},{la}\n" for c, f, la in NAMES),
                                  encoding="utf-8")
    att = ["participant,week 1,week 2,week 3,week 4,week 5,week 6"]
    att += [",".join([c, *("present" if present(i, w) else "absent" for w in range(1, 7))])
            for i, (c, _, _) in enumerate(NAMES)]
    (d / "attendance.csv").write_text("\n".join(att) + "\n", encoding="utf-8")
    (d / "cohort.yml").write_text(COHORT, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    proj = copy_project(tmp_path_factory.mktemp("delivery") / "p", MINIMAL)
    for part in ("templates", "locales", "fonts", "cohorts"):
        shutil.copytree(REPO / part, proj / part)
    d = write_cohort(proj)
    bundle, _ = bundle_for(proj)
    cohort = load_cohort(d / "cohort.yml", bundle.project)
    write_csv(d / "fidelite.csv", fidelity_rows(bundle, cohort), "cp1252", ";")
    write_csv(d / "avis.csv", feedback_rows(), "utf-8-sig", ",")
    out = proj / "dist"
    path = (d / "cohort.yml").resolve()
    targets = runsheets.collect(bundle, Options(out=out, papers=("letter", "a4"), cohort=path))
    targets += report.collect(bundle, Options(out=out, papers=("letter",), cohort=path))
    targets += forms.collect(bundle, Options(out=out, variants=("en", "fr"), papers=("letter",)))
    targets += forms.collect(bundle, Options(out=out, variants=("fr",), papers=("letter",), large_print=True))
    result = run(targets, proj, out, quiet=True, jobs=1)  # in this process: no worker pool to start
    assert not result.failed, result.failed
    return {"proj": proj, "dir": d, "res": out / "cohorts" / "groupe-test", "forms": out / "forms",
            "bundle": bundle, "cohort": cohort}


def pages(path: Path) -> list[str]:
    return [" ".join(text.split()) for text in pypdf_page_texts(path)]


def pdfs(built: dict) -> list[Path]:
    return sorted([*built["res"].glob("*.pdf"), *built["forms"].rglob("*.pdf")])


def test_kinds_are_registered_and_in_the_full_build() -> None:
    kinds = {k.name: k for k in KINDS}
    assert kinds["runsheets"].cohort and kinds["report"].cohort and kinds["runsheets"].in_all
    assert kinds["forms"].papers and kinds["forms"].print_options and kinds["forms"].in_all


def test_run_sheets_one_page_per_session_with_clock_times_from_the_start(built: dict) -> None:
    texts_ = pages(built["res"] / "runsheets-letter.pdf")
    assert len(texts_) == 6
    week2 = built["bundle"].contents["fr"].weeks[2]
    first = texts_[1]
    assert "mardi 9 mars 2027" in first and "Centre d'essai, salle 3" in first
    assert "Animatrice Une, Animatrice Deux" in first
    # 18:30 start; the week's parts follow each other: the first ends and the second starts at 18 h 30 + minutes
    m1 = week2.agenda[0].minutes
    end1 = (dt.datetime(2027, 3, 9, 18, 30) + dt.timedelta(minutes=m1)).strftime("%H h %M")
    assert f"18 h 30 – {end1}" in first
    assert "20 h 30" in first  # the session ends two hours later
    for item in week2.agenda:
        assert week2.sections[item.section].heading in first
    for message in week2.key_messages:
        assert message in first
    assert "Séance 2 sur 6" in first and "Déroulement" in first and "Matériel" in first  # French headings
    assert "Qui appeler" in first
    whole = " ".join(texts_)
    assert "mardi 16 mars 2027" not in whole  # the skipped date
    for _, f, la in NAMES:
        assert f not in whole and la not in whole


def test_run_sheet_paper_sizes(built: dict) -> None:
    for paper, size in (("letter", (612, 792)), ("a4", (595, 842))):
        box = reader(built["res"] / f"runsheets-{paper}.pdf").pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


def test_fidelity_checklist_has_every_part_and_message_of_its_week(built: dict) -> None:
    text = " ".join(pages(built["res"] / "fidelity-letter.pdf"))
    weeks = built["bundle"].contents["fr"].weeks
    chunks = text.split("Liste de vérification de la fidélité · ")[1:]
    assert len(chunks) == 6
    for n, chunk in enumerate(chunks, start=1):
        assert chunk.startswith(f"Séance {n} sur 6")
        for item in weeks[n].agenda:
            assert weeks[n].sections[item.section].heading in chunk
        for message in weeks[n].key_messages:
            assert message in chunk
        assert "réalisé" in chunk and "adapté" in chunk and "non réalisé" in chunk
        assert "Ce qui a été adapté, et pourquoi" in chunk


def test_fidelity_template_has_a_row_per_session_and_part(built: dict) -> None:
    raw = (built["res"] / "fidelity-template.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["semaine", "date", "élément"]
    weeks = built["bundle"].contents["fr"].weeks
    expected = sum(len(w.agenda) + len(w.key_messages) for w in weeks.values())
    assert len(rows) - 1 == expected
    assert ["1", "2027-03-02", weeks[1].agenda[0].section] == rows[1][:3]
    # it reads back as it was written (once filled in)
    problems = Problems(built["proj"])
    fid = load_fidelity(built["res"] / "fidelity-template.csv", built["cohort"], weeks,
                        texts(built["bundle"].project, built["cohort"]), problems)
    assert not problems.items and len(fid.rows) == expected


def test_feedback_forms_neutral_anonymous_and_in_french(built: dict) -> None:
    path = built["res"] / "feedback-letter.pdf"
    texts_ = pages(path)
    assert len(texts_) == 7  # one per session, then the end-of-program form
    assert "Votre avis" in texts_[0] and "Je me suis sentie bienvenue aujourd’hui." in texts_[0]
    assert "Non" in texts_[0] and "Un peu" in texts_[0] and "Oui" in texts_[0]
    assert "Rencontre de groupe 1 · 2 mars 2027" in texts_[0]
    assert "Votre avis sur tout le groupe" in texts_[6] and "Qu’est-ce qui a changé pour moi?" in texts_[6]
    whole = " ".join(texts_) + str(reader(path).metadata)
    words = word_lists()
    assert words["fr"].find(whole) is None and words["en"].find(whole) is None
    assert "Connections" not in whole
    for c, f, la in NAMES:
        assert c not in whole and f not in whole and la not in whole
    header = (built["res"] / "feedback-template.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header == ["session,q1,q2,q3,q4,comment"]


def test_feedback_form_has_a_face_scale_for_each_question(built: dict) -> None:
    """Each question has its three faces drawn: the page is mostly drawing, not text (looked at as a picture)."""
    from tests.fixtures.pdf.pdf_project import page_images

    img = page_images(built["res"] / "feedback-letter.pdf", dpi=30)[0]
    w, h = img.size
    dark_rows = [y for y in range(h) if img.crop((0, y, w // 2, y + 1)).getextrema()[0] < 100]
    assert len(dark_rows) > h // 5  # four rows of faces: solid strokes over a fifth of the page height


def test_report_counts_only_small_counts_suppressed_ocap_first(built: dict) -> None:
    texts_ = pages(built["res"] / "report.pdf")
    first = texts_[0]
    assert "Rapport de prestation du groupe" in first
    assert "PCAP®" in first and "Centre de gouvernance de l’information des Premières Nations" in first
    assert "Séances offertes : 6 sur 6" in first.replace("\u00a0", " ")
    whole = " ".join(texts_)
    assert "moins de 5" in whole
    assert "Fait en petits groupes, à cause du bruit" in whole  # an adaptation, listed
    for c, f, la in NAMES:
        assert c not in whole and f not in whole and la not in whole
    assert "Zorglub" not in whole
    rows = list(csv.reader(io.StringIO((built["res"] / "report.csv").read_text(encoding="utf-8-sig"))))
    flat = " ".join(" ".join(r) for r in rows)
    assert rows[1][0] == "OCAP®"
    assert ["présences", str(SMALL_WEEK), "présentes", "moins de 5"] in rows
    assert not any(r[-1] in {"1", "2", "3", "4"} for r in rows if r[2] != "sessions held")
    for c, f, la in NAMES:
        assert c not in flat and f not in flat and la not in flat
    assert "Zorglub" not in flat


def test_report_fidelity_numbers(built: dict) -> None:
    text = " ".join(pages(built["res"] / "report.pdf")).replace("\u00a0", " ")
    weeks = built["bundle"].contents["fr"].weeks
    n3 = len(weeks[3].agenda)
    assert f"{n3 - 1} / {n3}" in text  # week 3: one part adapted
    rows = list(csv.reader(io.StringIO((built["res"] / "report.csv").read_text(encoding="utf-8-sig"))))
    used4 = next(r[-1] for r in rows if r[1] == "4" and r[2] == "minutes utilisées")
    assert int(used4) == 120 - weeks[4].agenda[-1].minutes


def test_intake_guide_and_plan(built: dict) -> None:
    intake = " ".join(pages(built["forms"] / "fr" / "intake-guide-letter.pdf"))
    for heading in ("Disponibilité", "Sécurité en ce moment", "Les autres participantes", "Garde d’enfants",
                    "Accessibilité"):
        assert heading in intake
    assert "diagnostic" in intake
    plan_path = built["forms"] / "fr" / "my-plan-letter.pdf"
    plan = " ".join(pages(plan_path)) + str(reader(plan_path).metadata)
    assert "Mon plan" in plan and "Connections" not in plan
    assert word_lists()["fr"].find(plan) is None
    large = reader(built["forms"] / "fr" / "large-print" / "my-plan-letter.pdf")
    small = [text for text, size in text_sizes(large, 0) if size < 17.9 and not text.startswith(("Page", "Mon plan"))]
    assert small == []  # large print: nothing under 18 pt on the worksheet but its footer
    en_plan = " ".join(pages(built["forms"] / "en" / "my-plan-letter.pdf"))
    assert "My plan" in en_plan and word_lists()["en"].find(en_plan) is None


def test_every_pdf_prints_cleanly(built: dict) -> None:
    for path in pdfs(built):
        assert print_problems(path) == [], path.name


def test_every_pdf_is_pdf_ua(built: dict) -> None:
    page = pytest.importorskip("page")
    assert unvalidated_kinds("test_delivery.py", pdfs(built)) == set()
    for path in pdfs(built):
        result = page.validate_pdf(str(path), profile="ua1")
        assert result.is_compliant, (path.name, result.to_json()[:2000])


def test_csv_dialects_read_the_same(built: dict, tmp_path: Path) -> None:
    bundle, cohort = built["bundle"], built["cohort"]
    weeks, t = bundle.contents["fr"].weeks, texts(bundle.project, cohort)
    rows = fidelity_rows(bundle, cohort)
    read = []
    for enc, delim in (("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("cp1252", ",")):
        path = tmp_path / f"f-{enc}-{delim == ';'}.csv"
        write_csv(path, rows, enc, delim)
        problems = Problems(built["proj"])
        fid = load_fidelity(path, cohort, weeks, t, problems)
        assert not problems.items, problems.items
        read.append([(r.week, r.item, r.status, r.minutes, r.notes) for r in fid.rows])
    assert all(r == read[0] for r in read) and len(read[0]) == len(rows) - 1
    fb = tmp_path / "avis.csv"
    write_csv(fb, feedback_rows(), "cp1252", ";")
    problems = Problems(built["proj"])
    assert len(load_feedback(fb, cohort, t, problems).rows) == len(feedback_rows()) - 1 and not problems.items


def test_a_broken_row_is_reported_by_file_and_row_without_its_words(built: dict) -> None:
    d = built["dir"]
    rows = feedback_rows()
    rows[3][2] = "un peu triste"  # a participant wrote words where a face number belongs
    write_csv(d / "avis-casse.csv", rows, "utf-8", ",")
    (d / "casse.yml").write_text(COHORT.replace("avis.csv", "avis-casse.csv").replace("groupe-test", "groupe-casse"),
                                 encoding="utf-8")
    r = run_cli("report", d / "casse.yml", "--out", built["proj"] / "dist-casse", project=built["proj"])
    assert r.code == 1
    assert "groupe/avis-casse.csv:4: row 4, column 'q2': expected 1, 2 or 3" in r.err
    assert "triste" not in r.err + r.out and "Traceback" not in r.err


def test_break_and_reunion_are_named_without_a_section(built: dict) -> None:
    bundle, cohort = built["bundle"], built["cohort"]
    t = texts(bundle.project, cohort)
    week = Week(path=Path("w.md"), title="S", sections={}, number=1,
                agenda=[AgendaItem("break", 10, 1), AgendaItem("reunion", 15, 2)])
    assert part_label(week, "break", t) == "Pause"
    assert part_label(week, "reunion", t) == "Retrouvailles avec les enfants"
    parts = session_parts(week, cohort.sessions[0], t)
    assert parts[1].clock(cohort.locale) == "18 h 40 – 18 h 55"


def test_forms_discreet_rule_catches_a_flagged_word(built: dict, tmp_path: Path) -> None:
    from connections.delivery.check import check_forms

    proj = copy_project(tmp_path / "p", built["proj"])
    part = proj / "templates" / "delivery" / "participant.txt"
    part.write_text(part.read_text(encoding="utf-8").replace("I felt welcome today.",
                                                              "I felt safe from violence today."), encoding="utf-8")
    common._env.cache_clear()
    bundle, _ = bundle_for(proj)
    problems = Problems(proj)
    check_forms(bundle, problems)
    messages = [str(p) for p in problems.items]
    assert any("participant.txt" in m and "'q1'" in m and "violence" in m for m in messages), messages
    assert participant_texts(common.environment(bundle.project, bundle.variant("en"))).q1


def test_paperwork_is_made_again_for_what_it_shows_of_a_week_and_only_for_that(built: dict, tmp_path: Path) -> None:
    """Run sheets, checklists and feedback forms print a week's title, agenda headings and minutes, key messages
    and materials, nothing else: rewording an activity keeps them (and a forced build makes the same bytes);
    changing what they print makes them again."""
    proj = shutil.copytree(built["proj"], tmp_path / "p", symlinks=True)  # its outputs stay up to date
    cohort = (proj / built["dir"].relative_to(built["proj"]) / "cohort.yml").resolve()
    week = proj / "content/fr/week-2.md"

    def make(*names: str, out: Path = proj / "dist", force: bool = False) -> list[str]:
        bundle, _ = bundle_for(proj)
        targets = [t for t in runsheets.collect(bundle, Options(out=out, papers=("letter",), cohort=cohort))
                   if not names or t.output.name in names]
        result = run(targets, proj, out, force=force, quiet=True, jobs=1)
        assert not result.failed, result.failed
        return sorted(t.output.name for t in result.built)

    def edit(old: str, new: str) -> None:
        text = week.read_text(encoding="utf-8")
        assert old in text
        week.write_text(text.replace(old, new, 1), encoding="utf-8")

    assert make() == []
    edit("## Welcome {#welcome}\n\nTexte de la section.", "## Welcome {#welcome}\n\nUn accueil réécrit.")
    assert make() == []  # the activity's words are in the session guide and the manual, not on these pages
    kept = {name: (proj / "dist/cohorts/groupe-test" / name).read_bytes() for name in
            ("runsheets-letter.pdf", "fidelity-letter.pdf", "feedback-letter.pdf", "fidelity-template.csv")}
    fresh = tmp_path / "fresh"
    make(out=fresh, force=True)
    assert {name: (fresh / "cohorts/groupe-test" / name).read_bytes() for name in kept} == kept  # not stale

    template = proj / "dist/cohorts/groupe-test/fidelity-template.csv"
    for old, new, shown in [("## Welcome {#welcome}", "## Accueil chaleureux {#welcome}", "Accueil chaleureux"),
                            ("  - Deuxième message 2\n", "  - Un message revu\n", "Un message revu"),
                            ("title: Semaine 2\n", "title: Semaine deux\n", None),
                            ("  - Papier\n", "  - Crayons\n", None)]:
        edit(old, new)
        assert make("fidelity-template.csv") == ["fidelity-template.csv"], old
        if shown:
            assert shown in template.read_text(encoding="utf-8-sig")
