"""French typography as used in Canada: a check for `build.py check`, and a fixer for translators.

Canadian usage (Bureau de la traduction, *Le guide du rédacteur*; Office québécois de la langue
française): a non-breaking space (U+00A0) before the colon and inside « guillemets »; *no* space
before ; ! and ? — the France-style space there is flagged, except a narrow no-break space (U+202F),
which the OQLF accepts. One apostrophe, the typographic ’ (U+2019), and « » rather than straight
double quotes. Only prose is looked at (see prose.py), so code, URLs, YAML syntax, placeholders and
admonition markers are never touched; the French message catalogs are checked too (their msgstr
text only).

    python -m connections.translation.typography content/fr          fix the files in place
    python -m connections.translation.typography --check content/fr  list what would change; exit 1 if any
    python -m connections.translation.typography locales/fr          the catalog's apostrophes and quotes
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..catalogs import po_files
from ..errors import Problems
from ..validate import Bundle
from .prose import MASK, ProseLine, mask_inline, prose_lines

NBSP, NNBSP, APOSTROPHE = "\u00a0", "\u202f", "\u2019"
HOW = "run 'python -m connections.translation.typography {}' to fix it"


@dataclass(frozen=True)
class Rule:
    """A pattern on masked prose; ``fix`` rewrites the match, or None when only a person can fix it."""

    pattern: re.Pattern[str]
    message: str
    fix: str | None
    body_only: bool = False  # not in front matter, where straight double quotes are YAML syntax


RULES = [
    Rule(re.compile(r"(?<=[^\s\x00])[ \t]+(?=:(?:\s|$|[»)\]*_]))"),
         "normal space before ':'; French in Canada uses a non-breaking space (U+00A0) there", NBSP),
    Rule(re.compile(r"(?<=[\w»)\]*_])(?=:(?:\s|$|[*_]))"),
         "no space before ':'; French in Canada puts a non-breaking space (U+00A0) there", NBSP),
    Rule(re.compile(r"(?<=«)[ \t]+"),
         "normal space after '«'; use a non-breaking space (U+00A0) inside guillemets", NBSP),
    Rule(re.compile(r"[ \t]+(?=»)"),
         "normal space before '»'; use a non-breaking space (U+00A0) inside guillemets", NBSP),
    Rule(re.compile(r"(?<=«)(?=[^\s\u00a0\u202f\x00])"),
         "no space after '«'; put a non-breaking space (U+00A0) inside guillemets", NBSP),
    Rule(re.compile(r"(?<=[^\s\u00a0\u202f\x00])(?=»)"),
         "no space before '»'; put a non-breaking space (U+00A0) inside guillemets", NBSP),
    Rule(re.compile(r"(?<=[\w»)*_])[ \u00a0]+(?=[;!?](?:\s|$|[»)\]*_]))"),
         "space before ';', '!' or '?': France-style; in Canada there is no space there (or a narrow "
         "no-break space, U+202F); remove it", None),
]
# A straight apostrophe between letters (or before a placeholder, code or emphasis): ’ in French. In a
# single-quoted YAML value '' is one apostrophe, so it becomes one ’.
APOSTROPHE_RULE = Rule(re.compile(r"(?<=\w)'{1,2}(?=[\w\x00*_«])"),
                       "straight apostrophe (') in French text; use the typographic apostrophe ’ (U+2019)",
                       APOSTROPHE)
QUOTES = "straight double quotes in French text; use « » with non-breaking spaces (U+00A0) inside"
RULES += [
    APOSTROPHE_RULE,
    Rule(re.compile(r'(?<![^\s(\[\u00a0])"(?=[^\s"\x00])'), QUOTES, "«" + NBSP, body_only=True),
    Rule(re.compile(r'(?<=[^\s(\[\u00a0"\x00])"(?![^\s.,;:!?)\]…*_])'), QUOTES, NBSP + "»", body_only=True),
]
ADMONITION_TITLE_RE = re.compile(r'^(\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*\s+")(.*)("\s*)$')


@dataclass(frozen=True)
class Finding:
    line: int
    column: int  # 1-based
    message: str
    fixable: bool


def is_french(lang: str, locale: str) -> bool:
    return lang.lower().startswith("fr") or locale.lower().startswith("fr")


def _views(pl: ProseLine) -> list[tuple[Rule, str]]:
    """Each rule with the masked line it reads: an admonition's title is prose for the apostrophe only."""
    out = [(rule, pl.masked) for rule in RULES if not (rule.body_only and pl.in_front)]
    title = ADMONITION_TITLE_RE.match(pl.text)
    if title and not pl.in_front:
        start, end = title.span(2)
        view = MASK * start + mask_inline(title.group(2)) + MASK * (len(pl.text) - end)
        out = [(r, view if r is APOSTROPHE_RULE else m) for r, m in out]
    return out


