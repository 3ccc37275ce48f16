"""A record's stored fields, read straight from its segment's stored column."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whoosh.reading import IndexReader


def stored_fields(reader: IndexReader, record: int) -> dict[str, Any]:
    """The stored fields of a record of `reader` (one segment's or several's). Whoosh's own
    reader copies them into a new dictionary, checking each field's name against the
    schema, which costs more than unpickling them; an accord index holds no field outside
    its schema (another schema is another version, rebuilt)."""
    from whoosh.reading import SegmentReader

    if not isinstance(reader, SegmentReader):
        offsets = reader.doc_offsets
        segment = bisect_right(offsets, record) - 1
        reader, record = reader.readers[segment], record - offsets[segment]
    return reader._perdoc.stored_fields(record)
