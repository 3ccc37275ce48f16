"""A segment's term dictionary: its terms in order, in blocks of front-coded keys, each
with its entry; a term of one posting keeps that posting whole in its entry.

Whoosh's W3 dictionary is a hash file, which spends about 40 bytes a term on hash slots,
key and entry lengths and an ordered index of its keys, on top of the key and the entry.
Here the terms are written in key order (W3's keys: the field's number, 2 bytes, and the
term's bytes) in blocks of BLOCK_TERMS; a term costs its key's bytes not shared with the
key before it, and three lengths of one byte or so. A look-up finds the block by its
first key (binary search over an index of them) and reads the block; readings of the
same block are remembered. The file:

    "ATD1"
    blocks          per term: bytes its key shares with the one before, the key's other
                    bytes (length, bytes), the entry (length, bytes): lengths as varints;
                    a block's first term gives only its entry (its key is in the index)
    block starts    (blocks + 1) little-endian uint64: where each block starts, then
                    where the blocks end
    first keys      (blocks + 1) little-endian uint32 offsets into the bytes that follow,
                    each block's first key one after another
    fields          JSON: each field's name and number
    trailer         uint64 offsets of the block starts, first keys and fields; uint32
                    number of blocks; "ATD1"

An entry is W3's term information, but for a term of one posting, which most terms of a
collection are (a section's id, a file's name, time and hash, a word one section uses,
every spelling word: indexer.store.writer). W3 writes such a posting as a block of the
postings file, pointed at by 12 bytes of the entry; here the entry holds it:

    flag                1 byte: 0 and 1 as W3 writes them (postings in the file, or
                        pickled into the entry); 2, one posting without a value; 3, one
                        posting with its value (a section's positions of a word)
    weight ... maxweight  the first 15 bytes of W3's entry: the term's frequency,
                        sections, least and greatest length byte and greatest weight
    record              4 bytes: the posting's record number
    value               flag 3: the posting's value, to the entry's end
"""

from __future__ import annotations

import json
import mmap
import struct
import sys
from array import array
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from whoosh.codec.base import FieldCursor
from whoosh.codec.base import TermsReader as BaseTermsReader
from whoosh.codec.whoosh3 import W3FieldWriter, W3TermInfo
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort, unpack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

if TYPE_CHECKING:
    from collections.abc import Iterator

    from whoosh.codec.base import Codec, Segment
    from whoosh.filedb.filestore import Storage
    from whoosh.filedb.structfile import StructFile
    from whoosh.matching import Matcher

BLOCK_TERMS = 16
"""Terms per block: a look-up reads one block, so fewer make it quicker and more make
the index of first keys smaller."""
MAGIC = b"ATD1"
_TRAILER = struct.Struct("<QQQI4s")
_ONE_POSTING = struct.Struct("!BfIBBfI")
"""flag, weight, sections, least and greatest length byte, greatest weight, record."""
_NO_VALUE, _VALUE = 2, 3
_REMEMBERED_BLOCKS = 4096
"""Blocks a reader keeps read; beyond them it starts over."""
_REMEMBERED_ENTRIES = 65536
"""Entries a reader keeps found; beyond them it starts over."""


class AccordTermInfo(W3TermInfo):
    """W3's term information, a term of one posting written whole (the module's docstring)."""

    def to_bytes(self) -> bytes:
        """The term's entry: its posting within when it has one, else as W3 writes it."""
        if not self.is_inlined():
            return super().to_bytes()
        ids, _, values = self._inlined
        min_length = 0 if self._minlength is None else length_to_byte(self._minlength)
        head = _ONE_POSTING.pack(_VALUE if values else _NO_VALUE, self._weight, self._df, min_length,
                                 length_to_byte(self._maxlength), self._maxweight, ids[0])
        return head + (values[0] if values else b"")

    @classmethod
    def from_bytes(cls, s: bytes) -> AccordTermInfo:
        """The term information an entry holds."""
        if s[0] not in (_NO_VALUE, _VALUE):
            return super().from_bytes(s)
        _, weight, df, min_length, max_length, max_weight, record = _ONE_POSTING.unpack_from(s)
        terminfo = cls(weight, df, byte_to_length(min_length), byte_to_length(max_length), max_weight, record, record)
        terminfo._inlined = ((record,), (weight,), (s[_ONE_POSTING.size :],) if s[0] == _VALUE else ())
        return terminfo


