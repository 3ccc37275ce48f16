"""Wildcards (`vaccin*`, `wom?n`) and fuzzy terms (`Lenarcic~`, `Bachlet~2`) expanded over the
words the index holds, before they are scored.

A pattern or fuzzy term in `content` is matched against the index's words as written
(lower case, accents folded, not stemmed: Whoosh's spelling field), so `lenarč*` and
`Lenarcic~` find "Lenarčič" and a fuzzy term measures its edits against real words, not
stems; each word found then searches as its stem. In the other languages' fields the
pattern runs over their own terms. Either way it expands to at most MAX_EXPANSIONS words,
the most frequent first, and a fuzzy term to at most two edits, so no pattern can make a
query run long.
"""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING

from indexer.analysis import fold_word
from indexer.fields import CONTENT, CONTENT_FIELDS, language_of_field

if TYPE_CHECKING:
    from whoosh.fields import Schema
    from whoosh.query import Query
    from whoosh.reading import IndexReader

MAX_EXPANSIONS = 64
"""Words a pattern or fuzzy term searches at most (the most frequent in the index)."""
SPELLING_FIELD = f"spell_{CONTENT}"
"""Whoosh's field of the words of `content` as written (lower case, accents folded, unstemmed);
a word's frequency there is the number of sections that hold it."""


def expand_patterns(query: Query, reader: IndexReader, schema: Schema) -> Query:
    """The query with each pattern and fuzzy term of a content field replaced by the words
    it matches (as their indexed terms), or by nothing when it matches none."""
    from whoosh import query as wq

    spelled = SPELLING_FIELD in reader.indexed_field_names()

    def visit(node: Query) -> Query:
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) and node.fieldname in CONTENT_FIELDS:
            return _expanded(node, reader, schema, spelled and node.fieldname == CONTENT)
        return node

    return query.accept(visit)


def _expanded(node: Query, reader: IndexReader, schema: Schema, spelled: bool) -> Query:
    from whoosh import query as wq

    source = SPELLING_FIELD if spelled else node.fieldname
    language = language_of_field(node.fieldname)
    typed = "".join(fold_word(part, language) if part not in "*?" else part
                    for part in re.split(r"([*?])", str(node.text)))
    sections = reader.frequency if spelled else reader.doc_frequency  # a spelling word's weight: its sections
    words = sorted(_candidates(node, reader, source, typed), key=lambda w: -sections(source, w))
    terms: list[str] = []
    analyzer = schema[node.fieldname].analyzer
    for word in words[:MAX_EXPANSIONS]:
        term = next((t.text for t in analyzer(word, mode="index")), None) if spelled else word
        if term is not None and term not in terms:
            terms.append(term)
    if not terms:
        return wq.NullQuery
    found = [wq.Term(node.fieldname, term, boost=node.boost) for term in terms]
    return found[0] if len(found) == 1 else wq.Or(found)


def _candidates(node: Query, reader: IndexReader, source: str, typed: str) -> list[str]:
    """The words of `source` that the pattern or fuzzy term matches."""
    from whoosh import query as wq

    if isinstance(node, wq.FuzzyTerm):
        prefix = max(node.prefixlength, 1)
        if len(typed) < prefix:  # nothing left of the word once its punctuation is gone
            return []
        found = reader.terms_within(source, typed, min(node.maxdist, 2), prefix=prefix)
    elif isinstance(node, wq.Prefix):
        found = reader.expand_prefix(source, typed)
    else:
        literal = re.split(r"[*?]", typed)[0]
        pattern = re.compile(fnmatch.translate(typed))
        found = (word for word in map(_text, reader.expand_prefix(source, literal)) if pattern.match(word))
    return [_text(word) for word in found]


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
