"""A segment's term dictionary: Whoosh's W3 one, with a term of one posting kept whole in
its entry instead of in a posting block.

Most terms of a collection have one posting: a section's id, a file's name, time and
hash, a word that one section uses, and every spelling word (indexer.store.writer). W3
writes each such posting as a block of the postings file, and the term's entry points at
it with an 8-byte offset and a 4-byte length. Here the entry holds the posting instead:

    flag                1 byte: 0 and 1 as W3 writes them (postings in the file, or
                        pickled into the entry); 2, one posting without a value; 3, one
                        posting with its value (a section's positions of a word)
    weight ... maxweight  the first 15 bytes of W3's entry, where Whoosh reads a term's
                        frequency, sections and lengths without decoding the rest
    record              4 bytes: the posting's record number
    value               flag 3: the posting's value, to the entry's end

The entry is 19 bytes and a value, against W3's 35 and a block of 20 bytes and more.
W3 entries read as W3 reads them, so segments written before stay readable.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import W3FieldCursor, W3FieldWriter, W3TermInfo, W3TermsReader
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

if TYPE_CHECKING:
    from collections.abc import Iterator

_ONE_POSTING = struct.Struct("!BfIBBfI")
"""flag, weight, sections, least and greatest length byte, greatest weight, record."""
_NO_VALUE, _VALUE = 2, 3


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
        """The term information an entry holds (W3's entries as W3 reads them)."""
        if s[0] not in (_NO_VALUE, _VALUE):
            return super().from_bytes(s)
        _, weight, df, min_length, max_length, max_weight, record = _ONE_POSTING.unpack_from(s)
        terminfo = cls(weight, df, byte_to_length(min_length), byte_to_length(max_length), max_weight, record, record)
        terminfo._inlined = ((record,), (weight,), (s[_ONE_POSTING.size :],) if s[0] == _VALUE else ())
        return terminfo


class TermsWriter(W3FieldWriter):
    """W3's writer of terms and postings, with AccordTermInfo entries."""

    def start_term(self, btext: bytes) -> None:
        """Begin the postings of a term of the current field."""
        if self._postwriter is None:
            raise RuntimeError("start_term called before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, AccordTermInfo())


class TermsReader(W3TermsReader):
    """W3's terms reader, reading AccordTermInfo entries."""

    def items(self) -> Iterator[tuple[tuple[str, bytes], AccordTermInfo]]:
        """Every (field, term) and its information, in order."""
        decode = self._keydecoder
        return ((decode(key), AccordTermInfo.from_bytes(value)) for key, value in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], AccordTermInfo]]:
        """The (field, term)s from `prefix` on, and their information."""
        decode = self._keydecoder
        return ((decode(key), AccordTermInfo.from_bytes(value))
                for key, value in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    def term_info(self, fieldname: str, tbytes: bytes) -> AccordTermInfo:
        """A term's information (TermNotFound when the segment lacks it)."""
        try:
            return AccordTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def cursor(self, fieldname: str, fieldobj: Any) -> TermsCursor:
        """A cursor over a field's terms."""
        return TermsCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)


class TermsCursor(W3FieldCursor):
    """W3's cursor over a field's terms, reading AccordTermInfo entries."""

    def term_info(self) -> AccordTermInfo | None:
        """The information of the term the cursor is on."""
        if self._pos is None:
            return None
        return AccordTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))
