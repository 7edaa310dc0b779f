"""French typography as used in Canada: a check for `build.py check`, and a fixer for translators.

Canadian usage (Bureau de la traduction, *Le guide du rédacteur*; Office québécois de la langue
française): a non-breaking space (U+00A0) before the colon and inside « guillemets »; *no* space
before ; ! and ? — the France-style space there is flagged, except a narrow no-break space (U+202F),
which the OQLF accepts. Only prose is looked at (see prose.py), so code, URLs, YAML keys and
admonition markers are never touched.

    python -m connections.translation.typography content/fr          fix the files in place
    python -m connections.translation.typography --check content/fr  list what would change; exit 1 if any
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problems
from ..validate import Bundle
from .prose import prose_lines

NBSP, NNBSP = "\u00a0", "\u202f"
HOW = "run 'python -m connections.translation.typography {}' to fix it"


@dataclass(frozen=True)
class Rule:
    """A pattern on masked prose; ``fix`` rewrites the match, or None when only a person can fix it."""

    pattern: re.Pattern[str]
    message: str
    fix: str | None


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


@dataclass(frozen=True)
class Finding:
    line: int
    column: int  # 1-based
    message: str
    fixable: bool


def is_french(lang: str, locale: str) -> bool:
    return lang.lower().startswith("fr") or locale.lower().startswith("fr")


def findings(text: str) -> list[Finding]:
    """Every typography problem in the prose of a file."""
    out: list[Finding] = []
    for pl in prose_lines(text):
        for rule in RULES:
            for m in rule.pattern.finditer(pl.masked):
                out.append(Finding(pl.number, m.start() + 1, rule.message, rule.fix is not None))
    return sorted(out, key=lambda f: (f.line, f.column))


def fix_text(text: str) -> tuple[str, int]:
    """Apply every fixable rule to the prose; return the new text and how many places changed."""
    lines = text.splitlines(keepends=True)
    count = 0
    for pl in prose_lines(text):
        original = lines[pl.number - 1]
        body = original[: len(pl.text)]
        masked = pl.masked
        edits: list[tuple[int, int, str]] = []
        for rule in RULES:
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
        return re.sub(r"[\s\u00a0]+", "", data)
    return data


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


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.md") if not any(part.startswith(".") for part in x.parts))
        elif p.suffix == ".md":
            out.append(p)
    return out


def main(argv: list[str] | None = None, prog: str = "python -m connections.translation.typography") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Put the non-breaking spaces of Canadian French typography in Markdown prose: before ':' "
                    "and inside « ». Code, URLs, YAML keys and admonition markers are left alone.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="Markdown files or folders")
    parser.add_argument("--check", action="store_true", help="change nothing; list what would change, exit 1 if any")
    args = parser.parse_args(argv)
    files = _files(args.paths)
    if not files:
        print("typography: no Markdown files found in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return 1
    total = 0
    for path in files:
        before = path.read_bytes().decode("utf-8")
        after, n = fix_text(before)
        left = [f for f in findings(after) if not f.fixable]
        if n and not _same_data(before, after):
            print(f"{path}: not changed: the fix would change what the front matter means; fix it by hand",
                  file=sys.stderr)
            continue
        if n:
            total += n
            if args.check:
                for f in findings(before):
                    if f.fixable:
                        print(f"{path}:{f.line}:{f.column}: {f.message}")
            else:
                from .store import write_text_atomic

                write_text_atomic(path, after)
                print(f"{path}: {n} space{'s' * (n != 1)} fixed")
        for f in left:
            print(f"{path}:{f.line}:{f.column}: {f.message} (fix by hand)")
    verb = "to fix" if args.check else "fixed"
    print(f"typography: {total} place{'s' * (total != 1)} {verb} in {len(files)} file{'s' * (len(files) != 1)}.")
    return 1 if args.check and total else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
