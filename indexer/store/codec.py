"""How segments are written: Whoosh's W3 codec, with bigger posting blocks stored as
arrays, terms of one posting kept whole in the term dictionary (indexer.store.terms),
stored fields compressed in blocks of records (indexer.store.stored), and a lengths
reader that remembers which fields have lengths.

W3 pickles each posting block (record numbers, weights and values in one tuple) and
compresses it, so reading a block's record numbers means unpickling its values too: for
a field that keeps positions, one bytes object per posting. AccordCodec writes the same
blocks, with the same per-block information W3 skips by, as arrays instead:

    block head                          16 bytes: the block's size after its first 4 (negative
                                        for a term's last block), postings, last record
                                        number, greatest weight, least and greatest length
                                        byte (W3 pickles these, and starts each posting list
                                        with a 4-byte tag)
    id code, weight code, value code    one byte each (below)
    record number deltas                n x 1, 2 or 4 bytes ("B", "H", "I")
    weights                             none when all are 1 ("1"), else n x 1 or 2 bytes
                                        when all are whole numbers ("B", "H"), else float32 ("f")
    values                              none ("0"); else the values, raw ("r") or
                                        zlib-compressed ("z"): fixed-size ones one after
                                        another, others as n + 1 uint32 offsets and their bytes

so that scoring reads record numbers and frequencies with numpy and never touches the
positions, which a phrase reads only for the records that hold all its words; a field
can keep positions and still score as fast as one that keeps counts. A term of one posting
keeps it in its entry of the term dictionary instead (indexer.store.terms); term vectors
stay as W3 writes them.

Whoosh stores the codec with each segment, so this module is imported whenever an index
written with it is opened; it imports nothing Whoosh does not already need for that
(numpy only when a search asks for a block's arrays).
"""

from __future__ import annotations

import struct
import zlib
from array import array
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.store.stored import StoredColumn
from indexer.store.terms import TermsReader, TermsWriter

if TYPE_CHECKING:
    import numpy as np
    from whoosh.codec.whoosh3 import W3Segment
    from whoosh.columns import Column
    from whoosh.filedb.filestore import Storage
    from whoosh.filedb.structfile import StructFile
    from whoosh.formats import Format
    from whoosh.matching import Matcher
    from whoosh.reading import TermInfo

POSTING_BLOCK = 1024
"""Postings per block on disk (Whoosh's default is 128). Searches decode whole posting
lists with numpy, block by block, so fewer, bigger blocks cost less; phrase searches,
which skip through blocks, are no slower."""


_BYTE_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]
"""Each length byte's length (W3 keeps a field's length per record in one byte; 0: none)."""


COMPRESS_BYTES = 64
"""Values shorter than this are stored raw: compressing them saves nothing."""
_BLOCK_HEAD = struct.Struct("<iHIfBB")
"""A block's head (the module's docstring)."""
_ID_CODES = ((0xFF, "B"), (0xFFFF, "H"), (0xFFFFFFFF, "I"))
_NUMPY_TYPES = {"B": "<u1", "H": "<u2", "I": "<u4", "f": "<f4"}


class AccordCodec(W3Codec):
    """W3 with posting blocks of POSTING_BLOCK postings written as arrays (the module's
    docstring), and _LengthsReader for lengths."""

    def __init__(self) -> None:
        super().__init__(blocklimit=POSTING_BLOCK)

    def field_writer(self, storage: Storage, segment: W3Segment) -> TermsWriter:
        """The writer of a segment's terms and postings."""
        return TermsWriter(self, storage, segment)

    def terms_reader(self, storage: Storage, segment: W3Segment) -> TermsReader:
        """A segment's terms and their postings."""
        return TermsReader(self, segment.open_file(storage, self.TERMS_EXT), segment.open_file(storage, self.POSTS_EXT))

    def postings_writer(self, dbfile: StructFile, byteids: bool = False) -> W3PostingsWriter:
        """The writer of a field's posting lists, a list of one posting kept in its term's
        entry (term vectors, whose ids are bytes, as W3's)."""
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit)

    def postings_reader(self, dbfile: StructFile, terminfo: TermInfo, format_: Format, term: Any = None,
                        scorer: Any = None) -> Matcher:
        """A matcher over a term's postings: one in its term's entry as W3 reads inline ones
        (with the value a block would give a posting without one), blocks as arrays."""
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            if not values:
                terminfo._inlined = (ids, weights, (None if format_.fixed_value_size() == 0 else b"",) * len(ids))
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def per_document_writer(self, storage: Storage, segment: W3Segment) -> W3PerDocWriter:
        """The writer of a segment's per-record data, stored fields in blocks."""
        return _PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Storage, segment: W3Segment) -> W3PerDocReader:
        """A segment's per-record data (lengths, columns, stored fields)."""
        return _LengthsReader(storage, segment)


class ArrayPostingsWriter(W3PostingsWriter):
    """W3's postings writer, each block written as arrays, and postings of one record that
    follow one another written as one of their summed weight: a spelling word's, all on
    record 0, counted apart by each run of the posting pool (indexer.store.writer)."""

    _terminfo: Any
    _maxweight: float

    def add_posting(self, id_: int, weight: float, vbytes: bytes, length: int | None = None) -> None:
        """Buffer a posting of the current term (writing the block before it when full)."""
        if len(self._ids) and self._ids[-1] == id_:
            self._weights[-1] += weight
            self._maxweight = max(self._maxweight, self._weights[-1])
            return
        super().add_posting(id_, weight, vbytes, length)

    def finish_postings(self) -> TermInfo:
        """The term's information: with its posting within when it has one (indexer.store.terms)."""
        if self.written() or len(self._ids) != 1:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        return terminfo

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        ids = self._ids
        deltas = [ids[0], *(b - a for a, b in zip(ids, ids[1:]))]
        id_code = next(code for limit, code in _ID_CODES if max(deltas) <= limit)
        weight_code, weights = _weights(self._weights)
        value_code, values = _values(self._values, self._format.fixed_value_size())
        data = b"".join((id_code.encode(), weight_code.encode(), value_code.encode(), array(id_code, deltas).tobytes(),
                         weights, values))
        size = _BLOCK_HEAD.size - 4 + len(data)
        self._postfile.write(_BLOCK_HEAD.pack(-size if last else size, len(ids), ids[-1], self._maxweight,
                                              length_to_byte(self._minlength), length_to_byte(self._maxlength)))
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