class TermsWriter(W3FieldWriter):
    """W3's writer of terms and postings, with its terms in a TermTable and AccordTermInfo
    entries."""

    def __init__(self, codec: Codec, storage: Storage, segment: Segment) -> None:
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._fieldmap: dict[str, int] = {}
        self._tindex = TermTable(segment.create_file(storage, codec.TERMS_EXT), self._fieldmap)
        self._postfile = segment.create_file(storage, codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_term(self, btext: bytes) -> None:
        """Begin the postings of a term of the current field."""
        if self._postwriter is None:
            raise RuntimeError("start_term called before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, AccordTermInfo())


class TermTable:
    """The writer of a term dictionary file (the module's docstring): keys given in
    increasing order, each with its entry; `fieldmap` is written when it closes."""

    def __init__(self, file: StructFile, fieldmap: dict[str, int]) -> None:
        self._file = file
        self._fieldmap = fieldmap
        self._block = bytearray()
        self._count = 0
        self._last = b""
        self._starts = array("Q")
        self._first_keys = bytearray()
        self._first_offsets = array("I", [0])
        self._position = len(MAGIC)
        file.write(MAGIC)

    def add(self, key: bytes, entry: bytes) -> None:
        """Append a term's key, greater than the last one's, and its entry."""
        if key <= self._last and self._count:
            raise ValueError(f"terms must be added in order: {key!r} after {self._last!r}")
        if self._count % BLOCK_TERMS == 0:
            self._flush()
            self._starts.append(self._position)
            self._first_keys += key
            self._first_offsets.append(len(self._first_keys))
        else:
            shared = _shared_length(self._last, key)
            self._block += _varint(shared) + _varint(len(key) - shared) + key[shared:]
        self._block += _varint(len(entry)) + entry
        self._last = key
        self._count += 1

    def close(self) -> None:
        """Write the index, the fields and the trailer, and close the file."""
        self._flush()
        self._starts.append(self._position)
        starts = self._position
        first_keys = starts + len(self._starts) * self._starts.itemsize
        fields = first_keys + len(self._first_offsets) * self._first_offsets.itemsize + len(self._first_keys)
        self._file.write(_little_endian(self._starts) + _little_endian(self._first_offsets) + self._first_keys
                         + json.dumps(self._fieldmap).encode()
                         + _TRAILER.pack(starts, first_keys, fields, len(self._starts) - 1, MAGIC))
        self._file.close()

    def _flush(self) -> None:
        self._file.write(bytes(self._block))
        self._position += len(self._block)
        self._block.clear()


class TermsReader(BaseTermsReader):
    """A segment's terms, read from its term dictionary file (the module's docstring), and
    their postings."""

    def __init__(self, codec: Codec, file: StructFile, postfile: StructFile) -> None:
        self._codec = codec
        self._postfile = postfile
        self._file = file
        self._data: bytes | mmap.mmap = _contents(file)
        starts, first_keys, fields, blocks, magic = _TRAILER.unpack_from(self._data, len(self._data) - _TRAILER.size)
        if self._data[: len(MAGIC)] != MAGIC or magic != MAGIC:
            raise ValueError(f"{file._name or 'a segment'} is not an accord term dictionary")
        self._starts = _read_array("Q", self._data[starts:first_keys])
        offsets_end = first_keys + (blocks + 1) * 4
        self._first_offsets = _read_array("I", self._data[first_keys:offsets_end])
        self._first_keys = _FirstKeys(self._data, offsets_end, self._first_offsets)
        self._fieldmap: dict[str, int] = json.loads(self._data[fields : len(self._data) - _TRAILER.size])
        self._fieldunmap = {number: name for name, number in self._fieldmap.items()}
        self._read: dict[int, tuple[list[bytes], list[bytes]]] = {}
        self._found: dict[bytes, bytes] = {}

    def key(self, fieldname: str, tbytes: bytes) -> bytes:
        """A term's key in the dictionary (W3's: the field's number, then the term's bytes)."""
        return pack_ushort(self._fieldmap.get(fieldname, 65535)) + tbytes

    def _term(self, key: bytes) -> tuple[str, bytes]:
        return self._fieldunmap[unpack_ushort(key[:2])[0]], key[2:]

    def entry(self, key: bytes) -> bytes:
        """The entry of a term's key (KeyError when the segment lacks it). Entries found
        are remembered: a search looks a word up several times (its postings, its
        frequency, its idf), and the words of one search come back in the next."""
        found = self._found.get(key)
        if found is None:
            number = bisect_right(self._first_keys, key) - 1
            if number < 0:
                raise KeyError(key)
            keys, entries = self._block(number)
            at = bisect_left(keys, key)
            if at == len(keys) or keys[at] != key:
                raise KeyError(key)
            if len(self._found) >= _REMEMBERED_ENTRIES:
                self._found.clear()
            found = self._found[key] = entries[at]
        return found

    def entries_from(self, key: bytes) -> Iterator[tuple[bytes, bytes]]:
        """Every (key, entry) from `key` on, in order."""
        number = max(bisect_right(self._first_keys, key) - 1, 0)
        for block in range(number, len(self._first_keys)):
            keys, entries = self._block(block, remember=block == number)
            start = bisect_left(keys, key) if block == number else 0
            yield from zip(keys[start:], entries[start:])

    def _block(self, number: int, remember: bool = True) -> tuple[list[bytes], list[bytes]]:
        found = self._read.get(number)
        if found is None:
            found = _decode_block(self._data, self._starts[number], self._starts[number + 1],
                                  self._first_keys[number])
            if remember:
                if len(self._read) >= _REMEMBERED_BLOCKS:
                    self._read.clear()
                self._read[number] = found
        return found

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        try:
            self.entry(self.key(*term))
        except KeyError:
            return False
        return True

    def indexed_field_names(self) -> Any:
        """The names of the fields the segment has terms of."""
        return self._fieldmap.keys()

    def cursor(self, fieldname: str, fieldobj: Any) -> TermsCursor:
        """A cursor over a field's terms."""
        return TermsCursor(self, fieldname, fieldobj)

    def terms(self) -> Iterator[tuple[str, bytes]]:
        """Every (field, term), in order."""
        return (self._term(key) for key, _ in self.entries_from(b""))

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        """The (field, term)s from `prefix` on, in order."""
        return (self._term(key) for key, _ in self.entries_from(self.key(fieldname, prefix)))

    def items(self) -> Iterator[tuple[tuple[str, bytes], AccordTermInfo]]:
        """Every (field, term) and its information, in order."""
        return ((self._term(key), AccordTermInfo.from_bytes(entry)) for key, entry in self.entries_from(b""))

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], AccordTermInfo]]:
        """The (field, term)s from `prefix` on, and their information."""
        return ((self._term(key), AccordTermInfo.from_bytes(entry))
                for key, entry in self.entries_from(self.key(fieldname, prefix)))

    def term_info(self, fieldname: str, tbytes: bytes) -> AccordTermInfo:
        """A term's information (TermNotFound when the segment lacks it)."""
        try:
            return AccordTermInfo.from_bytes(self.entry(self.key(fieldname, tbytes)))
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        """A term's total weight (KeyError when the segment lacks it, as Whoosh expects)."""
        return AccordTermInfo.from_bytes(self.entry(self.key(fieldname, tbytes))).weight()

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        """The number of records holding a term (KeyError when the segment lacks it)."""
        return AccordTermInfo.from_bytes(self.entry(self.key(fieldname, tbytes))).doc_frequency()

    def matcher(self, fieldname: str, tbytes: bytes, format_: Any, scorer: Any = None) -> Matcher:
        """A matcher over a term's postings."""
        terminfo = self.term_info(fieldname, tbytes)
        return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, tbytes), scorer=scorer)

    def close(self) -> None:
        """Release the files."""
        if isinstance(self._data, mmap.mmap):
            self._data.close()
        self._file.close()
        self._postfile.close()


