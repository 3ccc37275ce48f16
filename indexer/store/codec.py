"""How segments are written: Whoosh's W3 codec, with bigger posting blocks and a lengths
reader that remembers which fields have lengths.

Whoosh stores the codec with each segment, so this module is imported whenever an index
written with it is opened; it imports nothing Whoosh does not already need for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

if TYPE_CHECKING:
    from whoosh.codec.whoosh3 import W3Segment
    from whoosh.filedb.filestore import Storage

POSTING_BLOCK = 1024
"""Postings per block on disk (Whoosh's default is 128). Searches decode whole posting
lists with numpy, block by block, so fewer, bigger blocks cost less; phrase searches,
which skip through blocks, are no slower."""


_BYTE_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]
"""Each length byte's length (W3 keeps a field's length per record in one byte; 0: none)."""


class AccordCodec(W3Codec):
    """W3 with posting blocks of POSTING_BLOCK postings, and _LengthsReader for lengths."""

    def __init__(self) -> None:
        super().__init__(blocklimit=POSTING_BLOCK)

    def per_document_reader(self, storage: Storage, segment: W3Segment) -> W3PerDocReader:
        """A segment's per-record data (lengths, columns, stored fields)."""
        return _LengthsReader(storage, segment)


class _LengthsReader(W3PerDocReader):
    """W3's per-record reader, remembering which column files exist and each field's
    lengths. Writing a segment asks for the length of every posting's record: for a field
    without lengths (ids, keywords), W3 looks for the missing file again each time, and for
    one with lengths it decodes that record's byte through the column reader, once per
    posting; here a field's length bytes are read once."""

    def __init__(self, storage: Storage, segment: W3Segment) -> None:
        super().__init__(storage, segment)
        self._known_columns: dict[str, bool] = {}
        self._lengths: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The length of a field in one record, as W3 gives it (None for a record without
        the field, `default` when the segment has no lengths for it)."""
        if fieldname not in self._lengths:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._lengths[fieldname] = None if reader is None else bytes(reader)
        lengths = self._lengths[fieldname]
        if lengths is None:
            return default
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        return _BYTE_LENGTHS[lengths[docnum]] if docnum < len(lengths) else None

    def has_column(self, fieldname: str) -> bool:
        """Whether the segment has this column (a segment's files never change)."""
        if fieldname not in self._known_columns:
            self._known_columns[fieldname] = super().has_column(fieldname)
        return self._known_columns[fieldname]