def _weights(weights: array) -> tuple[str, bytes]:
    """A block's weights as (code, bytes)."""
    if all(w == 1.0 for w in weights):
        return "1", b""
    whole = [int(w) for w in weights]
    if all(i == w for i, w in zip(whole, weights)) and min(whole) >= 0:
        code = "B" if max(whole) <= 0xFF else "H" if max(whole) <= 0xFFFF else ""
        if code:
            return code, array(code, whole).tobytes()
    return "f", array("f", weights).tobytes()


def _values(values: list[bytes], fixed_size: int | None) -> tuple[str, bytes]:
    """A block's values as (code, bytes): none, or raw or compressed, with offsets when
    their sizes vary."""
    if fixed_size == 0 or not values:
        return "0", b""
    if fixed_size is None or fixed_size < 0:
        blob = array("I", [0, *accumulate(len(v) for v in values)]).tobytes() + b"".join(values)
    else:
        blob = b"".join(values)
    if len(blob) < COMPRESS_BYTES:
        return "r", blob
    return "z", zlib.compress(blob, 3)


class ArrayLeafMatcher(W3LeafMatcher):
    """W3's block matcher for blocks written by ArrayPostingsWriter: a block's head is read
    when the matcher reaches it; its record numbers, weights and values each only when
    asked for."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset  # no tag before the first block

    def _goto(self, position: int) -> None:
        self._data: Any = None  # each read from the block when first asked for
        self._ids: Any = None
        self._weights: Any = None
        self._values: Any = None
        self._i = 0
        size, count, last_id, max_weight, min_length, max_length = _BLOCK_HEAD.unpack(
            self._postfile.get(position, _BLOCK_HEAD.size))
        self._lastblock = size < 0
        self._dataoffset = position + _BLOCK_HEAD.size
        self._nextoffset = position + 4 + abs(size)
        self._blocklength, self._maxid, self._maxweight, self._compression = count, last_id, max_weight, 0
        self._minlength, self._maxlength = byte_to_length(min_length), byte_to_length(max_length)

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _layout(self) -> tuple[str, str, str, int, int]:
        """The block's codes, and where its weights and values start."""
        if self._data is None:
            self._read_data()
        data = self._data
        id_code, weight_code, value_code = chr(data[0]), chr(data[1]), chr(data[2])
        weights_at = 3 + self._blocklength * array(id_code).itemsize
        values_at = weights_at + (0 if weight_code == "1" else self._blocklength * array(weight_code).itemsize)
        return id_code, weight_code, value_code, weights_at, values_at

    def _read_ids(self) -> None:
        id_code, _, _, weights_at, _ = self._layout()
        deltas = array(id_code)
        deltas.frombytes(self._data[3:weights_at])
        self._ids = list(accumulate(deltas))

    def _read_weights(self) -> None:
        _, weight_code, _, weights_at, values_at = self._layout()
        if weight_code == "1":
            self._weights = array("f", [1.0]) * self._blocklength
            return
        found = array(weight_code)
        found.frombytes(self._data[weights_at:values_at])
        self._weights = found if weight_code == "f" else array("f", found)

    def _read_values(self) -> None:
        _, _, value_code, _, values_at = self._layout()
        fixed_size = self._fixedsize
        if value_code == "0":
            self._values = (None,) * self._blocklength if fixed_size == 0 else (b"",) * self._blocklength
            return
        blob = self._data[values_at:]
        blob = zlib.decompress(blob) if value_code == "z" else bytes(blob)
        if fixed_size is None or fixed_size < 0:
            offsets = array("I")
            offsets.frombytes(blob[: 4 * (self._blocklength + 1)])
            base = 4 * (self._blocklength + 1)
            self._values = tuple(blob[base + a : base + b] for a, b in zip(offsets, offsets[1:]))
        else:
            self._values = tuple(blob[i : i + fixed_size] for i in range(0, len(blob), fixed_size))

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The block's record numbers and weights, as numpy arrays (int64, float64)."""
        import numpy as np

        id_code, weight_code, _, weights_at, values_at = self._layout()
        count = self._blocklength
        ids = np.cumsum(np.frombuffer(self._data, _NUMPY_TYPES[id_code], count, 3), dtype=np.int64)
        if weight_code == "1":
            return ids, np.ones(count)
        return ids, np.frombuffer(self._data, _NUMPY_TYPES[weight_code], count, weights_at).astype(np.float64)


_STORED = StoredColumn()


class _PerDocWriter(W3PerDocWriter):
    """W3's per-record writer, writing stored fields as a StoredColumn."""

    def _create_column(self, fieldname: str, column: Column) -> None:
        super()._create_column(fieldname, _STORED if fieldname == "_stored" else column)


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

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        """A record's stored fields (none: an empty dictionary, as W3 gives it)."""
        return self._cached_reader("_stored", _STORED)[docnum] or {}

    def has_column(self, fieldname: str) -> bool:
        """Whether the segment has this column (a segment's files never change)."""
        if fieldname not in self._known_columns:
            self._known_columns[fieldname] = super().has_column(fieldname)
        return self._known_columns[fieldname]