class TermsCursor(FieldCursor):
    """A cursor over one field's terms, in order (Whoosh walks it to find fuzzy terms)."""

    def __init__(self, reader: TermsReader, fieldname: str, fieldobj: Any) -> None:
        self._reader = reader
        self._fieldobj = fieldobj
        self._field = reader.key(fieldname, b"")
        self._entries: Iterator[tuple[bytes, bytes]] = iter(())
        self._text: Any = None
        self._entry: bytes | None = None
        self.first()

    def first(self) -> Any:
        """Go to the field's first term and give it."""
        return self._go(self._field)

    def find(self, term: Any) -> Any:
        """Go to the first term from `term` on and give it."""
        return self._go(self._field + (term if isinstance(term, bytes) else self._fieldobj.to_bytes(term)))

    def next(self) -> Any:
        """Go to the next term of the field and give it (None after the last)."""
        key, entry = next(self._entries, (b"", b""))
        if key[:2] == self._field:
            self._text, self._entry = self._fieldobj.from_bytes(key[2:]), entry
        else:
            self._text, self._entry, self._entries = None, None, iter(())
        return self._text

    def _go(self, key: bytes) -> Any:
        self._entries = self._reader.entries_from(key)
        return self.next()

    def text(self) -> Any:
        """The term the cursor is on."""
        return self._text

    def term_info(self) -> AccordTermInfo | None:
        """The information of the term the cursor is on."""
        return None if self._entry is None else AccordTermInfo.from_bytes(self._entry)

    def is_valid(self) -> bool:
        """Whether the cursor is on a term."""
        return self._entry is not None


