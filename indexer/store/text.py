"""The text field: Whoosh's TEXT, with each posting's positions written as varint deltas,
and its terms, positions and spelling words made in one pass of an analyzer that can.

Whoosh's Positions format writes a posting's positions as a 4-byte count and a pickled
list of their deltas: 14 bytes for a word at one position, which most postings are. Here
they are the deltas as varints (7 bits a byte, the high bit saying another byte
follows): one byte for a word at one position, and the count is the number of bytes
without the high bit. The English analyzer (indexer.analysis) gives a text's terms with
their positions, and its spelling words, without a token per word.
"""

from __future__ import annotations

from itertools import accumulate
from typing import TYPE_CHECKING, Any

from whoosh.fields import TEXT
from whoosh.formats import Positions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from whoosh.analysis import Analyzer

_CONTINUED = bytes(range(0x80, 0x100))
"""The bytes a varint goes on after."""


class VarintPositions(Positions):
    """Whoosh's Positions format, written as varint deltas (the module's docstring)."""

    def word_values(self, value: str, analyzer: Analyzer, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) for each term of `value`."""
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None or kwargs.keys() - {"mode"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, positions in term_positions(value, kwargs.get("mode", "index")).items():
            yield term, len(positions), len(positions) * boost, self.encode(positions)

    def encode(self, poslist: list[int]) -> bytes:
        """Positions, in order, as varint deltas."""
        deltas = [b - a for a, b in zip([0, *poslist], poslist)]
        if max(deltas, default=0) < 0x80:
            return bytes(deltas)
        out = bytearray()
        for delta in deltas:
            while delta >= 0x80:
                out.append(delta & 0x7F | 0x80)
                delta >>= 7
            out.append(delta)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions a posting's value holds."""
        if valuestring.isascii():
            return list(accumulate(valuestring))
        deltas, number, shift = [], 0, 0
        for byte in valuestring:
            number |= (byte & 0x7F) << shift
            if byte < 0x80:
                deltas.append(number)
                number, shift = 0, 0
            else:
                shift += 7
        return list(accumulate(deltas))

    def decode_frequency(self, valuestring: bytes) -> int:
        """How many positions a posting's value holds."""
        return len(valuestring.translate(None, _CONTINUED))

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        """Each position with its boost, always 1."""
        return [(position, 1.0) for position in self.decode_positions(valuestring)]


class AccordText(TEXT):
    """Whoosh's TEXT field with VarintPositions, its spelling words from the analyzer's
    `spelling_words` when it has them."""

    def __init__(self, analyzer: Analyzer, field_boost: float = 1.0, **kwargs: Any) -> None:
        super().__init__(analyzer=analyzer, field_boost=field_boost, **kwargs)
        self.format = VarintPositions(field_boost=field_boost)

    def spellable_words(self, value: Any) -> Iterator[str]:
        """The field's distinct words as written, in order, for the spelling field."""
        spelling_words = getattr(self.analyzer, "spelling_words", None)
        if spelling_words is None or not isinstance(value, str):
            return super().spellable_words(value)
        return iter(sorted(spelling_words(value)))
