"""A segment's postings, field lengths and deletions as numpy arrays, read from the blocks
AccordCodec writes (and Whoosh's W3 private parts, whoosh-reloaded 2.7.5, pinned): a
term's posting blocks are read one block at a time, their record numbers and weights
straight from their arrays, blocks that cannot hold wanted records skipped unread;
lengths come straight from the length column's bytes. Scoring (search.rank.scoring) and
feedback read postings only through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    import numpy as np
    from whoosh.reading import IndexReader, SegmentReader

_LENGTHS: WeakKeyDictionary[SegmentReader, dict[str, np.ndarray]] = WeakKeyDictionary()
"""Per segment reader, each scored field's record lengths (Whoosh's length bytes decoded)."""
_DELETED: WeakKeyDictionary[SegmentReader, np.ndarray] = WeakKeyDictionary()
"""Per segment reader, its deleted record numbers."""


def postings(reader: IndexReader, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's (record numbers, term frequencies) in a segment, deleted records left out."""
    record, tf = _read_blocks(reader, fieldname, text, None)
    if len(deleted_records(reader)):
        keep = live(reader, record)
        record, tf = record[keep], tf[keep]
    return record, tf


def frequencies_in(reader: IndexReader, fieldname: str, text: bytes, records: np.ndarray) -> np.ndarray:
    """How many times a term occurs in each of a segment's `records` (ascending, none of
    them deleted: see live), 0 where it does not; only the blocks that may hold one are read."""
    import numpy as np

    ids, tf = _read_blocks(reader, fieldname, text, records)
    found = np.zeros(len(records))
    if len(ids):
        at = np.minimum(np.searchsorted(ids, records), len(ids) - 1)
        held = ids[at] == records
        found[held] = tf[at[held]]
    return found


def live(reader: IndexReader, records: np.ndarray) -> np.ndarray:
    """Which of a segment's ascending `records` are not deleted."""
    import numpy as np

    keep = np.ones(len(records), bool)
    deleted = deleted_records(reader)
    if len(deleted):
        keep[positions_of(records, deleted)] = False
    return keep


def _read_blocks(reader: IndexReader, fieldname: str, text: bytes, within: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """A term's (record numbers, term frequencies) in a segment, deleted records included;
    with `within`, only from the blocks whose range holds one of its records. The codec's
    matcher is read directly: Whoosh's deletion filter would decode the first block in
    Python only to find the first record that is not deleted."""
    import numpy as np
    from whoosh.reading import SegmentReader, TermNotFound

    from indexer.store.codec import ArrayLeafMatcher

    try:
        matcher = (reader._terms.matcher(fieldname, text, reader.schema[fieldname].format)
                   if isinstance(reader, SegmentReader) else reader.postings(fieldname, text))
    except TermNotFound:
        return np.zeros(0, np.int64), np.zeros(0)
    ids, weights = [], []
    if isinstance(matcher, ArrayLeafMatcher):
        after = -1  # the last record of the previous block
        while within is None or after < within[-1]:
            if within is None or _holds(within, after, matcher._maxid):
                block_ids, block_weights = matcher.block_arrays()
                ids.append(block_ids)
                weights.append(block_weights)
            if matcher._lastblock:
                break
            after = matcher._maxid
            matcher._goto(matcher._nextoffset)
    else:  # postings kept inline in the term's entry
        while matcher.is_active():
            ids.append(np.array([matcher.id()], np.int64))
            weights.append(np.array([matcher.weight()], np.float64))
            matcher.next()
    if len(ids) == 1:
        return ids[0], weights[0]
    return np.concatenate([np.zeros(0, np.int64), *ids]), np.concatenate([np.zeros(0), *weights])


def positions_of(records: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where those of `wanted` that `records` holds are in it (both ascending)."""
    import numpy as np

    at = np.searchsorted(records, wanted)
    inside = at < len(records)
    at = at[inside]
    return at[records[at] == wanted[inside]]


def deleted_records(reader: SegmentReader) -> np.ndarray:
    """The segment's deleted record numbers, ascending."""
    import numpy as np

    if reader not in _DELETED:
        _DELETED[reader] = np.sort(np.fromiter(reader.deleted_docs_set if reader.has_deletions() else (), np.int64))
    return _DELETED[reader]


def _holds(records: np.ndarray, after: int, last: int) -> bool:
    """Whether the ascending `records` hold one in (after, last]."""
    import numpy as np

    at = np.searchsorted(records, after, side="right")
    return bool(at < len(records) and records[at] <= last)


def field_lengths(reader: SegmentReader, fieldname: str) -> np.ndarray:
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