def findings(text: str) -> list[Finding]:
    """Every typography problem in the prose of a file."""
    out: list[Finding] = []
    for pl in prose_lines(text):
        for rule, masked in _views(pl):
            for m in rule.pattern.finditer(masked):
                out.append(Finding(pl.number, m.start() + 1, rule.message, rule.fix is not None))
    return sorted(out, key=lambda f: (f.line, f.column))


def fix_text(text: str) -> tuple[str, int]:
    """Apply every fixable rule to the prose; return the new text and how many places changed."""
    lines = text.splitlines(keepends=True)
    count = 0
    for pl in prose_lines(text):
        original = lines[pl.number - 1]
        body = original[: len(pl.text)]
        edits: list[tuple[int, int, str]] = []
        for rule, masked in _views(pl):
            if rule.fix is None:
                continue
            edits += [(m.start(), m.end(), rule.fix) for m in rule.pattern.finditer(masked)]
        if not edits:
            continue
        taken: set[int] = set()
        for start, end, repl in sorted(edits, key=lambda e: -e[0]):
            if start in taken:
                continue
            taken.add(start)
            body = body[:start] + repl + body[end:]
            count += 1
        lines[pl.number - 1] = body + original[len(pl.text):]
    return "".join(lines), count


def _front_data(text: str) -> object:
    lines = text.splitlines(keepends=True)
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if not lines or lines[0].lstrip("\ufeff").strip() != "---" or close is None:
        return None
    return yaml.safe_load("".join(lines[1:close]))


def _same_data(before: str, after: str) -> bool:
    """The front matter means the same once spaces are ignored: a safety net before writing."""
    try:
        return _loose(_front_data(before)) == _loose(_front_data(after))
    except yaml.YAMLError:
        return False


