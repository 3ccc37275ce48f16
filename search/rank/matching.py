"""Which sections match a request, best first: the query read in the right content fields,
the filters applied (from the document columns where they can be), BM25F scores from
numpy (rank.scoring), and pseudo-relevance feedback on the best documents. With no
explicit match mode a query first requires every word and, if that finds nothing, falls
back to any word and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from indexer.arrays import distinct, first_positions
from indexer.fields import CONTENT, DATE_END, DATE_START, YEAR
from search.facets import allowed_by, filter_masks
from search.patterns import expand_patterns
from search.query import parse_query, query_fields
from search.rank.feedback import FEEDBACK_DEPTH, FEEDBACK_DOCUMENTS, feedback_scores, feedback_terms
from search.rank.scoring import score_matches
from search.request import Match, SearchRequest, Sort
from search.syntax import prepare

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import numpy as np
    from whoosh.query import Query
    from whoosh.reading import IndexReader
    from whoosh.searching import Searcher

    from indexer.store.columns import Columns

FALLBACK_NOTICE = "No document contains all the words; showing documents that contain any of them."


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
    """Each matching section's document number (see indexer.store.columns), in that order."""
    feedback: tuple[tuple[str, float], ...] = ()
    """Words added by pseudo-relevance feedback, with their boosts."""
    fields: tuple[str, ...] = (CONTENT,)
    """The content fields the query was read in (see query_fields)."""
    unfiltered: np.ndarray | None = None
    """With filters: the documents the query matches before them (for facet counts)."""
    masks: dict[str, np.ndarray] | None = None
    """With filters: per field filtered on, which documents its filter allows (search.facets)."""

    @cached_property
    def firsts(self) -> np.ndarray:
        """The position of each matching document's best section, best document first."""
        import numpy as np

        return np.sort(first_positions(self.documents))

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


def find_matches(searcher: Searcher, columns: Columns, request: SearchRequest,
                 depth: int | None = None) -> Matches:
    """The matching sections; with no match mode, all words first, then any word. With a
    `depth`, only the best `depth` sections are collected (totals are then lower bounds)."""
    match = request.match or Match.ALL
    matches = _matching(searcher, columns, request, match, depth)
    if not len(matches.records) and request.match is None and word_count(request.text) > 1:
        fallback = _matching(searcher, columns, request, Match.ANY, depth)
        if len(fallback.records):
            fallback.notice = FALLBACK_NOTICE
            return fallback
    return matches


def word_count(text: str) -> int:
    """The words of a query, operators left out: more than one lets it fall back to any word."""
    return len([w for w in prepare(text).split() if w.upper() not in ("AND", "OR", "NOT")])


def _matching(searcher: Searcher, columns: Columns, request: SearchRequest, match: Match,
              depth: int | None) -> Matches:
    import numpy as np
    from whoosh import query as wq

    fields, query, excluded = _read_query(searcher, request, match, columns.values)
    masks = filter_masks(columns, request.filters)
    allowed = _excluding(searcher, columns, excluded) if excluded else None
    terms = _query_terms(query, searcher.reader())
    scored = score_matches(searcher, query)
    if scored is None:
        found = searcher.search(query, limit=None if excluded or masks else depth).top_n
        scored = (np.fromiter((score for score, _ in found), dtype=np.float64, count=len(found)),
                  np.fromiter((record for _, record in found), dtype=np.int64, count=len(found)))
    if allowed is not None:
        kept = allowed[columns.document[scored[1]]]
        scored = (scored[0][kept], scored[1][kept])
    unfiltered, passing = None, allowed_by(masks)
    if passing is not None:
        unfiltered = distinct(columns.document[scored[1]])
        kept = passing[columns.document[scored[1]]]
        scored = (scored[0][kept], scored[1][kept])
    scores, records = (part[:depth] for part in scored) if depth else scored
    matches = Matches(match, None, terms, scores, records, columns.document[records], fields=fields,
                      unfiltered=unfiltered, masks=masks or None)
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
    return Matches(match, None, terms, scores, records, columns.document[records], tuple(feedback), fields,
                   unfiltered, masks or None)


def query_terms(searcher: Searcher, request: SearchRequest) -> frozenset[tuple[str, str]]:
    """The indexed (field, term) pairs the request's query can match: what a search
    highlights."""
    return _query_terms(_read_query(searcher, request, request.match or Match.ANY)[1], searcher.reader())


def _read_query(searcher: Searcher, request: SearchRequest, match: Match,
                values: Mapping[str, Sequence[str]] | None = None) -> tuple[tuple[str, ...], Query, list[Query]]:
    """The content fields the request's text is read in, its query (patterns expanded,
    field values matched against `values`) without its exclusions, and those exclusions."""
    fields = query_fields(searcher.reader(), searcher.schema, request.text)
    query = expand_patterns(parse_query(request.text, match, searcher.schema, request.expand, fields, values),
                            searcher.reader(), searcher.schema)
    return (fields, *without_exclusions(query))


def without_exclusions(query: Query) -> tuple[Query, list[Query]]:
    """The query without its top-level NOT clauses (in each content field's reading), and
    what they exclude. Excluding is done by document, not by section: Whoosh's NOT inside an
    OR (`--match any`) would match every section without the word."""
    from whoosh import query as wq

    excluded: list[Query] = []

    def strip(node: Query, depth: int) -> Query:
        if isinstance(node, wq.Not):
            excluded.append(node.query)
            return wq.Every()
        if isinstance(node, (wq.And, wq.Or)) and depth < 2:
            kept = [strip(sub, depth + 1) for sub in node.subqueries]
            positive = [sub for sub in kept if not isinstance(sub, wq.Every)]
            if not positive:
                return wq.Every()
            return type(node)(positive, boost=node.boost) if len(positive) > 1 else positive[0]
        return node

    return strip(query, 0), excluded


def _excluding(searcher: Searcher, columns: Columns, excluded: list[Query]) -> np.ndarray:
    """Whether each document has no section that matches any of `excluded`."""
    import numpy as np

    keep = np.ones(len(columns.year), dtype=bool)
    for query in excluded:
        records = np.fromiter(searcher.docs_for_query(query), dtype=np.int64)
        keep[columns.document[records]] = False
    return keep


def _query_terms(query: Query, reader: IndexReader) -> frozenset[tuple[str, str]]:
    """The indexed (field, term) pairs a query can match, patterns expanded, a phrase's words
    under their content field. Leaf by leaf: Whoosh's own `existing_terms` skips every
    field after the first it meets."""
    return frozenset((fieldname, _text(text)) for leaf in query.leaves()
                     for fieldname, text in leaf.existing_terms(reader, expand=True)
                     if fieldname not in _NUMERIC_FIELDS)


_NUMERIC_FIELDS = frozenset((YEAR, DATE_START, DATE_END))
"""Fields whose terms are numbers encoded as bytes: never highlighted."""


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