class _FirstKeys:
    """Each block's first key, read from the file as binary search asks."""

    def __init__(self, data: bytes | mmap.mmap, start: int, offsets: array) -> None:
        self._data = data
        self._start = start
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, number: int) -> bytes:
        return self._data[self._start + self._offsets[number] : self._start + self._offsets[number + 1]]


def _decode_block(data: bytes | mmap.mmap, start: int, end: int, key: bytes) -> tuple[list[bytes], list[bytes]]:
    block = data[start:end]
    keys: list[bytes] = []
    entries: list[bytes] = []
    position = 0
    while position < len(block):
        if keys:
            shared, position = _read_varint(block, position)
            length, position = _read_varint(block, position)
            key = key[:shared] + block[position : position + length]
            position += length
        length, position = _read_varint(block, position)
        keys.append(key)
        entries.append(block[position : position + length])
        position += length
    return keys, entries


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    byte = data[position]
    if byte < 0x80:
        return byte, position + 1
    number, shift = byte & 0x7F, 7
    while True:
        position += 1
        byte = data[position]
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, position + 1
        shift += 7


def _shared_length(a: bytes, b: bytes) -> int:
    length = min(len(a), len(b))
    for at in range(length):
        if a[at] != b[at]:
            return at
    return length


def _little_endian(values: array) -> bytes:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _read_array(typecode: str, data: bytes) -> array:
    values = array(typecode, data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _contents(file: StructFile) -> bytes | mmap.mmap:
    """A file's bytes: mapped into memory when it is a real file, else read."""
    try:
        return mmap.mmap(file.file.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):
        file.seek(0)
        return file.read()