def _loose(data: object) -> object:
    if isinstance(data, dict):
        return {k: _loose(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_loose(v) for v in data]
    if isinstance(data, str):
        return re.sub(r"[\s\u00a0]+", "", data).replace(APOSTROPHE, "'")
    return data


# The French catalogs: only the translated text (msgstr and its continuation lines) is prose.
PO_STRING_RE = re.compile(r'^(msgstr(?:\[\d+\])?\s+)?"(.*)"\s*$')
PO_QUOTE_RE = re.compile(r'\\"')


def po_findings(text: str) -> list[Finding]:
    """Straight apostrophes and escaped straight double quotes in a catalog's translations."""
    out: list[Finding] = []
    in_msgstr = False
    for n, line in enumerate(text.splitlines(), 1):
        m = PO_STRING_RE.match(line)
        if not m:
            in_msgstr = False
            continue
        if m.group(1):
            in_msgstr = True
        if not in_msgstr:
            continue
        start = m.start(2)
        masked = MASK * start + mask_inline(_mask_format(m.group(2))) + MASK * (len(line) - m.end(2))
        for a in APOSTROPHE_RULE.pattern.finditer(masked):
            out.append(Finding(n, a.start() + 1, APOSTROPHE_RULE.message, True))
        for q in PO_QUOTE_RE.finditer(masked):
            out.append(Finding(n, q.start() + 1, QUOTES, False))
    return out


def _mask_format(s: str) -> str:
    """Mask %(name)s and {name} format fields: they are code."""
    return re.sub(r"%\([^)]*\)[a-z]|\{[^{}]*\}", lambda m: MASK * len(m.group()), s)


def fix_po_text(text: str) -> tuple[str, int]:
    """Put ’ for every straight apostrophe in the translations of a catalog."""
    lines = text.splitlines(keepends=True)
    count = 0
    for f in po_findings(text):
        if f.fixable:
            i, c = f.line - 1, f.column - 1
            end = c + (2 if lines[i][c:c + 2] == "''" else 1)
            lines[i] = lines[i][:c] + APOSTROPHE + lines[i][end:]
            count += 1
    return "".join(lines), count


def check_typography(bundle: Bundle, problems: Problems) -> None:
    """`check`: warn on French typography that is not Canadian usage, in every French variant."""
    for v in bundle.variants:
        if not is_french(v.lang, v.locale):
            continue
        for mod in bundle.contents[v.id].modules():
            try:
                text = mod.path.read_text(encoding="utf-8")
            except OSError:
                continue
            how = HOW.format(problems.rel(v.directory))
            by_line: dict[int, list[Finding]] = {}
            for f in findings(text):
                by_line.setdefault(f.line, []).append(f)
            for line, found in by_line.items():
                messages = list(dict.fromkeys(f.message for f in found))
                counted = [m + (f" ({n}×)" if (n := sum(f.message == m for f in found)) > 1 else "") for m in messages]
                fixable = any(f.fixable for f in found)
                problems.warn(mod.path, line, "; ".join(counted) + (f" — {how}" if fixable else ""))
    for po in po_files(bundle.project):
        if not is_french(po.parent.parent.name, po.parent.parent.name):
            continue
        try:
            found = po_findings(po.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        how = HOW.format(problems.rel(po.parent.parent))
        for line in dict.fromkeys(f.line for f in found):
            messages = list(dict.fromkeys(f.message for f in found if f.line == line))
            fixable = any(f.fixable for f in found if f.line == line)
            problems.warn(po, line, "; ".join(messages) + (f" — {how}" if fixable else ""))


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*") if x.suffix in (".md", ".po")
                          and not any(part.startswith(".") for part in x.parts))
        elif p.suffix in (".md", ".po"):
            out.append(p)
    return out


def main(argv: list[str] | None = None, prog: str = "python -m connections.translation.typography") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Put Canadian French typography in Markdown prose: non-breaking spaces before ':' and "
                    "inside « », the apostrophe ’ and « » for straight quotes; in .po catalogs, the apostrophe "
                    "’. Code, URLs, YAML syntax, placeholders and admonition markers are left alone.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="Markdown or .po files, or folders")
    parser.add_argument("--check", action="store_true", help="change nothing; list what would change, exit 1 if any")
    args = parser.parse_args(argv)
    files = _files(args.paths)
    if not files:
        print("typography: no Markdown or .po files found in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return 1
    total = 0
    for path in files:
        before = path.read_bytes().decode("utf-8")
        po = path.suffix == ".po"
        find = po_findings if po else findings
        after, n = fix_po_text(before) if po else fix_text(before)
        left = [f for f in find(after) if not f.fixable]
        if n and not po and not _same_data(before, after):
            print(f"{path}: not changed: the fix would change what the front matter means; fix it by hand",
                  file=sys.stderr)
            continue
        if n:
            total += n
            if args.check:
                for f in find(before):
                    if f.fixable:
                        print(f"{path}:{f.line}:{f.column}: {f.message}")
            else:
                from .store import write_text_atomic

                write_text_atomic(path, after)
                print(f"{path}: {n} place{'s' * (n != 1)} fixed")
        for f in left:
            print(f"{path}:{f.line}:{f.column}: {f.message} (fix by hand)")
    verb = "to fix" if args.check else "fixed"
    print(f"typography: {total} place{'s' * (total != 1)} {verb} in {len(files)} file{'s' * (len(files) != 1)}.")
    return 1 if args.check and total else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
