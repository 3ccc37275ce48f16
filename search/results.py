"""The values a search gives, from the engine to every output (terminal, JSON, CSV, the
server): frozen dataclasses of plain values. Nothing here imports Whoosh, so rendering
never loads the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.documents import Document
    from indexer.metadata.model import Metadata
    from search.request import Match

DOCUMENT_RULE = "best section"


@dataclass(frozen=True, slots=True)
class Snippet:
    """Plain text and the spans of matched words in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One facet value and the number of matching documents that carry it."""

    value: str | int
    count: int
    selected: bool = False
    """Whether the search's filters chose this value."""


@dataclass(frozen=True, slots=True)
class FacetResult:
    """The largest values of one facet; `truncated` when more values exist."""

    field: str
    counts: tuple[FacetCount, ...]
    truncated: bool


@dataclass(frozen=True, slots=True)
class TermScore:
    """One matched term of a section and the score it adds."""

    field: str
    term: str
    written: str | None
    via: str
    score: float


@dataclass(frozen=True, slots=True)
class Expansion:
    """An organisation named in a query, and the other names it was widened to."""

    written: str
    organisation: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionHit:
    """A matching section of a document."""

    section_id: str
    heading: str | None
    score: float
    snippet: Snippet
    terms: tuple[TermScore, ...] = ()
    """With --explain: the matched terms and their scores."""


@dataclass(frozen=True, slots=True)
class Copy:
    """Another indexed document holding the same text (a copy, or the same text issued by
    another organisation)."""

    doc_id: str
    issuers: tuple[str, ...]
    date: str | None
    """As shown: a day, month or year, "≈2024" when inferred."""


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A matching document with its best sections."""

    doc_id: str
    path: str
    metadata: Metadata
    score: float
    sections: tuple[SectionHit, ...]
    matching_sections: int
    translations: tuple[tuple[str, str | None], ...] = ()
    """With --one-per-text: the other matching translations, as (doc id, language)."""
    copies: tuple[Copy, ...] = ()
    """The other documents holding its text (none with --all-copies)."""
    joint: bool = False
    """A joint statement: its text is issued by several organisations, its issuers."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of ranked documents, with totals and facet counts."""

    query: str
    match: Match
    page: int
    limit: int
    total_documents: int
    total_sections: int
    total_texts: int
    """The matching documents with each text counted once (as total_documents with --all-copies)."""
    results: tuple[DocumentHit, ...]
    facets: dict[str, FacetResult]
    suggestion: str | None = None
    notice: str | None = None
    explain: Explain | None = None


@dataclass(frozen=True, slots=True)
class Explain:
    """With --explain: how the query was widened and how documents were scored."""

    aliases: tuple[Expansion, ...]
    feedback: tuple[tuple[str, float], ...]
    document_score: str = DOCUMENT_RULE


@dataclass(frozen=True, slots=True)
class Translation:
    """Another language version of a document."""

    doc_id: str
    language: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Size and content of an index."""

    documents: int
    sections: int
    index_bytes: int
    schema_version: int | None
    corpus: str | None
    updated: str | None
    facet_values: dict[str, int]
    furniture_lines: int = 0
    """Distinct boilerplate lines learned from the collection."""
    texts: int = 0
    """Documents with the copies of each text counted once."""
    copy_groups: int = 0
    """Texts held by more than one document."""
    joint_statements: int = 0
    """Documents whose text is issued by several organisations."""
    folder_priors: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What each folder's documents usually are, learned from the collection: {folder:
    {"issuer": ..., "year": ...}}."""


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One query of a batch."""

    qid: str
    text: str


@dataclass(frozen=True, slots=True)
class Ranking:
    """A query's ranked documents: (doc_id, score), best first."""

    query: BatchQuery
    documents: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Refused:
    """A query of a batch that was not run, and why."""

    query: BatchQuery
    reason: str


@dataclass(frozen=True, slots=True)
class ShownDocument:
    """One indexed document, as `accord show` gives it."""

    document: Document
    translations: tuple[Translation, ...] = ()
    highlights: tuple[tuple[tuple[int, int], ...], ...] = ()
    """With a query: for each section, the [start, end) spans of its words in the text."""
    cited_by: tuple[str, ...] = ()
    """The indexed documents that cite this one's UN symbol."""
    copies: tuple[Copy, ...] = ()
    """The other indexed documents holding its text."""
    joint: bool = False
    """A joint statement: its text is issued by several organisations, its issuers."""
