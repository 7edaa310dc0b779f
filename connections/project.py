"""Where things live in a Connections project: one object so tests can point it at a copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, root: Path | str) -> Project:
        return cls(Path(root).resolve())

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def agency_yml(self) -> Path:
        return self.root / "agency.yml"

    @property
    def glossary(self) -> Path:
        return self.root / "glossary.yml"

    @property
    def sample_cohort(self) -> Path:
        return self.root / "cohorts" / "sample" / "cohort.yml"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    def variant_dirs(self) -> list[Path]:
        """Folders under content/ that hold a variant.yml, in name order."""
        if not self.content.is_dir():
            return []
        return sorted(p for p in self.content.iterdir() if (p / "variant.yml").is_file())
