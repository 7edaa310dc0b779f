"""YAML reading that remembers line numbers, so every problem can name its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml when present: ten times faster, which keeps a no-op rebuild well under half a second.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOM = "\ufeff"  # a byte-order mark some editors put first in UTF-8 files: not part of the text


class _BadDate(yaml.MarkedYAMLError):
    """A value shaped like a date that is no real date (2026-13-45, 2026-02-30)."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _BadDate(problem=f"'{node.value}' is not a real date ({exc}); write an existing date as YYYY-MM-DD",
                       problem_mark=node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _MkdocsLoader(_Loader):
    """Safe YAML that reads mkdocs' own tags (!ENV, !relative, !!python/name:…) as nothing instead of failing:
    the toolkit reads only its own settings from mkdocs.yml, and mkdocs itself resolves the tags."""


_MkdocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_MkdocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


class YamlSyntaxError(Exception):
    """YAML that does not parse; ``line`` is 1-based within the parsed text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Located:
    """Plain data from YAML plus the line of every key and list item inside it."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Any) -> int:
        """The line of ``path`` (keys and list indexes), or of its nearest parent."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.first_line


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int], offset: int, seen: set[int]) -> None:
    """Record the line of every key and item; refuse a key given twice in one mapping (the second would win
    without a word). A node reached again through an alias (``*name``) is walked once: no loop, no blow-up."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # a list or mapping as a key: construction refuses it
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            same = (key_node.tag, key)  # 1 and "1" are two keys
            if same in first and key != "<<":
                raise YamlSyntaxError(line, f"duplicate key '{key}' on line {line}; it was first given on line "
                                      f"{first[same]} — keep one")
            first[same] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1 + offset
            _walk(item, path + (i,), lines, offset, seen)


def load_yaml(text: str, line_offset: int = 0, *, mkdocs: bool = False) -> Located:
    """Parse YAML safely; ``line_offset`` shifts lines when the YAML sits inside a larger file.

    A key given twice in one mapping is refused with both lines. ``mkdocs``: read mkdocs' tags as nothing.
    """
    loader = (_MkdocsLoader if mkdocs else _Loader)(text.removeprefix(BOM))
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        if node is not None:  # walked before construction, which merges '<<: *base' keys into the node
            _walk(node, (), lines, line_offset, set())
        data = loader.construct_document(node) if node is not None else None
    except _BadDate as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError((mark.line + 1 if mark else 1) + line_offset, str(exc.problem)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or "invalid YAML"
        raise YamlSyntaxError(line, f"YAML syntax error: {what}; check the brackets, quotes, colons and "
                              "indentation on this line and the one before (quote text that holds ': ' or '#')"
                              ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors have no mark
        raise YamlSyntaxError(1 + line_offset, f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
    return Located(data, lines, first_line=1 + line_offset)


@dataclass
class MarkdownFile:
    """A Markdown file split into its front matter and body, with the body's first line number."""

    front: Located
    body: str
    body_line: int  # 1-based line number of the body's first line in the file


def split_front_matter(text: str) -> MarkdownFile:
    """Split ``---`` front matter from the body; raise YamlSyntaxError when it is malformed."""
    lines = text.removeprefix(BOM).splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlSyntaxError(1, "expected the file to start with a '---' line opening the front matter")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            yaml_text = "".join(lines[1:i])
            front = load_yaml(yaml_text, line_offset=1)
            return MarkdownFile(front, "".join(lines[i + 1 :]), body_line=i + 2)
    raise YamlSyntaxError(1, "front matter opened with '---' on line 1 is never closed; add a '---' line after it")
