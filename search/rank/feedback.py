"""Pseudo-relevance feedback: words that the best few documents share lift similar ones.

After a first ranking, the best section of each of the top FEEDBACK_DOCUMENTS documents
is read again; its words are weighted by how often they occur there (relative to its
length), how rare they are in the index, and how well that document scored (RM3-style).
The FEEDBACK_TERMS best words that are not already in the query add their BM25 scores,
times their boosts, to the best FEEDBACK_DEPTH sections the query matched; they reorder
what the query matches and never widen it: totals and facet counts stay those of the query
as written. Chosen on SciFact's train queries, where it raises both nDCG@10 and Recall@100
(benchmarks/relevance.py). A query that matches no more than FEEDBACK_DOCUMENTS
documents gets no feedback: it would only reorder them by their own words.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from indexer.analysis import term_counts
from indexer.fields import BODY, CONTENT, HEADING, SECTION_LANGUAGE, TITLE, content_field
from indexer.store.stored import stored_fields

if TYPE_CHECKING:
    from whoosh.searching import Searcher

FEEDBACK_DOCUMENTS = 5
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 0.3
"""The boost of the best feedback word; the others get less, in proportion to weight."""
FEEDBACK_DEPTH = 200
"""Only the best this many sections are reordered, so feedback costs the same however many
sections match; reordering more gains nothing on SciFact's train queries."""
REMEMBERED_WORDS = 200_000
_FREQUENCIES: WeakKeyDictionary = WeakKeyDictionary()
"""Per open reader (whose segments never change), the number of records holding each word
feedback has weighed, up to REMEMBERED_WORDS: the best documents of one query after another
share many words."""


def feedback_terms(searcher: Searcher, best: list[tuple[float, int]], query_terms: set[str]
                   ) -> list[tuple[str, float]]:
    """The feedback words and their boosts, from the (score, record) of the top documents
    (those in `content`: feedback words are English, or of a language without its own field)."""
    reader = searcher.reader()
    sections = [(score, section_text(stored)) for score, stored in ((s, stored_fields(reader, d)) for s, d in best)
                if content_field(stored.get(SECTION_LANGUAGE)) == CONTENT]
    return weighed_words(word_frequencies(sections), query_terms, searcher.doc_count(),
                         lambda term: _records_with(searcher, term))


def section_text(stored: Mapping[str, Any]) -> str:
    """What feedback reads of a section: its title, heading and text."""
    return "\n".join(stored.get(name) or "" for name in (TITLE, HEADING, BODY))


def word_frequencies(sections: list[tuple[float, str]]) -> dict[str, float]:
    """Each word of the (score, text) of the best section of each top document, with its
    frequency there (relative to the section's length), weighted by the document's share
    of the scores."""
    if not sections:
        return {}
    top = max(score for score, _ in sections)
    norm = sum(math.exp(score - top) for score, _ in sections)
    frequency: dict[str, float] = defaultdict(float)
    for score, text in sections:
        counts = term_counts(text, None)
        length = sum(counts.values()) or 1
        share = math.exp(score - top) / norm
        for term, count in counts.items():
            frequency[term] += share * count / length
    return frequency


def weighed_words(frequency: dict[str, float], query_terms: set[str], records: int,
                  records_with: Callable[[str], int]) -> list[tuple[str, float]]:
    """The feedback words and their boosts, from the words' frequencies in the top sections
    (word_frequencies), in an index of `records` sections, `records_with(term)` of which
    hold a term: the same words whichever backend holds the index."""
    chosen = _strongest(frequency, query_terms, records, records_with)
    if not chosen:
        return []
    strongest = chosen[0][1]
    return [(term, FEEDBACK_WEIGHT * weight / strongest) for term, weight in chosen]


def candidate_words(frequency: dict[str, float], query_terms: set[str], count: int) -> list[str]:
    """The first `count` words outside the query in the order feedback weighs them (by
    falling frequency): those whose rarity it looks up first, which a backend that asks a
    cluster asks for at once."""
    ranked = sorted(frequency.items(), key=lambda item: -item[1])
    return [term for term, _ in ranked if term not in query_terms][:count]


def _strongest(frequency: dict[str, float], query_terms: set[str], records: int,
               records_with: Callable[[str], int]) -> list[tuple[str, float]]:
    """The FEEDBACK_TERMS words of greatest weight (frequency times rarity) outside the
    query, strongest first (ties by word). Words are taken by falling frequency, and the rarity of each is
    looked up only while its frequency times the highest rarity could still place it."""
    highest_rarity = math.log(max(records, 1))
    weights: dict[str, float] = {}
    for term, value in sorted(frequency.items(), key=lambda item: -item[1]):
        if len(weights) >= FEEDBACK_TERMS and value * highest_rarity < min(weights.values()):
            break
        if term in query_terms:
            continue
        weight = value * math.log(records / (records_with(term) + 1))
        if weight > 0:
            weights[term] = weight
            if len(weights) > FEEDBACK_TERMS:
                del weights[max(weights, key=lambda t: (-weights[t], t))]
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))


def _records_with(searcher: Searcher, term: str) -> int:
    known = _FREQUENCIES.setdefault(searcher.reader(), {})
    if term not in known:
        if len(known) >= REMEMBERED_WORDS:
            known.clear()
        known[term] = searcher.doc_frequency(CONTENT, term)
    return known[term]


def feedback_scores(searcher: Searcher, docnums: list[int], terms: list[tuple[str, float]]
                    ) -> dict[int, float]:
    """What the feedback words add to the score of each of the records `docnums` that hold
    one of them; only the posting blocks that may hold one of those records are read."""
    import numpy as np

    from search.rank.scoring import added_scores

    targets = np.array(sorted(docnums), dtype=np.int64)
    added = added_scores(searcher, CONTENT, terms, targets)
    return {record: score for record, score in zip(targets.tolist(), added.tolist()) if score}
