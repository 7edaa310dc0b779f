"""Typed configuration options, in the style of mkdocs' ``config_options``.

Why: agency.yml, variant.yml, cohort.yml and mkdocs.yml are edited by hand by people who are not
programmers. Each option object checks its own value and says what it expected; a ``SubConfig`` checks a
mapping field by field and *collects* every problem with its line, so a user sees all of them at once,
before anything is built. A value that is wrong is left out of the result (never half-used).

    AGENCY = {"name": Text(required=True), "logo": File(image=True, inside_project=True), ...}
    data = validate(AGENCY, Context(path, located, problems, root), "agency configuration")

Used by connections/loader.py (variant.yml, agency.yml), connections/cohort/config.py (cohort.yml) and
connections/site/settings.py (mkdocs.yml ``extra.connections``). Front matter keeps connections/schema.py.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problems
from .yamlfile import Located

MAX_NAME = 255  # bytes in one file or folder name on the usual file systems
MAX_PATH = 4000  # bytes in a whole path (Linux allows 4096): a longer name is a mistake, not a file


class ValidationError(Exception):
    """``expected`` completes "field 'x' should be …, not <value>"; ``message`` replaces the whole sentence."""

    def __init__(self, expected: str = "", *, message: str = "") -> None:
        super().__init__(message or expected)
        self.expected = expected
        self.message = message


@dataclass
class Context:
    """Where values come from: the file, its line lookup, the problem list, and the project folder."""

    path: Path
    located: Located
    problems: Problems
    root: Path
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def base(self) -> Path:
        """The folder that relative file names in this file are read from."""
        return self.path.parent

    def error(self, where: tuple, message: str) -> None:
        self.problems.add(self.path, self.located.line(*where), message)

    def warn(self, where: tuple, message: str) -> None:
        self.problems.warn(self.path, self.located.line(*where), message)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # what an option returns for a value it reported


class Option:
    """One configuration value: ``check`` returns the value to use or raises ValidationError."""

    def __init__(self, *, required: bool = False, default: Any = None, hint: str = "") -> None:
        self.required = required
        self.default = default
        self.hint = hint

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        return value

    def run(self, value: Any, ctx: Context, where: tuple, name: str) -> Any:
        """Check ``value``; report a problem at its line and return INVALID when it is wrong."""
        try:
            return self.check(value, ctx, where)
        except ValidationError as exc:
            ctx.error(where, exc.message or self.sentence(name, exc.expected, value))
            return INVALID

    def sentence(self, name: str, expected: str, value: Any) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"field '{name}' should be {expected}{hint}, not {show(value)}"


def show(value: Any) -> str:
    """A value as the user wrote it: a date as YYYY-MM-DD, a text in quotes (control characters escaped)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def _name(where: tuple) -> str:
    """The field a value belongs to: the last key of its path (list indexes skipped)."""
    return next((str(p) for p in reversed(where) if isinstance(p, str)), "value")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class Type(Option):
    """A value of one Python type, described in words (``Type(bool, "true or false")``)."""

    def __init__(self, kind: type | tuple[type, ...], expected: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.kind, self.expected = kind, expected

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if not isinstance(value, self.kind) or (isinstance(value, bool) and bool not in _kinds(self.kind)):
            raise ValidationError(self.expected)
        return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


class Text(Type):
    """A non-empty text."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(str, "a non-empty text", **kw)

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(self.expected)
        return value


class Boolean(Type):
    def __init__(self, **kw: Any) -> None:
        super().__init__(bool, "true or false", **kw)


class Integer(Option):
    """A whole number within bounds, e.g. ``Integer(30, 600, unit="minutes")``."""

    def __init__(self, minimum: int = 1, maximum: int | None = None, unit: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self.minimum, self.maximum, self.unit = minimum, maximum, unit

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        unit = f" of {self.unit}" if self.unit else ""
        if self.maximum is not None:
            expected = f"a whole number{unit} from {self.minimum} to {self.maximum}"
        elif self.minimum == 1:
            expected = f"a whole number{unit} above 0"
        else:
            expected = f"a whole number{unit}, {self.minimum} or more"
        if not _is_int(value) or value < self.minimum or (self.maximum is not None and value > self.maximum):
            raise ValidationError(expected)
        return value


class Choice(Option):
    """One of a few words; ``explain`` says what each means."""

    def __init__(self, choices: Sequence[str], explain: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self.choices, self.explain = tuple(choices), explain

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if isinstance(value, str):
            folded = {c.lower(): c for c in self.choices}
            if value.strip().lower() in folded:  # "Letter" is letter
                return folded[value.strip().lower()]
        raise ValidationError("one of " + ", ".join(self.choices))

    def run(self, value: Any, ctx: Context, where: tuple, name: str) -> Any:
        try:
            return self.check(value, ctx, where)
        except ValidationError:
            explain = f" ({self.explain})" if self.explain else ""
            shown = f"'{value}'" if isinstance(value, str) else repr(value)
            ctx.error(where, f"{name} should be one of {', '.join(self.choices)}, not {shown}{explain}")
            return INVALID


class Date(Option):
    """A date written YYYY-MM-DD; ``not_future``: a date something was done, so today or earlier;
    ``years``: the years a date can fall in (a typo such as 20277-03-02 or 9999-12-31 is caught here)."""

    def __init__(self, not_future: bool = False, years: tuple[int, int] = (1900, 2200), **kw: Any) -> None:
        super().__init__(**kw)
        self.not_future, self.years = not_future, years

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError("a date written YYYY-MM-DD")
        if not self.years[0] <= value.year <= self.years[1]:
            raise ValidationError(f"a date written YYYY-MM-DD from {self.years[0]} to {self.years[1]}")
        if self.not_future and value > ctx.today:
            raise ValidationError(message=f"{_name(where)} {value.isoformat()} is in the future (today is "
                                  f"{ctx.today.isoformat()}); write the date it was done, today or earlier")
        return value


TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")


class Time(Option):
    """A clock time "HH:MM" (YAML 1.1 reads an unquoted 18:00 as the number 1080: both are accepted)."""

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if _is_int(value) and 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        if isinstance(value, str) and (m := TIME_RE.match(value.strip())):
            return dt.time(int(m[1]), int(m[2]))
        shown = f"{value // 60}:{value % 60:02d}" if _is_int(value) and value >= 0 else value
        raise ValidationError(message=f"{_name(where)} '{shown}' is not a clock time; write it as \"HH:MM\" in quotes, "
                              f"from \"00:00\" to \"23:59\", e.g. {_name(where)}: \"18:00\"")


_SEP = r"[\s.\-()]*"
_TEN = rf"(?:\+?1{_SEP})?\(?[2-9]\d\d\)?{_SEP}\d{{3}}{_SEP}\d{{4}}"  # NPA-NXX-XXXX, with or without 1
_SEVEN = rf"[2-9]\d\d{_SEP}\d{{4}}"  # a local number where seven digits are dialled
_EXT = r"(?:\s*(?:,|;)?\s*(?:ext\.?|x|poste|#)\s*\d{1,6})?"
_SHORT = r"(?:[2-9]\s?-?\s?1\s?-?\s?1|9\s?-?\s?8\s?-?\s?8)"  # 211, 311 … 911, and 988
_TEXT = r"(?:text|texto|texte|textez)\s+(?:\S+\s+){1,3}?(?:to|au|à)\s+\d{3,6}"  # "text CONNECT to 686868"
_MOBILE = r"[#*]\d{3,6}"  # mobile short codes, e.g. #7233
_ONE = rf"(?:{_TEN}{_EXT}|{_SEVEN}{_EXT}|{_SHORT}|{_TEXT}|{_MOBILE})"
PHONE_RE = re.compile(rf"^{_ONE}(?:\s*(?:,|/|\bor\b|\bou\b)\s*{_ONE})*$", re.I)


class Phone(Option):
    """A Canadian phone number, a 3-digit line (211, 811, 988, 911), or a text line ("text CONNECT to 686868")."""

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        text = str(value) if _is_int(value) else value
        if isinstance(text, str) and PHONE_RE.match(text.strip()):
            return text.strip()
        raise ValidationError(message=f"{_name(where)} {value!r} is not a phone number; write a Canadian number such "
                              "as 1-800-668-6868 or 555-010-0111 (an extension as 'ext. 12'), a 3-digit line such "
                              "as 211, 811, 988 or 911, or a text line such as 'text CONNECT to 686868'")


class Url(Option):
    """A whole web address (http or https)."""

    URL_RE = re.compile(r"https?://[^\s/\"'<>]+(/[^\s\"'<>]*)?")

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if isinstance(value, str) and self.URL_RE.fullmatch(value):
            return value
        raise ValidationError(message=f"field '{_name(where)}' should be a whole web address starting with https://, "
                              f"e.g. https://weather.gc.ca/, not '{value}'")


# First bytes of the image formats the site and the PDFs can show.
IMAGE_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "PNG": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "JPEG": lambda b: b.startswith(b"\xff\xd8\xff"),
    "WebP": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
    "SVG": lambda b: b"<svg" in b.lstrip(b"\xef\xbb\xbf").lstrip()[:4096].lower()
    and b.lstrip(b"\xef\xbb\xbf").lstrip()[:1] == b"<",
}


def image_kind(path: Path) -> str | None:
    """The image format of a file, read from its first bytes (not its name); None when it is no image."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    return next((name for name, test in IMAGE_SIGNATURES.items() if test(head)), None)


def path_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file name on this system (a NUL character, a part too long), or None."""
    if "\0" in name:
        return "holds a NUL character (\\0), which no file name can hold"
    if len(name.encode("utf-8")) > MAX_PATH:
        return f"is {len(name.encode('utf-8'))} bytes long; a file path holds at most {MAX_PATH}"
    too_long = next((part for part in re.split(r"[/\\]", name) if len(part.encode("utf-8")) > MAX_NAME), None)
    if too_long is not None:
        return f"has a name part of {len(too_long.encode('utf-8'))} bytes; file systems allow at most {MAX_NAME}"
    return None


def resolve_file(base: Path, name: str) -> Path:
    """``name`` read from ``base``, symlinks followed; raises ValueError or OSError for an impossible name."""
    problem = path_problem(name)
    if problem:
        raise ValueError(problem)
    try:
        return (base / name).expanduser().resolve()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise ValueError("is too long for a file path") from None
        raise


class File(Option):
    """A file named relative to the configuration file: it must exist; optionally inside the project, an image."""

    def __init__(self, *, inside_project: bool = False, image: bool = False, what: str = "file",
                 missing: str = "", may_be_missing: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.inside_project, self.image, self.what, self.missing = inside_project, image, what, missing
        self.may_be_missing = may_be_missing  # a record kept during the program: named before it exists

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("the name of a file, e.g. logo.png" if self.image else "the name of a file")
        try:
            path = resolve_file(ctx.base, value)
        except (ValueError, OSError) as exc:
            reason = f"cannot be read: {exc.strerror}" if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ValidationError(message=f"{self.what} name {value!r} {reason}; write the name of an existing file "
                                  "(relative to this one)") from None
        if self.inside_project and not path.is_relative_to(ctx.root.resolve()):
            raise ValidationError(message=f"the {_name(where)} must be a file inside the project folder")
        if not path.is_file() and not (self.may_be_missing and not path.exists()):
            raise ValidationError(message=(self.missing or "{what} '{value}' not found").format(
                what=self.what, value=value))
        if self.image and image_kind(path) is None:
            raise ValidationError(message=f"{self.what} '{value}' is not an image (its first bytes are not those "
                                  "of a PNG, JPEG, SVG or WebP file); save it in one of those formats and point "
                                  f"'{_name(where)}' at that file")
        return path


class TimeZone(Option):
    """A name of the tz database, such as America/Toronto (not a folder of it, such as America)."""

    EXAMPLES = ("America/Toronto, America/Winnipeg, America/Edmonton, America/Vancouver, America/Halifax or "
                "America/St_Johns")

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        from zoneinfo import ZoneInfo

        name = value.strip() if isinstance(value, str) else ""
        try:
            if not name or "\0" in name:
                raise ValueError(name)
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # unknown, malformed, or a folder of the tz database
            raise ValidationError(message=f"unknown time zone {value!r}; use a name such as {self.EXAMPLES}") from None
        return name


class Locale(Option):
    """A locale Babel knows, e.g. en_CA, fr_CA, iu."""

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        import babel

        if not isinstance(value, str) or not value.strip():
            raise ValidationError("a Babel locale such as en_CA, fr_CA or iu")
        try:
            babel.Locale.parse(value)
        except (ValueError, TypeError, babel.UnknownLocaleError):
            raise ValidationError(message=f"locale '{value}' is not known to Babel; use one such as en_CA, fr_CA, "
                                  "iu or csw") from None
        return value


class TextByLanguage(Option):
    """A text, or one text per language: ``{en: Monday to Friday, fr: du lundi au vendredi}``."""

    def check(self, value: Any, ctx: Context, where: tuple) -> Any:
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(x, str) and x.strip()
                                                     for k, x in value.items()):
            return value
        raise ValidationError("a text, or one text per language such as {en: Monday to Friday, "
                              "fr: du lundi au vendredi}")


class ListOf(Option):
    """A list whose every item is checked by ``item``; each wrong item is reported at its own line.

    ``keep_valid``: the good items are used even when others are wrong (else the whole list is left out).
    """

    def __init__(self, item: Option, *, min_items: int = 0, expected: str = "", keep_valid: bool = False,
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.item, self.min_items, self.keep_valid = item, min_items, keep_valid
        self.expected = expected or "a list (one '- item' per line)"

    def run(self, value: Any, ctx: Context, where: tuple, name: str) -> Any:
        if not isinstance(value, list) or len(value) < self.min_items:
            ctx.error(where, self.sentence(name, self.expected, value))
            return INVALID
        out = [self.item.run(v, ctx, where + (i,), name) for i, v in enumerate(value)]
        if self.keep_valid:
            return [v for v in out if v is not INVALID]
        return INVALID if any(v is INVALID for v in out) else out


class SubConfig(Option):
    """A mapping checked field by field: unknown, missing and wrong fields are each reported at their line."""

    def __init__(self, fields: dict[str, Option], what: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.fields, self.what = fields, what

    def run(self, value: Any, ctx: Context, where: tuple, name: str) -> Any:
        if not isinstance(value, dict):
            ctx.error(where, f"expected the {self.what} to be a set of 'key: value' lines")
            return INVALID
        known = ", ".join(self.fields)
        out: dict[str, Any] = {}
        for key, v in value.items():
            option = self.fields.get(key) if isinstance(key, str) else None
            if option is None:
                ctx.error(where + (key,), f"unknown field '{key}' in the {self.what}; expected one of: {known}")
                continue
            checked = option.run(v, ctx, where + (key,), key)
            if checked is not INVALID:
                out[key] = checked
        for key, option in self.fields.items():
            if key in value:
                continue
            if option.required:
                hint = f" ({option.hint})" if option.hint else ""
                ctx.error(where, f"missing field '{key}' in the {self.what}{hint}")
            elif option.default is not None:
                out[key] = option.default
        return out


def validate(fields: dict[str, Option], ctx: Context, what: str) -> dict[str, Any] | None:
    """Check a whole file against ``fields``: the values to use (wrong ones left out), or None if no mapping.

    Every problem is added to ``ctx.problems``, with its line.
    """
    out = SubConfig(fields, what).run(ctx.located.data, ctx, (), what)
    return None if out is INVALID else out
