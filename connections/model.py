"""Typed objects the whole toolkit renders from: variants, the program overview, weeks, sections."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .project import Project
    from .yamlfile import Located

WEEKS = range(1, 7)


@dataclass
class Section:
    """A body section: ``## Heading {#id}`` and the Markdown under it."""

    id: str
    heading: str
    body: str
    line: int  # line of the heading in its file


@dataclass
class AgendaItem:
    section: str
    minutes: int
    line: int


@dataclass
class Module:
    """What program.md and week files share: a path, sections in order, translation records."""

    path: Path
    title: str
    sections: dict[str, Section]
    translated_from: dict[str, str] = field(default_factory=dict)
    extra_sections: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.path.stem

    def section(self, section_id: str) -> Section | None:
        return self.sections.get(section_id)


@dataclass
class Program(Module):
    subtitle: str = ""


@dataclass
class Week(Module):
    number: int = 0
    duration: int = 0
    discreet_title: str = ""
    objectives: list[str] = field(default_factory=list)
    key_messages: list[str] = field(default_factory=list)  # facilitator wording: guide and manual
    participant_key_messages: list[str] = field(default_factory=list)  # plain wording: handouts
    materials: list[str] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)


@dataclass
class Variant:
    """A language or adaptation of the program: configuration from ``content/<id>/variant.yml``."""

    id: str
    label: str
    locale: str  # Babel locale, e.g. en_CA, fr_CA, iu
    lang: str  # BCP 47 tag for HTML and PDF, e.g. en, fr, iu
    relation: str  # source | translation | adaptation
    source: str | None  # id of the variant it translates or adapts
    theme_language: str  # mkdocs-material UI language
    discreet_name: str  # neutral program name for discreet handouts
    content_date: dt.date
    order: int
    directory: Path
    # ids of the national help lines printed (data/national_lines.yml), in order; None: the relation's default
    national_lines: tuple[str, ...] | None = None
    # line of each field in variant.yml, for messages that point at it (not part of the variant's identity)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class VariantContent:
    """Everything one variant holds, loaded and typed."""

    variant: Variant
    program: Program | None
    weeks: dict[int, Week]

    def modules(self) -> list[Module]:
        mods: list[Module] = [self.program] if self.program else []
        return mods + [self.weeks[n] for n in sorted(self.weeks)]


@dataclass
class HelpLine:
    name: str
    number: str
    hours: str = ""
    languages: str = ""
    audience: str = ""  # who the line is for ("For Indigenous peoples across Canada")
    id: str = ""  # a national line's id in data/national_lines.yml; "emergency" for the agency's emergency number
    discreet_name: str = ""  # a national line's name on discreet handouts, when its own name is not neutral
    last_verified: dt.date | None = None
    discreet_ok: bool = True  # safe to print on a discreet handout
    by_language: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {language: text}
    # field -> language of its text, where it is printed in another language than the page's (set by localized)
    text_lang: dict[str, str] = field(default_factory=dict)

    def localized(self, lang: str) -> HelpLine:
        """This line with its name, hours and languages in ``lang`` where agency.yml gives them.

        Where agency.yml gives a field per language but not in ``lang``, the English (or first) text is
        printed, and ``text_lang`` says which language it is in, so pages can mark it for screen readers.
        A region tag falls back to its language (``fr-CA`` reads ``fr``).
        """
        texts, langs = {}, {}
        for f, by_lang in self.by_language.items():
            key = lang if lang in by_lang else lang.split("-")[0]
            if key in by_lang:
                texts[f] = by_lang[key]
            else:
                fallback = "en" if "en" in by_lang else next(iter(by_lang))
                texts[f] = by_lang[fallback]
                if fallback.split("-")[0] != lang.split("-")[0]:
                    langs[f] = fallback
        return dataclasses.replace(self, **texts, text_lang=langs) if self.by_language else self  # type: ignore[arg-type]


@dataclass
class Agency:
    name: str
    province: str
    child_welfare: str  # the local child-welfare agency's name (read inside sentences)
    address: str = ""
    child_welfare_phone: str = ""
    phone: str = ""
    logo: Path | None = None
    help_lines: list[HelpLine] = field(default_factory=list)
    national_lines: list[HelpLine] = field(default_factory=list)
    # the local emergency number (9-1-1 where it exists), printed after the national lines
    emergency: HelpLine = field(default_factory=lambda: HelpLine(name="", number="9-1-1", id="emergency"))
    quick_exit_url: str = "https://weather.gc.ca/"
    path: Path | None = None

    def placeholders(self) -> dict[str, str]:
        return {
            "agency.name": self.name,
            "agency.child_welfare": self.child_welfare,
            "agency.child_welfare_phone": self.child_welfare_phone,
            "agency.phone": self.phone,
            "agency.province": self.province,
        }


@dataclass
class Bundle:
    """All validated content and configuration, ready to render."""

    project: Project
    variants: list[Variant]
    contents: dict[str, VariantContent]
    agency: Agency | None
    fronts: dict[tuple[str, int], Located] = field(default_factory=dict)

    def variant(self, vid: str) -> Variant:
        return next(v for v in self.variants if v.id == vid)

    def source_of(self, vid: str) -> VariantContent | None:
        src = self.variant(vid).source
        return self.contents.get(src) if src else None
