"""Every matching record's BM25F score, computed with numpy from Whoosh's posting blocks.

Whoosh scores a query posting by posting in Python; here a term's postings are decoded
block by block into arrays and scored all at once, with Whoosh's own formula and
statistics (idf and average length from the whole index, each record's length byte), and
And / Or combine the arrays as Whoosh's matchers combine scores: a sum, times the query's
boost. Any other part of a query (phrases, patterns, NOT, words in unscored fields, an Or
with a coordination bonus) is scored by Whoosh's own matcher, record by record, and
combined the same way. Scores equal Whoosh's up to the order in which floating-point
sums are added.

Posting blocks are decoded by indexer.store.postings.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.store.postings import field_lengths, frequencies_in, live, postings

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from whoosh.query import Query
    from whoosh.searching import Searcher


@dataclass(frozen=True, slots=True)
class _Part:
    """What part of a query matches in one segment."""

    ids: np.ndarray
    """Segment record numbers, ascending."""
    scores: np.ndarray


def score_matches(searcher: Searcher, query: Query) -> tuple[np.ndarray, np.ndarray] | None:
    """(scores, record numbers) of every record `query` matches, best first, ties by record
    number. None when the searcher does not rank by BM25F, or the query matches every record."""
    import numpy as np
    from whoosh import query as wq
    from whoosh.scoring import BM25F

    if not isinstance(searcher.weighting, BM25F) or isinstance(query, wq.Every):
        return None
    ids, scores = [np.zeros(0, np.int64)], [np.zeros(0, np.float64)]
    for leaf, offset in searcher.leaf_searchers():
        part = _evaluate(searcher, leaf, query)
        ids.append(part.ids + offset)
        scores.append(part.scores)
    records, values = np.concatenate(ids), np.concatenate(scores)
    order = np.lexsort((records, -values))
    return values[order], records[order]


def added_scores(searcher: Searcher, fieldname: str, boosts: Sequence[tuple[str, float]], records: np.ndarray
                 ) -> np.ndarray:
    """What words of a scored field add to the score of each of `records` (ascending): each
    word's BM25F score there times its boost, summed word by word (0 for a deleted record).
    Each segment's lengths of those records are read once for all the words, and of each
    word only the posting blocks that may hold one of them."""
    import numpy as np

    b, k1 = searcher.weighting.B, searcher.weighting.K1
    average = searcher.avg_field_length(fieldname) or 1
    field = searcher.schema[fieldname]
    words = []
    for text, boost in boosts:
        with contextlib.suppress(ValueError):
            words.append((field.to_bytes(text), boost))
    added = np.zeros(len(records))
    for leaf, offset in searcher.leaf_searchers():
        start, end = np.searchsorted(records, (offset, offset + leaf.doc_count_all())).tolist()
        if start == end:
            continue
        reader = leaf.reader()
        at = start + np.flatnonzero(live(reader, records[start:end] - offset))
        local = records[at] - offset
        norm = _length_norm(field_lengths(reader, fieldname)[local], average, b, k1)
        for text, boost in words:
            added[at] += _bm25(searcher.idf(fieldname, text), frequencies_in(reader, fieldname, text, local), norm, k1) * boost
    return added


def _evaluate(top: Searcher, leaf: Searcher, query: Query) -> _Part:
    from whoosh import query as wq

    if type(query) is wq.Term and query.fieldname in leaf.schema and leaf.schema[query.fieldname].scorable:
        return _term(top, leaf, query)
    if type(query) in (wq.And, wq.Or) and query.subqueries:
        subs = query.subqueries
        if len(subs) == 1:  # Whoosh matches a lone subquery directly, without the boost
            return _evaluate(top, leaf, subs[0])
        if type(query) is wq.And or (len(subs) < query.TOO_MANY_CLAUSES and not query.minmatch and not query.scale):
            return _compound(top, leaf, query)
    return _whoosh(leaf, query)


def _compound(top: Searcher, leaf: Searcher, query: Query) -> _Part:
    from whoosh import query as wq

    parts = [_evaluate(top, leaf, sub) for sub in query.subqueries]
    joined = parts[0]
    for part in parts[1:]:
        joined = _intersection(joined, part) if type(query) is wq.And else _union(joined, part)
    return _Part(joined.ids, joined.scores * query.boost) if query.boost != 1.0 else joined


def _intersection(a: _Part, b: _Part) -> _Part:
    import numpy as np

    ids, at_a, at_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return _Part(ids, a.scores[at_a] + b.scores[at_b])


def _union(a: _Part, b: _Part) -> _Part:
    import numpy as np

    ids = np.union1d(a.ids, b.ids)
    scores = np.zeros(len(ids))
    for part in (a, b):
        scores[np.searchsorted(ids, part.ids)] += part.scores
    return _Part(ids, scores)


def _term(top: Searcher, leaf: Searcher, query: Query) -> _Part:
    """A word's postings in a segment, scored."""
    field = leaf.schema[query.fieldname]
    try:
        text = field.to_bytes(query.text)
    except ValueError:
        return _empty()
    ids, tf = postings(leaf.reader(), query.fieldname, text)
    if not len(ids):
        return _empty()
    weighting = top.weighting
    b, k1 = weighting.B, weighting.K1  # accord weighs every field with one B
    idf, average = top.idf(query.fieldname, text), top.avg_field_length(query.fieldname) or 1
    scores = _bm25(idf, tf, _length_norm(field_lengths(leaf.reader(), query.fieldname)[ids], average, b, k1), k1)
    if query.boost != 1.0:
        scores = scores * query.boost
    return _Part(ids, scores)


def _length_norm(lengths: np.ndarray, average: float, b: float, k1: float) -> np.ndarray:
    """BM25's length part of each record's denominator (whoosh.scoring.bm25)."""
    return k1 * ((1 - b) + b * lengths / average)


def _bm25(idf: float, tf: np.ndarray, norm: np.ndarray, k1: float) -> np.ndarray:
    """Whoosh's BM25 of a word's frequencies in records whose length parts are `norm`
    (whoosh.scoring.bm25)."""
    return idf * ((tf * (k1 + 1)) / (tf + norm))


def _whoosh(leaf: Searcher, query: Query) -> _Part:
    """A part of the query scored by Whoosh's own matcher."""
    import numpy as np

    matcher = query.matcher(leaf, leaf.context())
    ids, scores = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    return _Part(np.array(ids, np.int64), np.array(scores, np.float64))


def _empty() -> _Part:
    import numpy as np

    return _Part(np.zeros(0, np.int64), np.zeros(0))


