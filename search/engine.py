"""Run searches on the index: matching sections grouped into ranked documents, with
snippets and facet counts; plus `show` and `stats`.

Records are sections. A document's score is its best section's score; totals and
facet counts count documents. With no explicit match mode, a query first requires
every word and, if that finds nothing, falls back to any word and says so. A process
keeps its searcher on an index open from one search to the next, until the index changes.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from indexer.columns import Columns, load_columns
from indexer.errors import AccordError
from indexer.schema import (
    BODY, CONTENT, DOC_ID, FACET_FIELDS, FIRST_DAY, LAST_DAY, HEADING, LANGUAGE, PATH, POSITIONS_SUFFIX, SCHEMA_VERSION,
    SECTION_ID, SECTION_LANGUAGE, TITLE, TRANSLATION, document_from_records, language_of_field, metadata_from_record,
)
from indexer.store import INDEX_NAME, INFO_FILE, has_index, open_index, read_info
from search.aliases import Expansion
from search.explain import DOCUMENT_RULE, Origin, TermScore, explain_section, term_origins
from search.facets import FacetResult, allowed_documents, column, count_facets
from search.feedback import FEEDBACK_DEPTH, FEEDBACK_DOCUMENTS, feedback_scores, feedback_terms
from search.query import Match, SearchRequest, Sort, build_filter, parse_query, query_fields
from search.scoring import score_matches
from search.snippets import Snippet, make_snippet

if TYPE_CHECKING:
    import numpy as np

    from indexer.documents import Document
    from indexer.schema import Metadata

SECTIONS_PER_DOCUMENT = 3
SUGGEST_BELOW = 3
"""A search finding fewer documents than this gets a spelling suggestion, if one finds more."""
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
    terms: tuple[TermScore, ...] = ()
    """With --explain: the matched terms and their scores."""


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


@dataclass
class Matches:
    """The sections that match a request, best first, with their documents, and how they matched."""

    match: Match
    notice: str | None
    terms: frozenset[tuple[str, str]]
    """The (field, term) pairs of the query as written (with its aliases): what snippets highlight."""
    scores: np.ndarray
    """Each matching section's score, best first (ties by record number)."""
    records: np.ndarray
    """Each matching section's record number, in that order."""
    documents: np.ndarray
    """Each matching section's document number (see indexer.columns), in that order."""
    feedback: tuple[tuple[str, float], ...] = ()
    """Words added by pseudo-relevance feedback, with their boosts."""
    fields: tuple[str, ...] = (CONTENT,)
    """The content fields the query was read in (see query_fields)."""

    @cached_property
    def firsts(self) -> np.ndarray:
        """The position of each matching document's best section, best document first."""
        import numpy as np

        return np.sort(np.unique(self.documents, return_index=True)[1])

    def ranked(self) -> np.ndarray:
        """The matching documents' numbers, best section's score first."""
        return self.documents[self.firsts]

    @cached_property
    def best_records(self) -> dict[int, int]:
        """Each matching document's best section (record number), by document number."""
        return dict(zip(self.ranked().tolist(), self.records[self.firsts].tolist()))

    def sections(self, document: int) -> list[tuple[float, int]]:
        """A matching document's sections as (score, record number), best first."""
        import numpy as np

        at = np.flatnonzero(self.documents == document)
        return list(zip(self.scores[at].tolist(), self.records[at].tolist()))


def open_searcher(index_dir: Path):  # noqa: ANN201 - a Whoosh searcher
    """A searcher on the index that ranks with accord's weighting (search.weighting)."""
    from search.weighting import accord_weighting

    return open_index(index_dir).searcher(weighting=accord_weighting())


SHARED_SEARCHERS = 4
"""How many indexes' searchers a process keeps open at most (the least recently used goes)."""
_SHARED: dict[Path, tuple[tuple, object]] = {}
"""Per index folder, the searcher `search` keeps open and the state of the folder it read."""


