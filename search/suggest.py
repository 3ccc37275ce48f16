"""Did you mean: a spelling correction from the index's own vocabulary.

Each word of the query that the index has never seen is replaced by the indexed word
closest to it (one edit, or two for words of five letters or more), the most frequent
one winning a tie; everything else in the query is kept as written, so operators,
phrases and fields survive and no word is doubled. Words come from the unstemmed
`spell_content` field that Whoosh keeps beside `content` (on OpenSearch, the unstemmed
`content.spelling` subfield, read by its term suggester); a word that another language's
content field knows ("explotación") is not corrected into English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from indexer.fields import CONTENT
from search.patterns import SPELLING_FIELD
from search.query import OPERATORS, indexed_content_fields

if TYPE_CHECKING:
    from whoosh.searching import Searcher

_WORD = re.compile(r"(?:(?<=\s)|^)[-(\"¿¡]*(?:[A-Za-z_]+:)?(?P<word>[^\W\d_]+)[)\"?!.,;]*(?=\s|$)")
"""A whole word of letters, with the field name, quotes, brackets and punctuation that may
surround it."""
MIN_LETTERS = 3
LONG_WORD = 5
"""Words of this many letters or more are corrected across two edits, shorter ones one."""


def suggest_spelling(searcher: Searcher, text: str) -> str | None:
    """The query with unknown words corrected, or None when there is nothing to correct.
    Only whole words of letters (punctuation around them aside) of MIN_LETTERS or more are
    corrected, each to a word the index holds; everything else stays as typed."""
    reader = searcher.reader()
    if SPELLING_FIELD not in reader.indexed_field_names():
        return None
    analyzer = searcher.schema[CONTENT].analyzer
    others = indexed_content_fields(reader)[1:]

    def correction(word: str) -> str | None:
        tokens = [token.text for token in analyzer(word, no_morph=True)]
        if len(tokens) != 1 or reader.frequency(SPELLING_FIELD, tokens[0]) > 0:
            return None  # a stop word, or a word the index knows
        if any(reader.doc_frequency(name, token.text) for name in others
               for token in searcher.schema[name].analyzer(word, mode="query")):
            return None  # a word of another language
        near = reader.terms_within(SPELLING_FIELD, tokens[0], 2 if len(tokens[0]) >= LONG_WORD else 1, prefix=1)
        words = [c.decode("utf-8") if isinstance(c, bytes) else c for c in near]
        return nearest(tokens[0], {c: int(reader.frequency(SPELLING_FIELD, c)) for c in words})

    return corrected(text, correction)


def corrected(text: str, correction: Callable[[str], str | None]) -> str | None:
    """`text` with each word that `correction` corrects replaced (in the case it was typed),
    or None when none is: the part of a suggestion that every backend shares."""
    pieces, last, changed = [], 0, False
    for match in _WORD.finditer(text):
        word = match.group("word")
        if len(word) < MIN_LETTERS or word in OPERATORS:
            continue
        fixed = correction(word)
        if fixed is None:
            continue
        pieces += [text[last : match.start("word")], _same_case(fixed, word)]
        last, changed = match.end("word"), True
    return "".join(pieces) + text[last:] if changed else None


def nearest(word: str, frequencies: Mapping[str, int]) -> str | None:
    """The indexed word (with the number of sections holding it) that `word` is corrected
    to: one with its first letter one edit away, else two for a word of LONG_WORD letters
    or more (Levenshtein's edits, as Whoosh's word automata count them), the most frequent
    winning, then the first in order."""
    from whoosh.support.levenshtein import levenshtein

    candidates = sorted(c for c in frequencies if c != word and c[:1] == word[:1])
    for distance in (1, 2):
        if distance == 2 and len(word) < LONG_WORD:
            break
        near = [c for c in candidates if levenshtein(c, word, distance + 1) <= distance]
        if near:
            return max(near, key=frequencies.__getitem__)
    return None


def _same_case(correction: str, written: str) -> str:
    if written.isupper() and len(written) > 1:
        return correction.upper()
    if written[:1].isupper():
        return correction[:1].upper() + correction[1:]
    return correction
