"""A document's fingerprint: a hash of its normalised text, for exact copies, and a
MinHash signature over its word shingles, for near-copies.

Words are the text's letters and digits in lower case (each Chinese or Japanese character
a word of its own), so the same statement saved from two pages, with other spacing,
punctuation or line breaks, has the same words. A signature holds, for each of
PERMUTATIONS hash functions, the smallest hash of any SHINGLE-word run, cut to its top
16 bits (b-bit MinHash: two texts' share of equal values estimates the share of word runs
they have in common, their Jaccard similarity, and 128 bytes a document keep the index small).

The hash functions are fixed here (multiply-shift on 64-bit shingle hashes), so an
index's fingerprints mean the same in every process and every version with this schema.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from indexer.arrays import distinct

if TYPE_CHECKING:
    import numpy as np

PERMUTATIONS = 64
SHINGLE = 5
"""Words per shingle: long enough that two unrelated texts on one subject share few."""
MIN_WORDS = 25
"""A text with fewer words gets no fingerprint: a caption or a one-line item is not
evidence that two documents are one text."""
EXACT_BYTES = 8
SIZE = EXACT_BYTES + 2 * PERMUTATIONS
"""The bytes of a fingerprint: the exact hash, then the signature as little-endian uint16."""
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def text_words(texts: Iterable[str]) -> list[str]:
    """The words that fingerprints compare, in order."""
    return [word for text in texts for word in _WORD.findall(text.casefold())]


def fingerprint(texts: Iterable[str]) -> bytes:
    """The fingerprint of a document whose text is `texts` (its sections); empty when it
    has fewer than MIN_WORDS words."""
    import numpy as np

    words = text_words(texts)
    if len(words) < MIN_WORDS:
        return b""
    exact = hashlib.blake2b("\0".join(words).encode("utf-8"), digest_size=EXACT_BYTES).digest()
    numbers = {word: i for i, word in enumerate(dict.fromkeys(words))}
    word_hashes = np.array([int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
                            for w in numbers], dtype=np.uint64)[[numbers[w] for w in words]]
    shingles = np.zeros(len(words) - SHINGLE + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE):  # a polynomial hash of each run of SHINGLE words
            shingles = shingles * np.uint64(0x100000001B3) + word_hashes[offset : len(shingles) + offset]
        multipliers, increments = _hash_functions()
        hashed = distinct(shingles)[None, :] * multipliers[:, None] + increments[:, None]
    signature = (hashed.min(axis=1) >> np.uint64(48)).astype("<u2")
    return exact + signature.tobytes()


@cache
def _hash_functions() -> tuple[np.ndarray, np.ndarray]:
    """PERMUTATIONS multiply-shift hash functions (odd multipliers and increments), drawn
    from blake2b so that they are the same in every process and numpy version."""
    import numpy as np

    drawn = [int.from_bytes(hashlib.blake2b(f"accord {i}".encode(), digest_size=16).digest(), "little")
             for i in range(PERMUTATIONS)]
    multipliers = np.array([(value & (2**64 - 1)) | 1 for value in drawn], dtype=np.uint64)
    increments = np.array([value >> 64 for value in drawn], dtype=np.uint64)
    return multipliers, increments
