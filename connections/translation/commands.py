"""`build.py status` and `build.py mark-current`: what is out of date, what changed, and marking it done.

Both commands read the content leniently: a translator in the middle of a week can still see the
status of every other file, and mark a file done as long as that file and its source are valid.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems, UserError
from ..model import Module
from ..project import Project
from ..validate import Bundle, load_bundle
from . import store
from .diff import side_by_side
from .frontmatter import write_translated_from
from .tracking import (
    CURRENT,
    EXTRA,
    FRONT,
    MISSING,
    REVIEW,
    ModuleReport,
    SectionStatus,
    VariantReport,
    section_text,
    tracked_ids,
    variant_report,
)


@dataclass(frozen=True)
class Spec:
    """What a user named on the command line: a variant, maybe one file, maybe one section."""

    text: str
    variant: str
    slug: str | None = None
    section: str | None = None


def parse_spec(text: str) -> Spec:
    """'fr', 'fr/week-3', 'fr/week-3.md', 'content/fr/week-3.md' or 'fr/week-3#check-in'."""
    raw = text.strip().replace("\\", "/")
    what, _, section = raw.partition("#")
    what = what.strip("/")
    if what.startswith("content/"):
        what = what[len("content/"):]
    variant, _, file = what.partition("/")
    slug = file.removesuffix(".md") or None
    if not variant or (slug and "/" in slug) or (section and not slug):
        raise UserError(f"'{text}': expected VARIANT, VARIANT/FILE or VARIANT/FILE#SECTION, "
                        "e.g. fr, fr/week-3 or fr/week-3#check-in")
    return Spec(text, variant, slug, section or None)


def _load(root: Path) -> tuple[Bundle, Problems]:
    project = Project.at(root)
    problems = Problems(project.root)
    return load_bundle(project, problems), problems


def _translated(bundle: Bundle, vid: str) -> None:
    known = [v.id for v in bundle.variants]
    if vid not in known:
        raise UserError(f"content/{vid}: no such variant '{vid}'; expected one of: {', '.join(known)}")
    if bundle.source_of(vid) is None:
        others = [v.id for v in bundle.variants if v.source]
        raise UserError(f"content/{vid}: '{vid}' is the source variant; it is not translated from anything. "
                        f"Name a translated variant: {', '.join(others) or '(none yet)'}")


def _rel(bundle: Bundle, path: Path) -> str:
    try:
        return path.resolve().relative_to(bundle.project.root).as_posix()
    except ValueError:
        return path.as_posix()


def _file_of(bundle: Bundle, vid: str, slug: str) -> Path:
    return bundle.variant(vid).directory / f"{slug}.md"


def _line(report: ModuleReport, s: SectionStatus) -> int:
    mod = report.module
    if mod is None:
        return 0
    sec = mod.sections.get(s.section)
    return sec.line if sec else 1


# ---------------------------------------------------------------- status


def _reports(bundle: Bundle, wanted: list[str]) -> list[VariantReport]:
    for vid in wanted:
        _translated(bundle, vid)
    ids = wanted or [v.id for v in bundle.variants if bundle.source_of(v.id) is not None]
    return [variant_report(bundle, vid) for vid in ids]


def _as_json(bundle: Bundle, reports: list[VariantReport], broken: set[str]) -> dict:
    out = []
    for r in reports:
        v = bundle.variant(r.variant_id)
        files = []
        for m in r.modules:
            path = _file_of(bundle, r.variant_id, m.slug)
            files.append({
                "file": _rel(bundle, path),
                "source": _rel(bundle, m.source.path),
                "exists": path.is_file(),
                "has_errors": _rel(bundle, path) in broken,
                "counts": {st: m.count(st) for st in (CURRENT, REVIEW, MISSING, EXTRA)},
                "sections": [{"id": s.section, "state": s.state, "line": _line(m, s),
                              "recorded": s.recorded, "source_hash": s.current} for s in m.sections],
            })
        out.append({"variant": r.variant_id, "label": v.label, "relation": v.relation, "source": r.source_id,
                    "counts": {st: r.count(st) for st in (CURRENT, REVIEW, MISSING, EXTRA)},
                    "tracked": r.tracked, "percent": r.percent, "files": files})
    return {"variants": out}


def _describe(m: ModuleReport, items: list[SectionStatus]) -> str:
    return ", ".join(f"{s.section} (line {_line(m, s)})" if s.state == REVIEW else s.section for s in items)


def _module_line(bundle: Bundle, vid: str, m: ModuleReport, broken: set[str]) -> str:
    path = _file_of(bundle, vid, m.slug)
    tracked = sum(1 for s in m.sections if s.state != EXTRA)
    if m.module is None:
        why = "has errors, see 'python build.py check'" if path.is_file() else "missing file"
        return f"{why} ({tracked} sections to translate)"
    parts = [f"{m.count(CURRENT)} of {tracked} current"]
    if _rel(bundle, path) in broken:
        parts.append("has errors, see 'python build.py check'")
    changed = [s for s in m.sections if s.state == REVIEW and s.recorded is not None]
    never = [s for s in m.sections if s.state == REVIEW and s.recorded is None]
    if changed:
        parts.append(f"needs review: {_describe(m, changed)}")
    if never:
        parts.append(f"never marked current: {len(never)} section{'s' * (len(never) != 1)}"
                     + (f" ({_describe(m, never)})" if len(never) < tracked else ""))
    for state in (MISSING, EXTRA):
        items = [s for s in m.sections if s.state == state]
        if items:
            parts.append(f"{state}: {_describe(m, items)}")
    return " · ".join(parts)


def _print_text(bundle: Bundle, reports: list[VariantReport], broken: set[str]) -> None:
    changed_hint: str | None = None
    never_hint: str | None = None
    for r in reports:
        v = bundle.variant(r.variant_id)
        print(f"{r.variant_id} — {v.label}, {v.relation} of {r.source_id}: {r.percent:g}% current "
              f"({r.count(CURRENT)} of {r.tracked} sections)")
        print(f"  current {r.count(CURRENT)} · needs review {r.count(REVIEW)} · missing {r.count(MISSING)} · "
              f"extra {r.count(EXTRA)}")
        width = max((len(m.slug) for m in r.modules), default=8) + 5
        for m in r.modules:
            print(f"  {(m.slug + '.md').ljust(width)}{_module_line(bundle, r.variant_id, m, broken)}")
            first = next((s for s in m.sections if s.state == REVIEW and s.recorded is not None), None)
            if first is not None and changed_hint is None:
                changed_hint = f"{r.variant_id}/{m.slug}#{first.section}"
            if never_hint is None and any(s.state == REVIEW and s.recorded is None for s in m.sections):
                never_hint = f"{r.variant_id}/{m.slug}"
        print()
    if changed_hint:
        what = changed_hint.split("#")[0]
        print(f"See what changed:      python build.py status --diff {what}")
        print(f"After updating it:     python build.py mark-current {changed_hint}   (or {what} for the whole file)")
    if never_hint:
        print(f"Once a file is checked against the source: python build.py mark-current {never_hint}")


def _colour_wanted() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _print_diff(bundle: Bundle, spec: Spec, as_json: bool) -> None:
    _translated(bundle, spec.variant)
    report = variant_report(bundle, spec.variant)
    modules = [m for m in report.modules if spec.slug in (None, m.slug)]
    if spec.slug and not modules:
        names = ", ".join(f"{spec.variant}/{m.slug}" for m in report.modules)
        raise UserError(f"'{spec.text}': the source has no file '{spec.slug}.md'; expected one of: {names}")
    project = bundle.project
    src_label = bundle.variant(report.source_id).label
    width = shutil.get_terminal_size((110, 24)).columns
    shown: list[dict] = []
    for m in modules:
        path = _file_of(bundle, spec.variant, m.slug)
        for s in m.sections:
            if spec.section and s.section != spec.section:
                continue
            if not spec.section and s.state not in (REVIEW, MISSING):
                continue
            now = section_text(m.source, s.section) or ""
            before = store.load(project, s.recorded)
            shown.append({"file": _rel(bundle, path), "line": _line(m, s), "section": s.section, "state": s.state,
                          "recorded": s.recorded, "source_hash": s.current, "source_before": before,
                          "source_now": now, "source_file": _rel(bundle, m.source.path),
                          "mark": f"{spec.variant}/{m.slug}#{s.section}"})
    if spec.section and not shown:
        ids = ", ".join(tracked_ids(modules[0].source)) if modules else ""
        raise UserError(f"'{spec.text}': the source has no section '{spec.section}'; expected one of: {ids}")
    if as_json:
        print(json.dumps({"diff": shown}, ensure_ascii=False, indent=2))
        return
    if not shown:
        print(f"{spec.text}: every section is current; nothing changed in the {src_label} source since it was "
              "last marked.")
        return
    colour = _colour_wanted()
    for d in shown:
        where = f"{d['file']}:{d['line']}" if d["line"] else d["file"]
        print(f"{where}  #{d['section']}  {d['state']}")
        if d["state"] == CURRENT:
            print(f"  current: the {src_label} source has not changed since it was marked.\n")
            continue
        if d["state"] == MISSING:
            print(f"  not translated yet; the {src_label} text now ({d['source_file']}):")
            print("    " + d["source_now"].strip().replace("\n", "\n    ") + "\n")
            continue
        if d["source_before"] is None:
            why = ("it was never marked current, so there is no record of the text it was made from"
                   if d["recorded"] is None else
                   f"the recorded text ({d['recorded']}) is not in content/{store.STORE}/")
            print(f"  {why}; compare it with the {src_label} text now ({d['source_file']}):")
            print("    " + d["source_now"].strip().replace("\n", "\n    "))
        else:
            print(side_by_side(d["source_before"], d["source_now"], width=width,
                               left_title=f"{src_label} when translated ({d['recorded']})",
                               right_title=f"{src_label} now ({d['source_hash']})", colour=colour))
        print(f"  Update {where}, then: python build.py mark-current {d['mark']}\n")


@dataclass(frozen=True)
class StatusOptions:
    """`build.py status`: which variants, in which form, and the percentage under which it fails."""

    variants: tuple[str, ...] = ()
    json: bool = False
    diff: str | None = None  # VARIANT/FILE: show what changed in the source
    fail_under: float | None = None
    html: Path | None = None  # also write the coordinators' report here


def status(root: Path, args: StatusOptions) -> int:
    """Print per-variant, per-file, per-section translation status; exit 1 under --fail-under."""
    limit = args.fail_under
    if limit is not None and not 0 <= limit <= 100:
        raise UserError(f"--fail-under should be a percentage from 0 to 100, not {limit:g}")
    bundle, problems = _load(root)
    broken = {p.path for p in problems.errors}
    if problems.errors:
        n = len(problems.errors)
        print(f"note: the content has {n} error{'s' * (n != 1)}; files that cannot be read count as missing. "
              "Run 'python build.py check' for details.", file=sys.stderr)
    if args.diff:
        _print_diff(bundle, parse_spec(args.diff), bool(args.json))
        return 0
    reports = _reports(bundle, list(args.variants))
    if args.html:
        from .report import write_html

        write_html(bundle, reports, args.html)
        print(f"{args.html}: translation report written", file=sys.stderr)
    if args.json:
        print(json.dumps(_as_json(bundle, reports, broken), ensure_ascii=False, indent=2))
    else:
        _print_text(bundle, reports, broken)
    if limit is not None:
        low = [r for r in reports if r.percent < limit]
        for r in low:
            print(f"status: {r.variant_id} is {r.percent:g}% current, under the required {limit:g}%", file=sys.stderr)
        return 1 if low else 0
    return 0


# ---------------------------------------------------------------- mark-current


def _modules_for(bundle: Bundle, spec: Spec) -> list[tuple[Module, Module]]:
    """(source, translation) pairs the spec names; a named file must exist on both sides."""
    _translated(bundle, spec.variant)
    report = variant_report(bundle, spec.variant)
    if spec.slug is None:
        return [(m.source, m.module) for m in report.modules if m.module is not None]
    m = next((m for m in report.modules if m.slug == spec.slug), None)
    if m is None:
        names = ", ".join(f"{spec.variant}/{x.slug}" for x in report.modules)
        raise UserError(f"'{spec.text}': the source has no file '{spec.slug}.md'; expected one of: {names}")
    if m.module is None:
        path = _rel(bundle, _file_of(bundle, spec.variant, spec.slug))
        why = "cannot be read; run 'python build.py check'" if (bundle.project.root / path).is_file() else \
            "does not exist yet; translate it first"
        raise UserError(f"{path}: {why}")
    return [(m.source, m.module)]


def _sections_to_mark(source: Module, module: Module, spec: Spec, where: str) -> list[str]:
    ids = tracked_ids(source)
    if spec.section is None:
        return [sid for sid in ids if sid == FRONT or sid in module.sections]
    if spec.section not in ids:
        raise UserError(f"'{spec.text}': the source has no section '{spec.section}'; expected one of: "
                        f"{', '.join(ids)}")
    if spec.section != FRONT and spec.section not in module.sections:
        raise UserError(f"{where}: has no section '{spec.section}' yet; add '## ... {{#{spec.section}}}' "
                        "with its translation, then mark it")
    return [spec.section]


def mark_current(root: Path, what: list[str]) -> int:
    """Record the current source hash of the named sections in each translation's front matter."""
    bundle, problems = _load(root)
    specs = [parse_spec(w) for w in what]
    plan: dict[Path, tuple[Module, Module, set[str]]] = {}
    for spec in specs:
        for source, module in _modules_for(bundle, spec):
            where = _rel(bundle, module.path)
            bad = [p for p in problems.errors if p.path in (where, _rel(bundle, source.path))]
            if bad:
                raise UserError(f"{where}: fix the errors above before marking it current "
                                "(run 'python build.py check')", bad)
            _, _, sids = plan.setdefault(module.path, (source, module, set()))
            sids.update(_sections_to_mark(source, module, spec, where))
    total = changed = 0
    for path, (source, module, sids) in plan.items():
        hashes: dict[str, str] = {}
        for sid in tracked_ids(source):
            if sid in sids:
                hashes[sid] = store.save(bundle.project, section_text(source, sid) or "")
            elif sid in module.translated_from:
                hashes[sid] = module.translated_from[sid]
        before = path.read_bytes().decode("utf-8")
        after = write_translated_from(before, hashes)
        updated = sum(1 for sid in sids if module.translated_from.get(sid) != hashes[sid])
        if after != before:
            store.write_text_atomic(path, after)
        total += len(sids)
        changed += updated
        print(f"{_rel(bundle, path)}: {len(sids)} section{'s' * (len(sids) != 1)} marked current"
              + (f" ({updated} out of date or never marked before)" if updated else " (already current)"))
    removed = store.prune(bundle.project)
    print(f"mark-current: {total} section{'s' * (total != 1)} in {len(plan)} file{'s' * (len(plan) != 1)}"
          f", {changed} newly marked" + (f"; {removed} old source snapshots removed" if removed else "") + ".")
    return 0
