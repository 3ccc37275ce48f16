"""Run searches on the index: matching sections grouped into ranked documents, with
snippets and facet counts; plus `show` and `stats`.

Records are sections. A document's score is its best section's score; totals and
facet counts count documents. With no explicit match mode, a query first requires
every word and, if that finds nothing, falls back to any word and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from indexer.documents import Document
from indexer.errors import AccordError
from indexer.metadata import Metadata
from indexer.schema import (
    BODY, DATE_START, DOC_ID, FACET_FIELDS, HEADING, PATH, SCHEMA_VERSION, SECTION_ID,
    document_from_records, is_day_number, metadata_from_record,
)
from indexer.store import has_index, open_index, read_info
from search.facets import FacetResult, count_facets
from search.query import Match, SearchRequest, Sort, build_filter, parse_query
from search.snippets import Snippet, make_snippet

SECTIONS_PER_DOCUMENT = 3
FALLBACK_NOTICE = "No document contains all the words; showing documents that contain any of them."


class DocumentNotFound(AccordError):
    """No document with that id is indexed."""


@dataclass(frozen=True, slots=True)
class SectionHit:
    """A matching section of a document."""

    section_id: str
    heading: str | None
    score: float
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A matching document with its best sections."""

    doc_id: str
    path: str
    metadata: Metadata
    score: float
    sections: tuple[SectionHit, ...]
    matching_sections: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of ranked documents, with totals and facet counts."""

    query: str
    match: Match
    page: int
    limit: int
    total_documents: int
    total_sections: int
    results: tuple[DocumentHit, ...]
    facets: dict[str, FacetResult]
    suggestion: str | None = None
    notice: str | None = None


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


@dataclass
class Group:
    """The matching sections of one document: (score, record number), best first."""

    sections: list[tuple[float, int]]

    @property
    def best(self) -> tuple[float, int]:
        return self.sections[0]


@dataclass
class Matches:
    """The sections that match a request, grouped by document, and how they matched."""

    match: Match
    notice: str | None
    results: Any  # the Whoosh Results, which know the terms each section matched
    groups: dict[str, Group]

    def ranked(self) -> list[str]:
        """Document ids, best score first (ties by id)."""
        return sorted(self.groups, key=lambda doc_id: (-self.groups[doc_id].best[0], doc_id))


def search(index_dir: Path, request: SearchRequest) -> SearchResult:
    """Run a search and return one page of documents with facet counts."""
    with open_index(index_dir).searcher() as searcher:
        matches = find_matches(searcher, request)
        groups = matches.groups
        ordered = _order(searcher, matches, request.sort)
        start = (request.page - 1) * request.limit
        page = [
            _document_hit(searcher, matches.results, doc_id, groups[doc_id], request.all_sections)
            for doc_id in ordered[start : start + request.limit]
        ]
        facets = count_facets(searcher, (g.best[1] for g in groups.values()), request.facets)
        return SearchResult(
            query=request.text, match=matches.match, page=request.page, limit=request.limit,
            total_documents=len(groups), total_sections=sum(len(g.sections) for g in groups.values()),
            results=tuple(page), facets=facets, notice=matches.notice,
        )


def find_matches(searcher, request: SearchRequest) -> Matches:  # noqa: ANN001 - a Whoosh searcher
    """The matching sections; with no match mode, all words first, then any word."""
    match = request.match or Match.ALL
    matches = _matching(searcher, request, match)
    if not matches.groups and request.match is None and _word_count(request.text) > 1:
        fallback = _matching(searcher, request, Match.ANY)
        if fallback.groups:
            fallback.notice = FALLBACK_NOTICE
            return fallback
    return matches


def _word_count(text: str) -> int:
    return len([w for w in text.split() if w.upper() not in ("AND", "OR", "NOT")])


def _matching(searcher, request: SearchRequest, match: Match) -> Matches:  # noqa: ANN001
    query = parse_query(request.text, match, searcher.schema)
    results = searcher.search(query, filter=build_filter(request.filters), limit=None, terms=True)
    doc_ids = searcher.reader().column_reader(DOC_ID)
    groups: dict[str, Group] = {}
    for score, docnum in results.top_n:
        groups.setdefault(doc_ids[docnum], Group([])).sections.append((score, docnum))
    for group in groups.values():
        group.sections.sort(key=lambda item: (-item[0], item[1]))
    return Matches(match, None, results, groups)


def _order(searcher, matches: Matches, sort: Sort) -> list[str]:  # noqa: ANN001
    groups = matches.groups
    by_relevance = matches.ranked()
    if sort is Sort.RELEVANCE:
        return by_relevance
    column = searcher.reader().column_reader(DATE_START)
    day = {d: column[groups[d].best[1]] for d in by_relevance}
    dated = [d for d in by_relevance if is_day_number(day[d])]
    undated = [d for d in by_relevance if not is_day_number(day[d])]
    dated.sort(key=day.__getitem__, reverse=sort is Sort.NEWEST)
    return dated + undated


def _document_hit(searcher, results, doc_id: str, group: Group, all_sections: bool) -> DocumentHit:  # noqa: ANN001
    shown = group.sections if all_sections else group.sections[:SECTIONS_PER_DOCUMENT]
    sections = []
    for score, docnum in shown:
        stored = searcher.stored_fields(docnum)
        terms = {text.decode("utf-8") if isinstance(text, bytes) else text
                 for _, text in results.docterms.get(docnum, ())}
        sections.append(SectionHit(stored[SECTION_ID], stored.get(HEADING) or None, round(score, 4),
                                   make_snippet(stored.get(BODY, ""), terms)))
    first = searcher.stored_fields(group.best[1])
    return DocumentHit(doc_id, display_path(first[PATH]), metadata_from_record(first),
                       round(group.best[0], 4), tuple(sections), len(group.sections))


def display_path(path: str) -> str:
    """The path relative to the current folder when the file is under it, else absolute."""
    absolute = Path(path)
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


def show(index_dir: Path, doc_id: str) -> Document:
    """The indexed document with this id, as stored."""
    with open_index(index_dir).searcher() as searcher:
        stored = list(searcher.documents(**{DOC_ID: doc_id}))
    if not stored:
        raise DocumentNotFound(f"No document {doc_id!r} in the index. `accord search` shows document ids.")
    document = document_from_records(stored)
    return replace(document, path=Path(display_path(str(document.path))))


def stats(index_dir: Path) -> IndexStats:
    """Counts and sizes of the index."""
    info = read_info(index_dir)
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        doc_ids = reader.column_reader(DOC_ID)
        first_records: dict[str, int] = {}
        for docnum in reader.all_doc_ids():
            first_records.setdefault(doc_ids[docnum], docnum)
        facets = count_facets(searcher, first_records.values(), FACET_FIELDS, size=10**9)
        sections = reader.doc_count()
    index_bytes = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file() and p.name != "README")
    return IndexStats(
        documents=len(first_records), sections=sections, index_bytes=index_bytes,
        schema_version=info.schema_version if info.schema_version is not None else SCHEMA_VERSION,
        corpus=info.corpus, updated=info.updated,
        facet_values={name: len(result.counts) for name, result in facets.items()},
    )


def ensure_index(index_dir: Path, corpus: Path, say: Callable[[str], None]) -> None:
    """Build the index from `corpus` first if `index_dir` holds none yet."""
    if has_index(index_dir):
        return
    from indexer.build import build_index

    say(f"No index in {index_dir}/ yet; building it from {corpus}/ (this happens once)…")
    report = build_index(corpus, index_dir)
    say(f"Indexed {report.added} documents in {report.seconds:.1f} s.")


def corpus_of(index_dir: Path, explicit: Path | None, default: Path) -> Path:
    """The corpus to index: the one given, else the one the index remembers, else `default`."""
    if explicit is not None:
        return explicit
    remembered = read_info(index_dir).corpus if has_index(index_dir) else None
    return Path(remembered) if remembered else default
