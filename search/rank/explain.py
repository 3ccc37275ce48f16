"""Why a section scores what it does: each matched term, in which field, where it came
from (the word as typed, its stem, an accent fold, an organisation alias, the
organisation facet, or feedback), and the BM25 score it adds.

A section's score is the sum of its terms' scores, scaled by the query's structure
(with --match any, sections matching more words are lifted; a phrase scores as a unit);
a document's score is its best section's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from indexer.fields import CONTENT, CONTENT_FIELDS, ORGANISATION, language_of_field
from search.results import Explain, TermScore

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer
    from whoosh.fields import Schema
    from whoosh.searching import Searcher

_WORD = re.compile(r"\w+")
_WEIGHT = re.compile(r"weight\((?:sections\.)?(\w+):(\S+) in \d+\)")
"""A Lucene explanation's node for one term of one field (OpenSearch's `_explanation`)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a matched term came from: the query word or alias, and how it was transformed."""

    written: str | None
    via: str
    boost: float = 1.0


def term_origins(text: str, expand: bool, feedback: tuple[tuple[str, float], ...], schema: Schema
                 ) -> dict[tuple[str, str], Origin]:
    """What each indexed term a query can match came from, keyed by (field, term)."""
    origins: dict[tuple[str, str], Origin] = {}
    for fieldname in CONTENT_FIELDS:
        analyzer = schema[fieldname].analyzer
        for word in _WORD.findall(text):
            for term in (t.text for t in analyzer(word, mode="query")):
                via = (_chinese(word, term) if language_of_field(fieldname) == "zh"
                       else _transformation(word, term, analyzer))
                origins.setdefault((fieldname, term), Origin(word, via))
    if expand:
        from search.aliases import expand_aliases

        for expansion in expand_aliases(text)[1]:
            via = f"alias of {expansion.organisation}"
            for alias in expansion.aliases:
                for term in (t.text for t in schema[CONTENT].analyzer(alias)):
                    origins.setdefault((CONTENT, term), Origin(alias, via))
            origins[(ORGANISATION, expansion.organisation.lower())] = Origin(expansion.written, "organisation facet")
    for term, boost in feedback:
        origins.setdefault((CONTENT, term), Origin(None, "feedback", boost))
    return origins


def _chinese(word: str, term: str) -> str:
    if term == word:
        return "as written"
    return "Simplified form" if len(term) == len(word) else "character pair"


def _transformation(word: str, term: str, analyzer: Analyzer) -> str:
    folded = next((t.text for t in analyzer(word, no_morph=True)), word.lower())
    if term == word.lower():
        return "as written"
    if folded != word.lower():
        return "accent fold" if term == folded else "accent fold and stem"
    return "stem"


def explain_section(searcher: Searcher, docnum: int, terms: list[tuple[str, str]],
                    origins: dict[tuple[str, str], Origin]) -> tuple[TermScore, ...]:
    """The score each of the query's (field, term) pairs that section `docnum` contains
    adds to it, highest first."""
    from whoosh import query as wq

    scores = []
    for fieldname, term in terms:
        matcher = wq.Term(fieldname, term).matcher(searcher, searcher.context())
        matcher.skip_to(docnum)
        if not (matcher.is_active() and matcher.id() == docnum):
            continue
        origin = _origin(origins, fieldname, term)
        scores.append(TermScore(fieldname, term, origin.written, origin.via, round(matcher.score() * origin.boost, 4)))
    return _highest_first(scores)


def explain_query(text: str, expand: bool, feedback: tuple[tuple[str, float], ...]) -> Explain:
    """How a query was widened: the organisations its aliases added, and the feedback words."""
    from search.aliases import expand_aliases

    return Explain(expand_aliases(text)[1] if expand else (), feedback)


def explained_terms(explanation: dict[str, Any], origins: dict[tuple[str, str], Origin]) -> tuple[TermScore, ...]:
    """The score each term adds to a section, read from the Lucene explanation OpenSearch
    gives for it (each `weight(field:term in N)` node, its boost included), highest first."""
    scores: dict[tuple[str, str], float] = {}
    waiting = [explanation]
    while waiting:
        node = waiting.pop()
        found = _WEIGHT.match(node.get("description", ""))
        if found:
            key = (found.group(1), found.group(2))
            scores[key] = scores.get(key, 0.0) + float(node.get("value", 0.0))
        else:
            waiting.extend(node.get("details", ()))
    terms = []
    for (fieldname, term), score in scores.items():
        origin = _origin(origins, fieldname, term)
        terms.append(TermScore(fieldname, term, origin.written, origin.via, round(score, 4)))
    return _highest_first(terms)


def _origin(origins: dict[tuple[str, str], Origin], fieldname: str, term: str) -> Origin:
    """Where a matched term came from: its own field's origin, else the content field's."""
    return origins.get((fieldname, term)) or origins.get((CONTENT, term)) or Origin(None, "query")


def _highest_first(terms: list[TermScore]) -> tuple[TermScore, ...]:
    return tuple(sorted(terms, key=lambda s: (-s.score, s.field, s.term)))
