"""Collect a library's warnings (WeasyPrint, mkdocs) so the toolkit can fail or report on them itself."""

from __future__ import annotations

import logging


class Collect(logging.Handler):
    """Keeps the text of every WARNING or worse record it sees."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
