"""What accord knows about a document besides its text: the Metadata record."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.metadata.dates import DateSource


@dataclass(frozen=True, slots=True)
class Metadata:
    """What accord extracted about a document (facet values are canonical names)."""

    title: str | None
    date: str | None
    date_source: DateSource
    year: int | None
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    places: tuple[str, ...]
    doc_type: str | None
    language: str | None
    extra: tuple[tuple[str, str], ...] = ()
    """Other metadata the source gave (url, subjects, ...), as (key, value) pairs."""
    translation: str | None = None
    """The id a text shares with its translations (a `parallel_id`, a UN document symbol)."""
