"""`build.py status --html FILE`: one page a coordinator reads to estimate and order translation work.

Per variant, per file, per section: current, needs review or missing; for a section whose English
changed, the change (removed words struck through, added words underlined); and the words to
translate — every word of a missing or never-reviewed section, the added words of a changed one.
The page is self-contained (no scripts, no external files), so it can be mailed to an agency.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from pathlib import Path

from ..validate import Bundle
from . import store
from .diff import TOKEN_RE
from .tracking import CURRENT, EXTRA, MISSING, REVIEW, ModuleReport, SectionStatus, VariantReport, section_text

WORD_RE = re.compile(r"\w+")
MARKUP_RE = re.compile(r"\{[#:.][^}]*\}|\[\[[^\]]*\]\]|\]\([^)]*\)|^#+ |^\s*(?:[-*+]|\d+[.)]) ", re.M)
STYLE = """
body{font:16px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f2f2f2}td.n{text-align:right}.current{color:#1b5e20}
.review{color:#8a4b00;font-weight:600}.missing{color:#b00020;font-weight:600}del{background:#fde2e2}
ins{background:#dff5df}pre{white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace;background:#fafafa;
padding:.5rem;border:1px solid #eee;margin:.3rem 0}summary{cursor:pointer;font-weight:600}
"""


def words(text: str) -> int:
    """Words a translator translates: markup, ids and link targets left out."""
    return len(WORD_RE.findall(MARKUP_RE.sub(" ", text)))


def word_diff(old: str, new: str) -> tuple[str, int]:
    """HTML of ``new`` with removed words in <del> and added ones in <ins>; and how many words were added."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    out: list[str] = []
    added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
            added += words("".join(b[j1:j2]))
    return "".join(out), added


def _section_row(bundle: Bundle, m: ModuleReport, s: SectionStatus) -> tuple[str, int]:
    now = section_text(m.source, s.section) or ""
    label = {CURRENT: "current", REVIEW: "needs review", MISSING: "missing", EXTRA: "extra"}[s.state]
    css = {CURRENT: "current", REVIEW: "review", MISSING: "missing", EXTRA: ""}[s.state]
    detail, todo = "", 0
    if s.state == MISSING:
        todo = words(now)
        detail = f"<pre>{html.escape(now.strip())}</pre>"
    elif s.state == REVIEW:
        before = store.load(bundle.project, s.recorded)
        if before is None:
            todo = words(now)
            detail = ("never reviewed against the English: check all of it" if s.recorded is None
                      else "the English it was translated from is not stored: compare all of it")
        else:
            diff, todo = word_diff(before, now)
            detail = f"<pre>{diff}</pre>"
    row = (f"<tr><td><code>{html.escape(s.section)}</code></td><td class='{css}'>{label}</td>"
           f"<td class='n'>{words(now)}</td><td class='n'>{todo}</td><td>{detail}</td></tr>")
    return row, todo


def _variant(bundle: Bundle, r: VariantReport) -> str:
    v = bundle.variant(r.variant_id)
    parts: list[str] = []
    summary = ["<table><tr><th>File</th><th>Current</th><th>Needs review</th><th>Missing</th>"
               "<th>Words to translate</th></tr>"]
    total = 0
    for m in r.modules:
        rows, todo = [], 0
        for s in m.sections:
            row, n = _section_row(bundle, m, s)
            rows.append(row)
            todo += n
        total += todo
        name = html.escape(f"content/{r.variant_id}/{m.slug}.md")
        summary.append(f"<tr><td><a href='#{r.variant_id}-{m.slug}'>{name}</a></td><td class='n'>{m.count(CURRENT)}"
                       f"</td><td class='n'>{m.count(REVIEW)}</td><td class='n'>{m.count(MISSING)}</td>"
                       f"<td class='n'>{todo}</td></tr>")
        open_ = " open" if todo else ""
        parts.append(f"<details id='{r.variant_id}-{m.slug}'{open_}><summary>{name}: {m.count(CURRENT)} current, "
                     f"{m.count(REVIEW)} need review, {m.count(MISSING)} missing — {todo} words</summary>"
                     "<table><tr><th>Section</th><th>State</th><th>English words</th><th>Words to translate</th>"
                     "<th>What changed in the English</th></tr>" + "".join(rows) + "</table></details>")
    summary.append(f"<tr><th>Total</th><th class='n'>{r.count(CURRENT)}</th><th class='n'>{r.count(REVIEW)}</th>"
                   f"<th class='n'>{r.count(MISSING)}</th><th class='n'>{total}</th></tr></table>")
    head = (f"<h2 id='{r.variant_id}'>{html.escape(v.label)} ({r.variant_id}) — {v.relation} of {r.source_id}: "
            f"{r.percent:g}% current</h2><p>{r.count(CURRENT)} of {r.tracked} sections current; "
            f"<strong>{total} words</strong> to translate or review.</p>")
    return head + "".join(summary) + "".join(parts)


def write_html(bundle: Bundle, reports: list[VariantReport], out: Path) -> None:
    """The report page for ``reports`` (one per translated variant)."""
    body = "".join(_variant(bundle, r) for r in reports) or "<p>No translated variants.</p>"
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Translation status</title>"
            f"<style>{STYLE}</style></head><body><h1>Translation status</h1>"
            f"<p>Made on {dt.date.today().isoformat()} by <code>python build.py status --html</code>. Words to "
            "translate: every word of a missing or never-reviewed section, the added words of a changed one. "
            "Translators: <code>python build.py translate export VARIANT</code> gives exactly this work as "
            f"XLIFF.</p>{body}</body></html>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
