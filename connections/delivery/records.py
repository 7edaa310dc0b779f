"""The fidelity record and the participants' feedback, typed into spreadsheets and read back for the report.

Both are read with connections.cohort.csvfile (UTF-8 with or without BOM, Windows-1252; comma, semicolon
or tab). A wrong value is reported by file, row and column, never by quoting the cell: a feedback cell may
hold a participant's own words, and a message may be read over someone's shoulder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..cohort.config import Cohort
from ..cohort.csvfile import Table, fold, read_table
from ..errors import Problems
from ..model import Week

DELIVERED, ADAPTED, SKIPPED = "delivered", "adapted", "not delivered"
COVERED, NOT_COVERED = "covered", "not covered"
# Words accepted in the status column besides the page's own (texts.txt): English and French, short forms.
STATUS_WORDS = {
    DELIVERED: ("delivered", "d", "done", "as written", "livre", "livree", "fait", "oui", "yes", "y"),
    ADAPTED: ("adapted", "a", "changed", "adapte", "adaptee", "modifie"),
    SKIPPED: ("not delivered", "n", "skipped", "no", "non", "non livre", "non livree", "pas fait", "omis"),
}
COVER_WORDS = {
    COVERED: ("covered", "yes", "y", "oui", "o", "1", "x", "couvert", "aborde", "fait"),
    NOT_COVERED: ("not covered", "no", "n", "non", "0", "non couvert", "pas aborde"),
}
FIDELITY_COLUMNS = {  # column id -> names accepted (folded), besides the localized heading
    "week": ("week", "session", "semaine", "rencontre"),
    "date": ("date",),
    "item": ("item", "id", "element", "code"),
    "part": ("part", "partie", "label", "titre"),
    "planned": ("planned minutes", "planned", "minutes prevues", "prevu"),
    "status": ("status", "delivery", "statut", "etat"),
    "minutes": ("minutes used", "minutes", "minutes utilisees", "duree"),
    "notes": ("notes", "what was adapted and why", "adaptation", "remarques", "commentaires"),
}
FEEDBACK_COLUMNS = {
    "session": ("session", "week", "semaine", "rencontre", "form", "formulaire"),
    "comment": ("comment", "comments", "commentaire", "commentaires", "open", "notes"),
}
END = "end"
END_WORDS = ("end", "end of program", "fin", "final", "finale", "last", "derniere")
SCALE = (1, 2, 3)  # the face marked: 1 frown, 2 straight mouth, 3 smile
SESSION_QUESTIONS = 4
END_QUESTIONS = 3
MESSAGE_ID = re.compile(r"^message[ -]?(\d+)$")


@dataclass
class FidelityRow:
    week: int
    item: str  # a section id, or message-N
    status: str  # DELIVERED/ADAPTED/SKIPPED for parts, COVERED/NOT_COVERED for messages, "" when not recorded
    minutes: int | None
    notes: str
    row: int


@dataclass
class Fidelity:
    path: Path | None
    rows: list[FidelityRow] = field(default_factory=list)

    def week(self, n: int) -> list[FidelityRow]:
        return [r for r in self.rows if r.week == n]


@dataclass
class FeedbackRow:
    session: int | str  # 1..6, or END
    answers: list[int | None]
    commented: bool
    row: int


@dataclass
class Feedback:
    path: Path | None
    rows: list[FeedbackRow] = field(default_factory=list)

    def answers(self, session: int | str, question: int) -> list[int]:
        out: list[int] = []
        for r in self.rows:
            if r.session == session and question < len(r.answers) and (answer := r.answers[question]) is not None:
                out.append(answer)
        return out

    def forms(self, session: int | str) -> int:
        return sum(1 for r in self.rows if r.session == session)


def _column(table: Table, names: tuple[str, ...], localized: str = "") -> int | None:
    return table.column(*([fold(localized)] if localized else []), *names)


def _match(cell: str, words: dict[str, tuple[str, ...]], localized: dict[str, str]) -> str | None:
    word = fold(cell)
    for status, accepted in words.items():
        if word in accepted or word == fold(localized.get(status, "\0")):
            return status
    return None


def _headings(texts, ids: Mapping[str, tuple[str, ...]]) -> dict[str, str]:  # noqa: ANN001
    return {k: str(getattr(texts, f"col_{k}", "")) for k in ids}


def load_fidelity(path: Path, cohort: Cohort, weeks: dict[int, Week], texts, problems: Problems) -> Fidelity:  # noqa: ANN001
    """Rows of the fidelity record; problems name the file, the row and the column."""
    record = Fidelity(path)
    table = read_table(path, problems, "fidelity record")
    if table is None:
        return record
    heads = _headings(texts, FIDELITY_COLUMNS)
    cols = {k: _column(table, names, heads[k]) for k, names in FIDELITY_COLUMNS.items()}
    missing = [k for k in ("week", "item", "status") if cols[k] is None]
    if missing:
        problems.add(path, table.header_line, f"no column {', '.join(repr(heads[k] or k) for k in missing)}; start "
                     "from the fidelity template (fidelity-template.csv) that `build.py runsheets` writes")
        return record
    parts = {DELIVERED: str(texts.status_delivered), ADAPTED: str(texts.status_adapted),
             SKIPPED: str(texts.status_skipped)}
    covers = {COVERED: str(texts.status_covered), NOT_COVERED: str(texts.status_not_covered)}
    total = len(cohort.sessions)
    for row in table.rows:
        def bad(column: str, expected: str, line: int = row.line) -> None:
            problems.add(path, line, f"row {line}, column '{heads[column] or column}': {expected}")

        wk = row.get(cols["week"])
        if not wk.isdigit() or not 1 <= int(wk) <= total or int(wk) not in weeks:
            bad("week", f"expected the session number, 1 to {total}")
            continue
        week = weeks[int(wk)]
        item = fold(row.get(cols["item"])).replace(" ", "-")
        m = MESSAGE_ID.match(item)
        agenda = [a.section for a in week.agenda]
        # An item the week no longer has is a warning: the content may have changed since the group met.
        if m:
            if not 1 <= int(m[1]) <= len(week.key_messages):
                problems.warn(path, row.line, f"row {row.line}, column '{heads['item'] or 'item'}': week {wk} has "
                              f"key messages message-1 to message-{len(week.key_messages)}; the row is left out of "
                              "the report (did the content change? start again from fidelity-template.csv)")
                continue
            item = f"message-{int(m[1])}"
        elif item not in agenda:
            problems.warn(path, row.line, f"row {row.line}, column '{heads['item'] or 'item'}': week {wk} has no "
                          f"part by this name (its parts: {', '.join(agenda)}); the row is left out of the report "
                          "(did the content change? start again from fidelity-template.csv)")
            continue
        cell = row.get(cols["status"])
        status = ""
        if cell:
            found = _match(cell, COVER_WORDS if m else STATUS_WORDS, covers if m else parts)
            if found is None:
                expected = (f"'{covers[COVERED]}' or '{covers[NOT_COVERED]}'" if m else
                            f"'{parts[DELIVERED]}', '{parts[ADAPTED]}' or '{parts[SKIPPED]}'")
                bad("status", f"unknown value; expected {expected}, or an empty cell when it was not recorded")
                continue
            status = found
        minutes = None
        mcell = row.get(cols["minutes"]) if cols["minutes"] is not None else ""
        if mcell:
            if not mcell.isdigit() or int(mcell) > 600:
                bad("minutes", "expected the minutes used, a whole number such as 25, or an empty cell")
                continue
            minutes = int(mcell)
        notes = row.get(cols["notes"]) if cols["notes"] is not None else ""
        record.rows.append(FidelityRow(int(wk), item, status, minutes, notes, row.line))
    return record


def load_feedback(path: Path, cohort: Cohort, texts, problems: Problems) -> Feedback:  # noqa: ANN001
    """One row per form handed back: the session (or the end-of-program form) and the faces marked."""
    record = Feedback(path)
    table = read_table(path, problems, "feedback record")
    if table is None:
        return record
    heads = _headings(texts, FEEDBACK_COLUMNS)
    who = _column(table, FEEDBACK_COLUMNS["session"], heads["session"])
    qcols = [table.column(f"q{i}", f"question {i}", f"q {i}") for i in range(1, SESSION_QUESTIONS + 1)]
    if who is None or qcols[0] is None:
        problems.add(path, table.header_line, "expected the columns session, q1, q2, q3, q4, comment; start from "
                     "the feedback template (feedback-template.csv) that `build.py runsheets` writes")
        return record
    comment = _column(table, FEEDBACK_COLUMNS["comment"], str(getattr(texts, "col_comment", "")))
    end_words = (*END_WORDS, fold(str(texts.end_word)))
    total = len(cohort.sessions)
    for row in table.rows:
        cell = fold(row.get(who))
        if cell.isdigit() and 1 <= int(cell) <= total:
            session: int | str = int(cell)
        elif cell in end_words:
            session = END
        else:
            problems.add(path, row.line, f"row {row.line}, column 'session': expected the session number, 1 to "
                         f"{total}, or '{texts.end_word}' for the end-of-program form")
            continue
        count = END_QUESTIONS if session == END else SESSION_QUESTIONS
        answers: list[int | None] = []
        ok = True
        for i, col in enumerate(qcols):
            value = row.get(col)
            if i >= count and value:
                problems.add(path, row.line, f"row {row.line}, column 'q{i + 1}': the end-of-program form has "
                             f"{END_QUESTIONS} questions; leave this cell empty")
                ok = False
            elif value and not (value.isdigit() and int(value) in SCALE):
                problems.add(path, row.line, f"row {row.line}, column 'q{i + 1}': expected 1, 2 or 3 (the face "
                             "marked: 1 frown, 2 straight mouth, 3 smile), or an empty cell for no answer")
                ok = False
            answers.append(int(value) if value and value.isdigit() else None)
        if ok:
            record.rows.append(FeedbackRow(session, answers[:count], bool(row.get(comment)), row.line))
    return record
