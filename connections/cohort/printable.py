"""Can a participant's name be printed? Checked when the roster is read, so `check` finds it by row.

Why here and not only in the PDF engine: the engine's glyph check reports the text that needs the
glyph; for names that text is the name itself. Checking names first, by row, means the engine never
has a name to report.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import Problems
from ..pdf.glyphs import coverage, declared_fonts, needs_glyph
from ..project import Project

# Characters no font prints: controls, surrogates, private-use (a font's own icons) and unassigned code points.
NOT_TEXT = {"Cc": "a control character", "Cs": "a broken character", "Co": "a private-use character",
            "Cn": "an unassigned code point"}


def _codes(chars: list[str]) -> str:
    shown = [f"U+{ord(c):04X}" for c in chars[:4]]
    return ", ".join(shown) + (f" and {len(chars) - 4} more" if len(chars) > 4 else "")


def not_text(text: str) -> list[str]:
    """The characters of ``text`` that are not text (controls, private-use, unassigned …), each once."""
    return [c for c in dict.fromkeys(text) if unicodedata.category(c) in NOT_TEXT]


def check_not_text(path: Path, row: int, text: str, problems: Problems) -> bool:
    """Report a cell holding characters that are not text (by row, with code points only); True if it did.

    Code points of such characters are safe to show: none of them is a letter of a name.
    """
    bad = not_text(text)
    if bad:
        kinds = " or ".join(dict.fromkeys(NOT_TEXT[unicodedata.category(c)] for c in bad))
        what = "a character" if len(bad) == 1 else "characters"
        problems.add(path, row, f"row {row} has {what} no font can print ({_codes(bad)}: {kinds}); retype the name "
                     "in the spreadsheet (it was probably pasted from another program) and save the file again")
    return bool(bad)


def stylesheets(project: Project) -> list[Path]:
    """The shared @font-face rules when the project has them, then the cohort styles."""
    fonts = project.templates / "pdf" / "fonts.css"
    return [p for p in (fonts, project.templates / "cohort" / "cohort.css") if p.is_file()]


def check_fonts(project: Project, people: list[tuple[str, Path, int]], problems: Problems) -> None:
    """Each (text, file, row) must be printable with the bundled fonts; problems name the row, never the text."""
    try:
        faces = declared_fonts(stylesheets(project))
    except OSError:
        return  # an unreadable stylesheet is reported by the PDF build itself
    if not faces:
        return
    covered = coverage(faces)
    for text, path, row in people:
        # Counted, not listed: the code points of a two-letter name spell the name.
        missing = sum(1 for c in text if needs_glyph(c) and ord(c) not in covered)
        if missing:
            what = "a character" if missing == 1 else "characters"
            problems.add(path, row, f"row {row} has {what} no bundled font can print ({missing} in the name or "
                         "code); write the name with other characters, or add a font that covers them to fonts/ "
                         "and templates/pdf/fonts.css")