def shared_searcher(index_dir: Path):  # noqa: ANN201 - a Whoosh searcher
    """A searcher kept open across searches in this process (with the columns it has read),
    opened again when the index has changed: a new commit or new index information."""
    state = _index_state(index_dir)
    key = index_dir.resolve()
    if key in _SHARED:
        seen, searcher = _SHARED.pop(key)
        if seen == state:
            _SHARED[key] = (seen, searcher)
            return searcher
        searcher.close()
    searcher = open_searcher(index_dir)
    _SHARED[key] = (state, searcher)
    while len(_SHARED) > SHARED_SEARCHERS:
        _SHARED.pop(next(iter(_SHARED)))[1].close()
    return searcher


@atexit.register
def close_shared_searchers() -> None:
    """Close the searchers kept open (at exit, so that their files are closed in order)."""
    while _SHARED:
        _SHARED.popitem()[1][1].close()


def _index_state(index_dir: Path) -> tuple:
    """What tells that an index folder changed: its tables of contents and its info file."""
    try:
        info = (index_dir / INFO_FILE).stat()
    except OSError:
        info = None
    return (tuple(sorted(p.name for p in index_dir.glob(f"_{INDEX_NAME}_*.toc"))),
            info and (info.st_mtime_ns, info.st_size))


def search(index_dir: Path, request: SearchRequest) -> SearchResult:
    """Run a search and return one page of documents with facet counts (on a searcher kept
    open for the next search of the same index in this process)."""
    import numpy as np

    searcher = shared_searcher(index_dir)
    columns = load_columns(index_dir, searcher.reader())
    matches = find_matches(searcher, columns, request)
    ordered = _order(columns, matches, request.sort)
    others: dict[int, list[int]] = {}
    sections = len(matches.records)
    if request.one_per_text:
        ordered, others = one_per_text(searcher, matches, ordered, _query_language(matches.fields, request.text))
        sections = int(np.isin(matches.documents, ordered).sum())
    start = (request.page - 1) * request.limit
    origins = (term_origins(request.text, request.expand, matches.feedback, searcher.schema)
               if request.explain else None)
    page = [_document_hit(searcher, matches, document, request.all_sections, origins, others.get(document, ()))
            for document in ordered[start : start + request.limit].tolist()]
    facets = count_facets(columns, ordered, request.facets)
    return SearchResult(
        query=request.text, match=matches.match, page=request.page, limit=request.limit,
        total_documents=len(ordered), total_sections=sections,
        results=tuple(page), facets=facets, notice=matches.notice,
        suggestion=_suggestion(searcher, columns, request, len(ordered)),
        explain=_explain(request, matches) if request.explain else None,
    )


