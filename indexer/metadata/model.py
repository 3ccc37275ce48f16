"""What accord knows about a document besides its text: the Metadata record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from indexer.metadata.dates import DateSource


class IssuerSource(str, Enum):
    """Where a document's issuer came from, surest first."""

    METADATA = "metadata"
    """The user's: a sidecar, --metadata, front matter."""
    PAGE = "page"
    """The page's own: og:site_name, JSON-LD publisher, Dublin Core."""
    COLLECTION = "collection"
    """The folder's accord.toml."""
    TEXT = "text"
    """The text: "X said today", a joint declaration's signatories."""
    NONE = "none"


class TitleSource(str, Enum):
    """Where a document's title came from."""

    METADATA = "metadata"
    PAGE = "page"
    HEADING = "heading"
    TEXT = "text"
    """Its first line or sentence."""
    FILE_NAME = "file name"


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
    issuers: tuple[str, ...] = ()
    """Who issued the document (canonical organisations), apart from those it mentions."""
    issuer_source: IssuerSource = IssuerSource.NONE
    title_source: TitleSource = TitleSource.TEXT
    symbols: tuple[str, ...] = ()
    """The UN document symbols the text cites (its own left out)."""
