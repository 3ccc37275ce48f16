"""YAML front matter: the metadata a text or Markdown file declares between `---` lines
at its very top (title, date, source, creators, subjects, URLs, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_LOOKS_LIKE_FIELDS = re.compile(r"\s*[\w-]+:(?:\s|$)")
_FIELD_LINE = re.compile(r"([\w-]+):[ \t]*(.*?)[ \t]*$")
_ITEM_LINE = re.compile(r"[ \t]+-[ \t]+(.*?)[ \t]*$")
_FENCED = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file's declared fields, the text after them, and why they could not be read, if so."""

    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    problem: str | None = None


def split_front_matter(text: str) -> FrontMatter:
    """Separate YAML front matter from the text. Front matter that is not valid YAML is
    kept as text, with a `problem` saying why, and its simple fields (`key: value` lines
    and `- item` lists, such as a title with unescaped quotes) are still read; text between
    two rules that is not a set of fields is ordinary text."""
    match = _FENCED.match(text)
    if not match:
        return FrontMatter(text=text)
    import yaml

    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError as err:
        if not _LOOKS_LIKE_FIELDS.match(match.group(1)):
            return FrontMatter(text=text)
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        salvaged = _simple_fields(match.group(1))
        read = "; its simple fields read line by line" if salvaged else ""
        return FrontMatter(salvaged, text, f"invalid YAML front matter{where}; indexed as text{read}")
    if fields is None:
        return FrontMatter(text=text[match.end() :])
    if not isinstance(fields, dict):
        return FrontMatter(text=text)
    return FrontMatter({str(key): value for key, value in fields.items()}, text[match.end() :])


def _simple_fields(block: str) -> dict[str, Any]:
    """The fields of YAML that the YAML parser refused, read line by line: `key: value`
    (one pair of enclosing quotes taken off) and `- item` lines under a bare `key:`. Values
    in YAML's other notations (lists in brackets, anchors, blocks) are left out, and so is
    everything when a line is neither."""
    fields: dict[str, Any] = {}
    key = None
    for line in block.splitlines():
        item, pair = _ITEM_LINE.match(line), _FIELD_LINE.match(line)
        if not line.strip():
            continue
        if item and key is not None and isinstance(fields.get(key), list):
            fields[key].append(_unquoted(item.group(1)))
        elif pair and not line[0].isspace():
            key, value = pair.groups()
            if not value:
                fields[key] = []
            elif value[0] not in "[{&*!|>%@`":
                fields[key] = _unquoted(value)
        else:
            return {}
    return {k: v for k, v in fields.items() if v not in ([], "")}


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value