def one_per_text(searcher, matches: Matches, ordered: np.ndarray, wanted: str  # noqa: ANN001
                 ) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Each text once: of the matching documents that share a translation id, the one in
    the language `wanted` (the query's) where there is one, else the first in `ordered`;
    with, for each one kept, the other translations that matched."""
    import numpy as np

    translation, language = column(searcher.reader(), TRANSLATION), column(searcher.reader(), LANGUAGE)
    best = matches.best_records
    texts: dict[str, list[int]] = {}
    for document in ordered.tolist():
        texts.setdefault(translation[best[document]] or f"\0{document}", []).append(document)
    kept: dict[int, list[int]] = {}
    for versions in texts.values():
        chosen = next((d for d in versions if language[best[d]] == wanted), versions[0])
        kept[chosen] = [d for d in versions if d != chosen]
    return np.array([d for d in ordered.tolist() if d in kept], dtype=ordered.dtype), kept


def _query_language(fields: tuple[str, ...], text: str) -> str:
    """The language of a query: that of the one content field it was read in, else the
    likeliest of those of its fields ("en" standing for `content`)."""
    languages = {language_of_field(name) or "en" for name in fields}
    if len(languages) == 1:
        return languages.pop()
    from indexer.language import likeliest

    return likeliest(text, languages)


def translations_of(index_dir: Path, document: Document) -> tuple[Translation, ...]:
    """The other indexed documents that share the document's translation id."""
    key = document.metadata.translation
    if not key:
        return ()
    from whoosh import query as wq

    found: dict[str, Translation] = {}
    with open_index(index_dir).searcher() as searcher:
        for docnum in searcher.docs_for_query(wq.Term(TRANSLATION, key)):
            stored = searcher.stored_fields(docnum)
            if stored[DOC_ID] != document.doc_id:
                found.setdefault(stored[DOC_ID], Translation(stored[DOC_ID], stored.get(LANGUAGE) or None,
                                                              stored.get(TITLE) or None))
    return tuple(sorted(found.values(), key=lambda t: (t.language or "", t.doc_id)))


def _explain(request: SearchRequest, matches: Matches) -> Explain:
    from search.aliases import expand_aliases

    aliases = expand_aliases(request.text)[1] if request.expand else ()
    return Explain(aliases, matches.feedback)


def _suggestion(searcher, columns: Columns, request: SearchRequest, found: int) -> str | None:  # noqa: ANN001
    """A corrected query when this one finds little and the correction finds more."""
    if found >= SUGGEST_BELOW:
        return None
    from search.suggest import suggest_spelling

    corrected = suggest_spelling(searcher, request.text)
    if corrected is None or len(find_matches(searcher, columns, replace(request, text=corrected)).firsts) <= found:
        return None
    return corrected


def find_matches(searcher, columns: Columns, request: SearchRequest, depth: int | None = None  # noqa: ANN001
                 ) -> Matches:
    """The matching sections; with no match mode, all words first, then any word. With a
    `depth`, only the best `depth` sections are collected (totals are then lower bounds)."""
    match = request.match or Match.ALL
    matches = _matching(searcher, columns, request, match, depth)
    if not len(matches.records) and request.match is None and _word_count(request.text) > 1:
        fallback = _matching(searcher, columns, request, Match.ANY, depth)
        if len(fallback.records):
            fallback.notice = FALLBACK_NOTICE
            return fallback
    return matches


def _word_count(text: str) -> int:
    return len([w for w in text.split() if w.upper() not in ("AND", "OR", "NOT")])


def _matching(searcher, columns: Columns, request: SearchRequest, match: Match,  # noqa: ANN001
              depth: int | None) -> Matches:
    import numpy as np
    from whoosh import query as wq

    fields = query_fields(searcher.reader(), searcher.schema, request.text)
    query = parse_query(request.text, match, searcher.schema, request.expand, fields)
    where = build_filter(request.filters)
    allowed = allowed_documents(columns, request.filters) if where is not None else None
    terms = _query_terms(query, searcher.reader())
    scored = score_matches(searcher, query, None if allowed is not None else where)
    if scored is None:
        found = searcher.search(query, filter=where, limit=depth).top_n
        scored = (np.fromiter((score for score, _ in found), dtype=np.float64, count=len(found)),
                  np.fromiter((record for _, record in found), dtype=np.int64, count=len(found)))
    elif allowed is not None:
        kept = allowed[columns.document[scored[1]]]
        scored = (scored[0][kept], scored[1][kept])
    scores, records = (part[:depth] for part in scored) if depth else scored
    matches = Matches(match, None, terms, scores, records, columns.document[records], fields=fields)
    if not (request.feedback and request.sort is Sort.RELEVANCE) or isinstance(query, wq.Every):
        return matches
    if len(matches.firsts) <= FEEDBACK_DOCUMENTS:  # feedback would reorder documents by their own words
        return matches
    best = list(zip(scores[matches.firsts[:FEEDBACK_DOCUMENTS]].tolist(),
                    records[matches.firsts[:FEEDBACK_DOCUMENTS]].tolist()))
    feedback = feedback_terms(searcher, best, {text for fieldname, text in terms if fieldname == CONTENT})
    if not feedback:
        return matches
    added = feedback_scores(searcher, sorted(records[:FEEDBACK_DEPTH].tolist()), feedback)
    # Feedback only adds to the best FEEDBACK_DEPTH sections, so they stay ahead of the rest.
    head = sorted(((score + added.get(record, 0.0), record) for score, record
                   in zip(scores[:FEEDBACK_DEPTH].tolist(), records[:FEEDBACK_DEPTH].tolist())),
                  key=lambda item: (-item[0], item[1]))
    scores, records = scores.copy(), records.copy()
    scores[: len(head)] = [score for score, _ in head]
    records[: len(head)] = [record for _, record in head]
    return Matches(match, None, terms, scores, records, columns.document[records], tuple(feedback), fields)


def _query_terms(query, reader) -> frozenset[tuple[str, str]]:  # noqa: ANN001 - Whoosh query, reader
    """The indexed (field, term) pairs a query can match, patterns expanded, a phrase's words
    under their content field. Leaf by leaf: Whoosh's own `existing_terms` skips every
    field after the first it meets."""
    return frozenset((fieldname.removesuffix(POSITIONS_SUFFIX), _text(text)) for leaf in query.leaves()
                     for fieldname, text in leaf.existing_terms(reader, expand=True))


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _order(columns: Columns, matches: Matches, sort: Sort) -> np.ndarray:
    """The matching documents' numbers in the order asked for; by date, documents with no
    date come last, in order of relevance."""
    import numpy as np

    by_relevance = matches.ranked()
    if sort is Sort.RELEVANCE:
        return by_relevance
    day = columns.day[by_relevance]
    dated = (day >= FIRST_DAY) & (day <= LAST_DAY)
    order = np.argsort(-day if sort is Sort.NEWEST else day, kind="stable")
    order = order[dated[order]]
    return np.concatenate([by_relevance[order], by_relevance[~dated]])


def _document_hit(searcher, matches: Matches, document: int, all_sections: bool,  # noqa: ANN001
                  origins: dict[tuple[str, str], Origin] | None, translations: Iterable[int] = ()) -> DocumentHit:
    matching = matches.sections(document)
    shown = matching if all_sections else matching[:SECTIONS_PER_DOCUMENT]
    words = {text for _, text in matches.terms}  # feedback words rank, but are not highlighted
    scored = sorted(matches.terms | {(CONTENT, term) for term, _ in matches.feedback})
    sections = []
    for score, docnum in shown:
        stored = searcher.stored_fields(docnum)
        terms = explain_section(searcher, docnum, scored, origins) if origins is not None else ()
        sections.append(SectionHit(stored[SECTION_ID], stored.get(HEADING) or None, round(score, 4),
                                   make_snippet(stored.get(BODY, ""), words, stored.get(SECTION_LANGUAGE)), terms))
    first = searcher.stored_fields(matching[0][1])
    others: tuple[tuple[str, str | None], ...] = ()
    if translations:
        doc_ids, language = column(searcher.reader(), DOC_ID), column(searcher.reader(), LANGUAGE)
        best = matches.best_records
        others = tuple((doc_ids[best[d]], language[best[d]] or None) for d in translations)
    return DocumentHit(first[DOC_ID], display_path(first[PATH]), metadata_from_record(first),
                       round(matching[0][0], 4), tuple(sections), len(matching), others)


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
    import numpy as np

    info = read_info(index_dir)
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        columns = load_columns(index_dir, reader)
        live = np.unique(columns.document[np.fromiter(reader.all_doc_ids(), dtype=np.int64)])
        facets = count_facets(columns, live, FACET_FIELDS, size=10**9)
        sections = reader.doc_count()
    index_bytes = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file() and p.name != "README")
    return IndexStats(
        documents=len(live), sections=sections, index_bytes=index_bytes,
        schema_version=info.schema_version if info.schema_version is not None else SCHEMA_VERSION,
        corpus=info.corpus, updated=info.updated,
        facet_values={name: len(result.counts) for name, result in facets.items()},
        furniture_lines=len(info.furniture),
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
