"""Compiled Jinja templates, kept: the site theme's between site builds, the toolkit's own within a process.

Why: mkdocs makes a new Jinja environment for every build, and compiling the theme's some fifty templates
is about a second of each variant's site build — the largest single step of a small site. Jinja can keep
the compiled code (a "bytecode cache"); it checks each entry against the template's source, so an edited
template is compiled again and a stale one is never used. The cache is held in memory for the builds of
one process (``serve``, a build's workers) and under ``.cache/jinja/`` for the next build; both are safe
to delete.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, backed by a folder when one is set (``use_folder``)."""

    def __init__(self) -> None:
        self.memory: dict[str, bytes] = {}
        self.disk: FileSystemBytecodeCache | None = None

    def use_folder(self, folder: Path | None) -> None:
        """Keep entries under ``folder`` too (made if need be); None, or a folder that cannot be made: memory only."""
        self.disk = None
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # a read-only project: the same site, compiled anew
        self.disk = FileSystemBytecodeCache(str(folder), "%s.jinja")

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        # Code compiled with other extensions or syntax options (which change what a tag compiles to) is another
        # entry: the same file read by two differently configured environments is compiled for each.
        extensions = ",".join(sorted(environment.extensions))
        options = (type(environment).__name__, environment.trim_blocks, environment.lstrip_blocks,
                   environment.block_start_string, environment.variable_start_string,
                   environment.comment_start_string, environment.line_statement_prefix,
                   environment.keep_trailing_newline, getattr(environment, "newstyle_gettext", None))
        key = hashlib.sha256(f"{name}|{filename}|{extensions}|{options}".encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # checks the source's checksum: a changed template is compiled again
            return
        if self.disk is not None:
            try:
                self.disk.load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()  # a damaged entry: compile
            if bucket.code is not None:
                self.memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError:
                pass  # a full or read-only disk: kept in memory only

    def clear(self) -> None:
        self.memory.clear()
        if self.disk is not None:
            self.disk.clear()


COMPILED = CompiledTemplates()
# The toolkit's own templates (site pages, PDFs, cohort paperwork), compiled once per process: in memory only,
# as their environments are made per variant and per build (``i18n.make_env``).
OWN_TEMPLATES = CompiledTemplates()
