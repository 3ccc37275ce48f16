"""What converting a file gives: clean Markdown, plus what the file declared about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Converted:
    """Clean Markdown text, plus what the file declared about itself."""

    markdown: str
    title: str | None = None
    language: str | None = None
    furniture: tuple[str, ...] = ()
    """Lines removed as page furniture (they still hint at when the page was made)."""
    declared: dict[str, Any] = field(default_factory=dict)
    """Fields the file declares: front matter, or a web page's meta tags and JSON-LD."""
    problem: str | None = None
    """Why declared fields could not be read (the text was indexed all the same)."""
    from_page: bool = False
    """Whether `declared` is the page's own (meta tags, JSON-LD, a PDF's properties),
    not fields a person wrote for it (front matter)."""
