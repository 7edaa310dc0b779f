"""`build.py translate import FILE`: write a translated XLIFF back into content/<variant>/.

All or nothing: every unit is checked first — its English must be the English of today (else it is
refused with its id and what changed), its inline codes must be those of the English (else refused
with its id) — then the new files are checked like `build.py check` does, in a scratch copy of the
project, and only then written. A section is rewritten only where a translation differs from what
the file holds, so importing an unchanged export changes no byte. A section is marked current (as
`mark-current` does) when every one of its units is in the file, translated, in state translated,
signed-off or final.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import UserError
from ..model import Module
from ..validate import Bundle
from . import segments as S
from . import store
from .commands import _load
from .frontmatter import write_translated_from
from .frontvalues import replace_values
from .tracking import FRONT, module_pairs, section_text, text_hash, tracked_ids
from .units import UNIT_ID_RE, FileText, Unit, aligned, read_file, section_units
from .xliff_format import CONTEXT, DONE_STATES, Broken, Xliff12File, flat, target_tree, to_strelem

SKIPPED = {"dist", "node_modules", "tests", "bench", "connections", "docs", "scripts", "translations"}


@dataclass
class Incoming:
    """One trans-unit as read from the file."""

    id: str
    section: str
    key: str
    source: str  # flat()
    target: list[S.Node] | None
    done: bool
    exported_hash: str


@dataclass
class Plan:
    """What an import does to one file."""

    path: Path
    before: str | None
    after: str
    marked: list[str] = field(default_factory=list)
    newly: int = 0  # marked sections whose recorded hash changed
    units: int = 0
    skipped: list[str] = field(default_factory=list)


def _fail(where: str, messages: list[str]) -> UserError:
    n = len(messages)
    return UserError("\n".join(messages) + f"\n{where}: nothing imported ({n} problem{'s' * (n != 1)}); "
                     "fix them and import again, or export again to get today's English.")


def read_xliff(path: Path) -> Xliff12File:
    try:
        return Xliff12File.parsefile(str(path))
    except (OSError, etree.XMLSyntaxError, ValueError, AssertionError, StopIteration) as exc:
        raise UserError(f"{path}: cannot read it as an XLIFF 1.2 file ({exc}); import the .xlf file that "
                        "'python build.py translate export' wrote, saved by your CAT tool") from None


def _state(unit) -> tuple[bool, bool]:
    """(has a translation, marked done) from the target's state and the unit's approved flag."""
    node = unit.get_target_dom()
    if node is None or (not (node.text or "").strip() and not len(node)):
        return False, False
    state = node.get("state")
    return True, state in DONE_STATES or (state is None and unit.xmlelement.get("approved") == "yes")


def _context(unit, uid: str) -> dict[str, str]:
    return {t: v for group in unit.getcontextgroups(CONTEXT.format(uid)) for t, v in group}


def _group(xf: Xliff12File, name: str, bundle: Bundle) -> dict[str, dict[str, list]]:
    """Units by file (content/<variant>/<slug>.md) then by section, with bad ids reported."""
    files: dict[str, dict[str, list]] = {}
    for unit in xf.unit_iter():
        full = unit.getid()
        original, _, uid = full.rpartition("\x04")
        m = UNIT_ID_RE.match(uid)
        parts = original.split("/")
        if not m or len(parts) != 3 or parts[0] != "content" or parts[2] != f"{m['slug']}.md":
            raise UserError(f"{name}: unit '{uid}' of <file original=\"{original}\"> is not a unit that "
                            "'translate export' wrote (expected e.g. week-3#check-in/2 in content/fr/week-3.md)")
        files.setdefault(original, {}).setdefault(m["section"], []).append((m["key"], uid, unit))
    known = {v.id for v in bundle.variants if bundle.source_of(v.id) is not None}
    for original in files:
        vid = original.split("/")[1]
        if vid not in known:
            raise UserError(f"{name}: <file original=\"{original}\">: '{vid}' is not a translated variant of this "
                            f"project; expected one of: {', '.join(sorted(known)) or '(none)'}")
    return files


def _describe_change(old: str, new: str) -> str:
    return f"was \"{old}\", now \"{new}\""


def _read_units(name: str, sid: str, rows: list, english: list[Unit], current_hash: str,
                refused: list[str]) -> dict[str, Incoming]:
    by_key = {u.key: u for u in english}
    out: dict[str, Incoming] = {}
    for key, uid, unit in rows:
        u = by_key.get(key)
        source = flat(unit.rich_source[0])
        if u is None:
            refused.append(f"{name}: unit {uid}: this part is no longer in the English (the section now has "
                           f"{len(english)} units); export again")
            continue
        now = flat(to_strelem(u.nodes))
        if source != now:
            refused.append(f"{name}: unit {uid}: the English changed since the export: "
                           f"{_describe_change(source, now)}; export again and translate the new English")
            continue
        has, done = _state(unit)
        tree = None
        if has:
            try:
                tree = target_tree(unit.rich_target[0], u.nodes)
            except Broken as exc:
                refused.append(f"{name}: unit {uid}: inline codes broken: {exc}; keep every tag of the source "
                               "in the translation, once each")
                continue
        out[key] = Incoming(uid, sid, key, source, tree, done, _context(unit, uid).get("x-source-hash", ""))
    hashes = {i.exported_hash for i in out.values()}
    if out and hashes != {current_hash}:
        new = [u.id for u in english if u.key not in out]
        refused.append(f"{name}: section {english[0].id.split('/')[0]}: the English of this section changed since "
                       "the export" + (f" (new: {', '.join(new)})" if new else "") +
                       "; export again to translate today's English")
    return out


def _texts(english: list[Unit], current: list[str] | None, got: dict[str, Incoming]) -> tuple[list[str | None], bool]:
    """The Markdown of each unit after the import, and whether any differs from what the file holds."""
    out: list[str | None] = []
    changed = False
    for i, u in enumerate(english):
        inc = got.get(u.key)
        cur = current[i] if current is not None else None
        if inc is None or inc.target is None:
            out.append(cur)
            continue
        tree = S.renumber_like(S.parse_inline(cur), u.nodes) if cur is not None else None
        if tree is not None and S.signature(tree) == S.signature(inc.target):
            out.append(cur)
            continue
        out.append(re.sub(r"\s*\n\s*", " ", S.render(inc.target).strip()))  # a unit is one line of Markdown
        changed = True
    return out, changed


def _front_updates(english: list[Unit], texts: list[str], mine: FileText | None) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {}
    for u, text in zip(english, texts, strict=True):
        key, _, index = u.key.partition("/")
        if index:
            values.setdefault(key, [])
            values[key].append(text)  # type: ignore[union-attr]
        else:
            values[key] = text
    current = mine.front if mine else {}
    return {k: v for k, v in values.items() if current.get(k) != v}


def _plan_file(name: str, bundle: Bundle, vid: str, src: Module, mod: Module | None,
               sections: dict[str, list], refused: list[str]) -> Plan | None:
    english = read_file(src.slug, src.path)
    path = bundle.variant(vid).directory / f"{src.slug}.md"
    mine = read_file(src.slug, path) if mod is not None else None
    if english is None:
        return None
    base = mine or english
    lines = list(base.lines)
    ids = tracked_ids(src)
    plan = Plan(path, mine.text if mine else None, "")
    front_updates: dict[str, str | list[str]] = {}
    edits: list[tuple[int, int, str]] = []
    for sid, rows in sections.items():
        if sid not in ids:
            for _, uid, _ in rows:
                refused.append(f"{name}: unit {uid}: section '{sid}' is no longer in the English "
                               f"({', '.join(ids)}); export again")
            continue
        units = section_units(english, sid)
        got = _read_units(name, sid, rows, units, text_hash(section_text(src, sid) or ""), refused)
        plan.units += len(got)
        current = aligned(units, mine, sid)
        texts, changed = _texts(units, current, got)
        if any(t is None for t in texts):
            if mine is not None:
                if any(i.target is not None for i in got.values()):
                    plan.skipped.append(f"{src.slug}#{sid}: not written: its {bundle.variant(vid).label} text "
                                        "does not line up with the English block by block, so every unit of it "
                                        "needs a translation")
                continue
            texts = [t if t is not None else u.markdown for t, u in zip(texts, units, strict=True)]
            changed = True
        if changed and sid == FRONT:
            front_updates = _front_updates(units, texts, mine)  # type: ignore[arg-type]
        elif changed:
            sec = (mine if current is not None and mine is not None else english).sections[sid]
            target_sec = base.sections.get(sid)
            if target_sec is None:
                refused.append(f"{name}: section {src.slug}#{sid}: the file has no such section; "
                               "run 'python build.py check'")
                continue
            edits.append((target_sec.start, target_sec.end, S.join(sec.pieces, texts)))  # type: ignore[arg-type]
        if all(u.key in got and got[u.key].target is not None and got[u.key].done for u in units):
            plan.marked.append(sid)
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    text = "".join(lines)
    if front_updates:
        text = replace_values(text, front_updates)
    recorded = dict(mod.translated_from) if mod is not None else {}
    hashes = {sid: text_hash(section_text(src, sid) or "") if sid in plan.marked else recorded[sid]
              for sid in ids if sid in plan.marked or sid in recorded}
    plan.newly = sum(1 for sid in plan.marked if recorded.get(sid) != hashes[sid])
    if hashes != recorded or mine is None:
        text = write_translated_from(text, hashes)
    plan.after = text
    return plan


def _check_result(bundle: Bundle, plans: list[Plan], name: str) -> list[str]:
    """Run `check` on a scratch copy holding the new files; errors stop the import, warnings are returned."""
    from ..checks import collect

    root = bundle.project.root
    with tempfile.TemporaryDirectory(prefix="connections-import-") as tmp:
        scratch = Path(tmp) / "project"
        scratch.mkdir()
        for entry in root.iterdir():  # copies, not links: `check` wants every file inside the project folder
            if entry.is_file():
                shutil.copy2(entry, scratch / entry.name)
            elif entry.is_dir() and entry.name not in SKIPPED and not entry.name.startswith("."):
                shutil.copytree(entry, scratch / entry.name, ignore=shutil.ignore_patterns(".sources", "__pycache__"))
        for p in plans:
            rel = p.path.resolve().relative_to(root.resolve())
            (scratch / rel).write_bytes(p.after.encode("utf-8"))
        _, problems = collect(scratch)
    written = {p.path.resolve().relative_to(root.resolve()).as_posix() for p in plans}
    if problems.errors:
        lines = [str(p) for p in sorted(problems.errors)]
        raise UserError("\n".join(lines) + f"\n{name}: nothing imported: the translated files would not pass "
                        "'python build.py check' (see above); fix the translation in your CAT tool and import again")
    return [str(p) for p in sorted(problems.warnings) if p.path in written]


def import_file(root: Path, path: Path) -> int:
    """Import a translated XLIFF; print what changed; UserError (exit 1, nothing written) on any problem."""
    name = path.name
    if not path.is_file():
        raise UserError(f"{path}: no such file; give the .xlf file your CAT tool saved")
    xf = read_xliff(path)
    bundle, problems = _load(root)
    files = _group(xf, name, bundle)
    refused: list[str] = []
    plans: list[Plan] = []
    for original, sections in files.items():
        vid, slug = original.split("/")[1], original.split("/")[2].removesuffix(".md")
        pair = next(((s, m) for s, m in module_pairs(bundle, vid) if s.slug == slug), None)
        if pair is None:
            refused.append(f"{name}: <file original=\"{original}\">: the English has no file '{slug}.md'")
            continue
        src, mod = pair
        rels = {original, bundle.project.root.joinpath(original).resolve().relative_to(
            bundle.project.root.resolve()).as_posix()}
        src_rel = src.path.resolve().relative_to(bundle.project.root.resolve()).as_posix()
        bad = [p for p in problems.errors if p.path in rels | {src_rel} and (bundle.project.root / p.path).is_file()]
        if bad:
            raise UserError("\n".join(map(str, bad)) + f"\n{name}: nothing imported: fix the errors above first "
                            "(run 'python build.py check')")
        plan = _plan_file(name, bundle, vid, src, mod, sections, refused)
        if plan is not None:
            plans.append(plan)
    if refused:
        raise _fail(name, refused)
    changed = [p for p in plans if p.after != p.before]
    warnings = _check_result(bundle, changed, name) if changed else []
    for p in plans:
        for sid in p.marked:
            store.save(bundle.project, section_text(_source(bundle, p), sid) or "")
    for p in changed:
        store.write_text_atomic(p.path, p.after)
    if changed:
        store.prune(bundle.project)
    for w in warnings:
        print(w)
    root_r = bundle.project.root.resolve()
    for p in plans:
        rel = p.path.resolve().relative_to(root_r).as_posix()
        what = "written" if p in changed else "unchanged"
        marked = f"; marked current: {', '.join(p.marked)}" if p.marked else ""
        print(f"{rel}: {p.units} unit{'s' * (p.units != 1)} read, {what}{marked}")
        for s in p.skipped:
            print(f"  {s}", file=sys.stderr)
    newly = sum(p.newly for p in plans)
    print(f"translate import: {len(changed)} file{'s' * (len(changed) != 1)} changed, "
          f"{newly} section{'s' * (newly != 1)} newly marked current. "
          "Run 'python build.py status' to see what is left.")
    return 0


def _source(bundle: Bundle, plan: Plan) -> Module:
    vid = plan.path.parent.name
    return next(s for s, _ in module_pairs(bundle, vid) if s.slug == plan.path.stem)

