"""How matches are weighted: Whoosh's BM25F with the idf of Robertson and Spärck Jones.

Imported when a searcher is opened (it loads Whoosh's scoring module).
"""

from __future__ import annotations

from math import log
from typing import TYPE_CHECKING

from whoosh.scoring import BM25F

if TYPE_CHECKING:
    from whoosh.searching import Searcher

BM25_K1 = 1.2
BM25_B = 0.6
"""BM25 parameters, chosen on SciFact's train queries (benchmarks/relevance.py)."""


class RsjBM25F(BM25F):
    """BM25F whose idf is log(1 + (N - n + 0.5) / (n + 0.5)), as in Lucene and Anserini, for
    a word in n of N records. Whoosh's own, log(N / (n + 1)) + 1, gives common words more
    weight against rare ones, and ranks SciFact's train queries worse (benchmarks/relevance.py)."""

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        """The word's inverse document frequency over the whole index."""
        parent = searcher.get_parent()
        found = parent.doc_frequency(fieldname, text)
        return log(1 + (parent.doc_count_all() - found + 0.5) / (found + 0.5))


def accord_weighting() -> RsjBM25F:
    """The weighting accord's searchers rank with."""
    return RsjBM25F(B=BM25_B, K1=BM25_K1)
