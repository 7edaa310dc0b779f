"""Problems found in user files, reported as ``path:line: message`` — never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, with what was expected and how to fix it."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" stops the build, "warning" does not

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.severity == "error" else "warning: "
        return f"{where}: {prefix}{self.message}"


class UserError(Exception):
    """A mistake in the user's input: print the message, exit 1, no traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        head = super().__str__()
        return "\n".join([*lines, head] if head else lines)


class Problems:
    """Collects every problem so a user sees all of them at once, not only the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Problem] = []

    def rel(self, path: Path | str) -> str:
        p = Path(path)
        root = self.root.resolve()
        for candidate in (p.resolve, p.absolute):  # a link out of the project is named where it sits
            try:
                return candidate().relative_to(root).as_posix()
            except (ValueError, OSError, RuntimeError):
                continue
        return p.as_posix()

    def add(self, path: Path | str, line: int, message: str, severity: str = "error") -> None:
        self.items.append(Problem(self.rel(path), line, message, severity))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.add(path, line, message, "warning")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self, what: str = "The content has problems") -> None:
        if self.errors:
            n = len(self.errors)
            raise UserError(
                f"{what}: {n} error{'s' if n != 1 else ''}. Nothing was written; fix them and run again.",
                sorted(self.errors, key=lambda p: (p.path, p.line)),
            )
