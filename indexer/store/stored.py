"""Stored fields: written in compressed blocks of records, read straight from a segment.

W3 pickles each record's stored fields and compresses it alone, so the words a record
shares with its neighbours (field names, the issuer, the file's path, its headings) are
paid for in every record. StoredColumn compresses the pickled records together, in blocks
of about STORED_BLOCK bytes, and ends with where each record starts:

    blocks                   zlib-compressed pickled records, one after another
    record starts            (records + 1) x uint64: where each record starts in the
                             pickled records, uncompressed (the last: where they end)
    block starts             blocks x uint64: the first pickled byte each block holds
    block offsets            blocks x uint64: where each block starts in the column
    records, blocks          2 x uint32

A record is never split across blocks; one without stored fields starts where the next
does. The last BLOCKS_KEPT blocks read are kept decompressed, so reading records in order
(a merge, an export) decompresses each block once, and a search that shows the records it
ranked by decompresses theirs once.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from whoosh.columns import Column, ColumnReader, ColumnWriter

if TYPE_CHECKING:
    from whoosh.filedb.structfile import StructFile
    from whoosh.reading import IndexReader

STORED_BLOCK = 8 * 1024
"""Pickled bytes compressed together: enough for records to share their words, small
enough that showing one record decompresses little besides."""
BLOCKS_KEPT = 32
"""Decompressed blocks each segment's reader keeps, the last read."""
_COUNTS = struct.Struct("<II")


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


class StoredColumn(Column):
    """A segment's stored fields, each record's a dictionary, in compressed blocks (the
    module's docstring)."""

    def writer(self, dbfile: StructFile) -> StoredWriter:
        """A writer of the column to `dbfile`."""
        return StoredWriter(dbfile)

    def reader(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> StoredReader:
        """A reader of the column written at `basepos` in `dbfile`."""
        return StoredReader(dbfile, basepos, length, doccount)


class StoredWriter(ColumnWriter):
    """Pickles each record's fields as it is added (W3 empties the dictionary right after)
    and writes a block whenever STORED_BLOCK pickled bytes are waiting."""

    def __init__(self, dbfile: StructFile) -> None:
        self._dbfile = dbfile
        self._base = dbfile.tell()
        self._starts = array("Q", [0])
        self._block_starts = array("Q")
        self._block_offsets = array("Q")
        self._pending: list[bytes] = []
        self._pending_size = 0

    def add(self, docnum: int, value: dict[str, Any] | None) -> None:
        """Add record `docnum`'s fields (records skipped before it have none)."""
        self.fill(docnum)
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if value else b""
        self._pending.append(pickled)
        self._pending_size += len(pickled)
        self._starts.append(self._starts[-1] + len(pickled))
        if self._pending_size >= STORED_BLOCK:
            self._write_block()

    def fill(self, docnum: int) -> None:
        """Give the records before `docnum` not added yet no fields."""
        while len(self._starts) - 1 < docnum:
            self._starts.append(self._starts[-1])

    def finish(self, doccount: int) -> None:
        """Write the last block and where every record and block starts."""
        self.fill(doccount)
        self._write_block()
        for numbers in (self._starts, self._block_starts, self._block_offsets):
            self._dbfile.write(numbers.tobytes())
        self._dbfile.write(_COUNTS.pack(len(self._starts) - 1, len(self._block_starts)))

    def _write_block(self) -> None:
        if not self._pending_size:
            return
        self._block_starts.append(self._starts[-1] - self._pending_size)
        self._block_offsets.append(self._dbfile.tell() - self._base)
        self._dbfile.write(zlib.compress(b"".join(self._pending), 3))
        self._pending, self._pending_size = [], 0


class StoredReader(ColumnReader):
    """Reads one record's fields by decompressing the block that holds them."""

    def __init__(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        records, blocks = _COUNTS.unpack(dbfile.get(basepos + length - _COUNTS.size, _COUNTS.size))
        tables_at = basepos + length - _COUNTS.size - 8 * (records + 1 + 2 * blocks)
        tables = dbfile.get(tables_at, 8 * (records + 1 + 2 * blocks))
        self._starts, self._block_starts, self._block_offsets = array("Q"), array("Q"), array("Q")
        self._starts.frombytes(tables[: 8 * (records + 1)])
        self._block_starts.frombytes(tables[8 * (records + 1) : 8 * (records + 1 + blocks)])
        self._block_offsets.frombytes(tables[8 * (records + 1 + blocks) :])
        self._block_offsets.append(tables_at - basepos)  # where the last block ends
        self._block = lru_cache(maxsize=BLOCKS_KEPT)(self._decompressed)

    def __len__(self) -> int:
        return self._doccount

    def __getitem__(self, docnum: int) -> dict[str, Any] | None:
        if docnum >= len(self._starts) - 1:
            return None
        start, end = self._starts[docnum], self._starts[docnum + 1]
        if start == end:
            return None
        block = bisect_right(self._block_starts, start) - 1
        data = self._block(block)
        at = start - self._block_starts[block]
        fields: dict[str, Any] = pickle.loads(memoryview(data)[at : at + end - start])
        return fields

    def __iter__(self) -> Iterator[dict[str, Any] | None]:
        return (self[docnum] for docnum in range(self._doccount))

    def _decompressed(self, block: int) -> bytes:
        offset = self._block_offsets[block]
        return zlib.decompress(self._dbfile.get(self._basepos + offset, self._block_offsets[block + 1] - offset))
