"""YAML front matter: the metadata a text or Markdown file declares between `---` lines
at its very top (title, date, source, creators, subjects, URLs, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_LOOKS_LIKE_FIELDS = re.compile(r"\s*[\w-]+:(?:\s|$)")
_FENCED = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file's declared fields, the text after them, and why they could not be read, if so."""

    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    problem: str | None = None


def split_front_matter(text: str) -> FrontMatter:
    """Separate YAML front matter from the text. Front matter that is not valid YAML is
    kept as text, with a `problem` saying why; text between two rules that is not a set
    of fields is ordinary text."""
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
        return FrontMatter(text=text, problem=f"invalid YAML front matter{where}; indexed as text")
    if fields is None:
        return FrontMatter(text=text[match.end() :])
    if not isinstance(fields, dict):
        return FrontMatter(text=text)
    return FrontMatter({str(key): value for key, value in fields.items()}, text[match.end() :])
