"""`check` warnings where a translation's structure drifts from its source, section by section.

A translation keeps, per section, the source's list items, links, images, admonitions and numbers
(durations, phone numbers, week numbers), and the agenda, duration and list lengths of the front
matter. An *adaptation* rewrites freely, so only what keeps a session safe and runnable is compared:
every source agenda entry, the duration, the numbers that people dial, and the warnings.
Validation (connections.validate) already makes missing sections and key-message counts errors.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Problems
from ..model import Module, Section, Week
from ..validate import Bundle, relpath
from .prose import FENCE_RE, mask_inline

LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
LIST_MARK_RE = re.compile(r"^\s*\d+[.)]\s")  # "3. " numbers a step; it is not a number to keep
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\([^)]*\)")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
ADMONITION_RE = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+([\w-]+)")
NUMBER_RE = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:-\d+)+|\d+")
PHONE_RE = re.compile(r"\d+(?:-\d+){2,}|\b\d-\d-\d\b|\b9-?8-?8\b|\b911\b")


@dataclass(frozen=True)
class Shape:
    """What parity compares in one section."""

    list_items: int
    links: int
    images: int
    admonitions: Counter[str]
    numbers: dict[str, str]  # digits only -> as written in the source
    phones: dict[str, str]


def _lines(body: str) -> list[str]:
    out, fence = [], False
    for line in body.splitlines():
        if FENCE_RE.match(line):
            fence = not fence
            continue
        if not fence:
            out.append(line)
    return out


def shape(section: Section) -> Shape:
    return _shape(section.body, section.heading)


@lru_cache(maxsize=4096)
def _shape(body: str, heading: str) -> Shape:
    """Kept per text: a source section is compared with each of its translations (read-only, frozen)."""
    lines = _lines(body)
    text = "\n".join(lines)
    prose = "\n".join(LIST_MARK_RE.sub("", mask_inline(x)) for x in lines if not ADMONITION_RE.match(x))
    prose += "\n" + heading
    return Shape(
        list_items=sum(1 for x in lines if LIST_RE.match(x)),
        links=len(LINK_RE.findall(text)),
        images=len(IMAGE_RE.findall(text)),
        admonitions=Counter(m[1] for x in lines if (m := ADMONITION_RE.match(x))),
        numbers={re.sub(r"\D", "", m): m for m in NUMBER_RE.findall(prose)},
        phones={re.sub(r"\D", "", m): m for m in PHONE_RE.findall(prose)},
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _compare_sections(mod: Module, src: Module, src_label: str, adaptation: bool, bundle: Bundle,
                      problems: Problems) -> None:
    src_rel = relpath(bundle.project, src.path)
    for sid, sec in mod.sections.items():
        s_sec = src.sections.get(sid)
        if s_sec is None:
            continue
        a, b = shape(sec), shape(s_sec)
        there = f"the {src_label} source ({src_rel}:{s_sec.line})"

        def warn(message: str, section: Section = sec, sid: str = sid) -> None:
            problems.warn(mod.path, section.line, f"section '{sid}': {message}")

        if not adaptation:
            for what, got, want in (("list item", a.list_items, b.list_items), ("link", a.links, b.links),
                                    ("image", a.images, b.images)):
                if got != want:
                    warn(f"{_plural(got, what)} here, {want} in {there}; keep one {what} per source {what}")
            if a.admonitions != b.admonitions:
                warn(f"admonitions {_admon(a.admonitions)} here, {_admon(b.admonitions)} in {there}; "
                     "keep each '!!! type' block of the source")
            lost = [b.numbers[k] for k in sorted(b.numbers.keys() - a.numbers.keys(), key=lambda x: (len(x), x))]
            if lost:
                warn(f"the number{'s' * (len(lost) != 1)} {', '.join(lost)} of {there} "
                     f"{'are' if len(lost) != 1 else 'is'} not here; keep numbers and durations as in the source")
            continue
        got_w, want_w = a.admonitions["warning"], b.admonitions["warning"]
        if got_w < want_w:
            warn(f"{_plural(got_w, 'warning')} ('!!! warning') here, {want_w} in {there}; an adaptation keeps "
                 "every safety warning of the source")
        lost_phones = [b.phones[k] for k in sorted(b.phones.keys() - a.phones.keys())]
        if lost_phones:
            warn(f"the phone number{'s' * (len(lost_phones) != 1)} {', '.join(lost_phones)} of {there} "
                 f"{'are' if len(lost_phones) != 1 else 'is'} not here; keep help-line numbers as in the source")


def _admon(c: Counter[str]) -> str:
    return ", ".join(f"{n}× {t}" for t, n in sorted(c.items())) or "none"


def _compare_front(mod: Week, src: Week, src_label: str, adaptation: bool, bundle: Bundle, vid: str,
                   problems: Problems) -> None:
    front = bundle.fronts.get((vid, mod.number))
    line = front.line if front else (lambda *a: 1)
    src_rel = relpath(bundle.project, src.path)
    if mod.duration != src.duration:
        problems.warn(mod.path, line("duration"), f"duration is {mod.duration} minutes, but the {src_label} source "
                      f"has {src.duration} ({src_rel}); keep the session length")
    mine = {a.section: a for a in mod.agenda}
    for item in src.agenda:
        if item.section not in mine:
            problems.warn(mod.path, line("agenda"), f"the agenda has no entry for '{item.section}' "
                          f"({item.minutes} minutes in the {src_label} source, {src_rel}:{item.line}); "
                          "keep every agenda entry of the source")
        elif not adaptation and mine[item.section].minutes != item.minutes:
            got = mine[item.section]
            problems.warn(mod.path, got.line, f"agenda entry '{item.section}' has {got.minutes} minutes, but the "
                          f"{src_label} source has {item.minutes} ({src_rel}:{item.line}); keep the minutes")
    if adaptation:
        return
    order = [a.section for a in mod.agenda if a.section in {s.section for s in src.agenda}]
    if order != [a.section for a in src.agenda if a.section in mine]:
        problems.warn(mod.path, line("agenda"), f"the agenda is not in the {src_label} source's order "
                      f"({', '.join(a.section for a in src.agenda)}); keep the same order")
    for a in mod.agenda:
        if a.section not in {s.section for s in src.agenda}:
            problems.warn(mod.path, a.line, f"agenda entry '{a.section}' is not in the {src_label} source's agenda "
                          f"({src_rel}); a translation keeps the same entries")
    for key in ("objectives", "materials"):
        n_got, want = len(getattr(mod, key)), len(getattr(src, key))
        if n_got != want:
            problems.warn(mod.path, line(key), f"{key} has {_plural(n_got, 'item')}, but the {src_label} source has "
                          f"{want} ({src_rel}); keep one item per source item")


def check_parity(bundle: Bundle, problems: Problems) -> None:
    """`check`: structure of every translated and adapted module against its source, as warnings."""
    for v in bundle.variants:
        source = bundle.source_of(v.id)
        if source is None:
            continue
        adaptation = v.relation == "adaptation"
        src_by_slug = {m.slug: m for m in source.modules()}
        for mod in bundle.contents[v.id].modules():
            src = src_by_slug.get(mod.slug)
            if src is None:
                continue
            _compare_sections(mod, src, source.variant.label, adaptation, bundle, problems)
            if isinstance(mod, Week) and isinstance(src, Week):
                _compare_front(mod, src, source.variant.label, adaptation, bundle, v.id, problems)
            if not adaptation:
                extra = [sid for sid in mod.sections if sid not in src.sections]
                for sid in extra:
                    problems.warn(mod.path, mod.sections[sid].line, f"section '{sid}' is not in the "
                                  f"{source.variant.label} source ({relpath(bundle.project, src.path)}); a "
                                  "translation keeps the same sections (an adaptation may add its own)")
