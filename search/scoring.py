"""Every matching record's BM25F score, computed with numpy from Whoosh's posting blocks.

Whoosh scores a query posting by posting in Python; here a term's postings are decoded
block by block into arrays and scored all at once, with Whoosh's own formula and
statistics (idf and average length from the whole index, each record's length byte), and
And / Or combine the arrays as Whoosh's matchers combine scores: a sum, times the query's
boost. Any other part of a query (phrases, patterns, NOT, words in unscored fields, an Or
with a coordination bonus) is scored by Whoosh's own matcher, record by record, and
combined the same way. Scores equal Whoosh's up to the order in which floating-point
sums are added.

Reading blocks uses private parts of Whoosh's W3 codec (whoosh-reloaded 2.7.5, pinned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    import numpy as np

_LENGTHS: WeakKeyDictionary = WeakKeyDictionary()
"""Per segment reader, each scored field's record lengths (Whoosh's length bytes decoded)."""
_DELETED: WeakKeyDictionary = WeakKeyDictionary()
"""Per segment reader, its deleted record numbers."""


@dataclass(frozen=True, slots=True)
class _Part:
    """What part of a query matches in one segment."""

    ids: np.ndarray
    """Segment record numbers, ascending."""
    scores: np.ndarray


def score_matches(searcher, query, allowed) -> tuple[np.ndarray, np.ndarray] | None:  # noqa: ANN001
    """(scores, record numbers) of every record `query` matches, best first, ties by record
    number; only records in `allowed` (a Whoosh filter query) when one is given. None when
    the searcher does not rank by BM25F, or the query matches every record."""
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
    if allowed is not None:
        permitted = np.fromiter(searcher.docs_for_query(allowed), dtype=np.int64)
        keep = np.isin(records, permitted)
        records, values = records[keep], values[keep]
    order = np.lexsort((records, -values))
    return values[order], records[order]


def term_scores(searcher, fieldname: str, text: str, records: np.ndarray  # noqa: ANN001
                ) -> tuple[np.ndarray, np.ndarray]:
    """(record numbers, scores) of those of `records` (ascending) that hold the word `text`
    of a scored field. Posting blocks holding none of them are skipped unread."""
    import numpy as np
    from whoosh import query as wq

    term = wq.Term(fieldname, text)
    found, scores = [np.zeros(0, np.int64)], [np.zeros(0)]
    for leaf, offset in searcher.leaf_searchers():
        local = records[(records >= offset) & (records < offset + leaf.doc_count_all())] - offset
        if len(local):
            part = _term(searcher, leaf, term, local)
            keep = _positions_of(part.ids, local)
            found.append(part.ids[keep] + offset)
            scores.append(part.scores[keep])
    return np.concatenate(found), np.concatenate(scores)


def _evaluate(top, leaf, query) -> _Part:  # noqa: ANN001 - Whoosh searchers and query
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


def _compound(top, leaf, query) -> _Part:  # noqa: ANN001
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


def _term(top, leaf, query, within: np.ndarray | None = None) -> _Part:  # noqa: ANN001
    """A word's postings in a segment, scored (only blocks that may hold `within`, if given)."""
    field = leaf.schema[query.fieldname]
    try:
        text = field.to_bytes(query.text)
    except ValueError:
        return _empty()
    ids, tf = _postings(leaf.reader(), query.fieldname, text, within)
    if not len(ids):
        return _empty()
    weighting = top.weighting
    b, k1 = weighting._field_B.get(query.fieldname, weighting.B), weighting.K1
    idf, average = top.idf(query.fieldname, text), top.avg_field_length(query.fieldname) or 1
    length = _lengths(leaf.reader(), query.fieldname)[ids]
    scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / average)))  # whoosh.scoring.bm25
    if query.boost != 1.0:
        scores = scores * query.boost
    return _Part(ids, scores)


def _whoosh(leaf, query) -> _Part:  # noqa: ANN001
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


def _postings(reader, fieldname: str, text: bytes, within: np.ndarray | None = None  # noqa: ANN001
              ) -> tuple[np.ndarray, np.ndarray]:
    """A term's (record numbers, term frequencies) in a segment, deleted records left out;
    with `within` (ascending record numbers), only from the blocks whose range holds one.
    The codec's matcher is read directly: Whoosh's deletion filter would decode the first
    block in Python only to find the first record that is not deleted."""
    import numpy as np
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.reading import SegmentReader, TermNotFound

    try:
        matcher = (reader._terms.matcher(fieldname, text, reader.schema[fieldname].format)
                   if isinstance(reader, SegmentReader) else reader.postings(fieldname, text))
    except TermNotFound:
        return np.zeros(0, np.int64), np.zeros(0)
    ids, weights = [], []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        after = -1  # the last record of the previous block
        while within is None or after < within[-1]:
            if within is None or _holds(within, after, matcher._maxid):
                matcher._read_data()
                raw_ids, raw_weights = matcher._data[0], matcher._data[1]
                ids.append(np.cumsum(np.array(raw_ids, dtype=np.int64)))
                if raw_weights is None or isinstance(raw_weights, float):
                    weights.append(np.full(len(raw_ids), 1.0 if raw_weights is None else raw_weights))
                else:
                    weights.append(np.array(raw_weights, dtype=np.float64))
            if matcher._lastblock:
                break
            after = matcher._maxid
            matcher._goto(matcher._nextoffset)
    else:  # postings kept inline in the term's entry
        while matcher.is_active():
            ids.append(np.array([matcher.id()], np.int64))
            weights.append(np.array([matcher.weight()], np.float64))
            matcher.next()
    record, tf = np.concatenate([np.zeros(0, np.int64), *ids]), np.concatenate([np.zeros(0), *weights])
    deleted = _deleted(reader)
    if len(deleted):
        keep = np.ones(len(record), bool)
        keep[_positions_of(record, deleted)] = False
        record, tf = record[keep], tf[keep]
    return record, tf


def _positions_of(records: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where those of `wanted` that `records` holds are in it (both ascending)."""
    import numpy as np

    at = np.searchsorted(records, wanted)
    inside = at < len(records)
    at = at[inside]
    return at[records[at] == wanted[inside]]


def _deleted(reader) -> np.ndarray:  # noqa: ANN001 - a Whoosh segment reader
    """The segment's deleted record numbers."""
    import numpy as np

    if reader not in _DELETED:
        _DELETED[reader] = np.sort(np.fromiter(reader.deleted_docs_set if reader.has_deletions() else (), np.int64))
    return _DELETED[reader]


def _holds(records: np.ndarray, after: int, last: int) -> bool:
    """Whether the ascending `records` hold one in (after, last]."""
    import numpy as np

    at = np.searchsorted(records, after, side="right")
    return bool(at < len(records) and records[at] <= last)


def _lengths(reader, fieldname: str) -> np.ndarray:  # noqa: ANN001 - a Whoosh segment reader
    """Each record's length in the field, as Whoosh decodes its length byte."""
    import numpy as np
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    cached = _LENGTHS.setdefault(reader, {})
    if fieldname not in cached:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        count = reader.doc_count_all()
        codes = np.zeros(count, np.uint8)
        if column is not None:
            stored = column._dbfile.get(column._basepos, min(column._count, count))
            codes[: len(stored)] = np.frombuffer(stored, np.uint8)
        table = np.array([byte_to_length(code) for code in range(256)], np.int64)
        cached[fieldname] = table[codes]
    return cached[fieldname]
