"""Pseudo-relevance feedback: words that the best few documents share lift similar ones.

After a first ranking, the best section of each of the top FEEDBACK_DOCUMENTS documents
is read again; its words are weighted by how often they occur there (relative to its
length), how rare they are in the index, and how well that document scored (RM3-style).
The FEEDBACK_TERMS best words that are not already in the query add their BM25 scores,
times their boosts, to the sections the query matched; they reorder what the query
matches and never widen it: totals and facet counts stay those of the query as written. Chosen on SciFact's train queries,
where it raises nDCG@10 from 0.695 to 0.702 and Recall@100 from 0.916 to 0.930.
"""

from __future__ import annotations

import math
from collections import Counter

from indexer.schema import BODY, CONTENT, HEADING, SECTION_LANGUAGE, TITLE, content_field

FEEDBACK_DOCUMENTS = 5
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 0.3
"""The boost of the best feedback word; the others get less, in proportion to weight."""


def feedback_terms(searcher, best: list[tuple[float, int]], query_terms: set[str]  # noqa: ANN001
                   ) -> list[tuple[str, float]]:
    """The feedback words and their boosts, from the (score, record) of the top documents
    (those in `content`: feedback words are English, or of a language without its own field)."""
    sections = [(score, stored) for score, stored in ((s, searcher.stored_fields(d)) for s, d in best)
                if content_field(stored.get(SECTION_LANGUAGE)) == CONTENT]
    if not sections:
        return []
    analyzer = searcher.schema[CONTENT].analyzer
    documents = searcher.doc_count()
    top = max(score for score, _ in sections)
    norm = sum(math.exp(score - top) for score, _ in sections)
    frequency: Counter[str] = Counter()  # tf/len, weighted by each document's share
    for score, stored in sections:
        text = "\n".join(stored.get(name) or "" for name in (TITLE, HEADING, BODY))
        counts = Counter(token.text for token in analyzer(text))
        length = sum(counts.values()) or 1
        share = math.exp(score - top) / norm
        for term, count in counts.items():
            frequency[term] += share * count / length
    weights = Counter({term: value * math.log(documents / (searcher.doc_frequency(CONTENT, term) + 1))
                       for term, value in frequency.items()})  # each word's rarity looked up once
    chosen = [(term, weight) for term, weight in weights.most_common(FEEDBACK_TERMS + len(query_terms))
              if term not in query_terms and weight > 0][:FEEDBACK_TERMS]
    if not chosen:
        return []
    strongest = chosen[0][1]
    return [(term, FEEDBACK_WEIGHT * weight / strongest) for term, weight in chosen]


def feedback_scores(searcher, docnums: list[int], terms: list[tuple[str, float]]  # noqa: ANN001
                    ) -> dict[int, float]:
    """What the feedback words add to the score of each of the records `docnums` (sorted):
    each word's postings are walked once, skipping to the query's matches only, so the
    cost follows the matches, not how common the feedback words are."""
    from whoosh import query as wq

    added: dict[int, float] = {}
    for term, boost in terms:
        matcher = wq.Term(CONTENT, term).matcher(searcher, searcher.context())
        for docnum in docnums:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                added[docnum] = added.get(docnum, 0.0) + matcher.score() * boost
    return added
