"""accord's parsed query tree (Whoosh query objects, search.query) as OpenSearch query DSL.

The query text is never passed on: it is parsed by accord (punctuation, exclusions, dates,
aliases, compounds, field names and bounds, each content field's analysis), and each node
of the tree becomes its OpenSearch clause on the section fields of the mapping
(search.opensearch.mapping), so the terms asked for are the terms accord's analysis makes.
Phrases are `span_near` clauses over those terms: in order, with room for up to
PHRASE_GAPS stop words, which OpenSearch's stop filter leaves as gaps where accord's
closes them up. Exclusions are of documents, as in the Whoosh backend: top-level NOT
clauses are taken out of the section query and exclude every document with any matching
section.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from indexer.fields import CONTENT
from search.opensearch.mapping import SECTIONS

if TYPE_CHECKING:
    from whoosh.query import Query

PHRASE_GAPS = 2


class Untranslatable(ValueError):
    """A query node OpenSearch has no clause for (a programming error: every node accord's
    parser makes is translated)."""


def section_clause(node: Query) -> dict[str, Any]:
    """The clause matching the sections `node` matches (fields under `sections.`)."""
    from whoosh import query as wq

    boost = {"boost": node.boost} if getattr(node, "boost", 1.0) != 1.0 else {}
    if isinstance(node, wq.Every):
        return {"match_all": {}}
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return {"match_none": {}}
    if isinstance(node, wq.FuzzyTerm):
        return {"fuzzy": {_field(node.fieldname): {"value": str(node.text), "fuzziness": node.maxdist,
                                                   "prefix_length": node.prefixlength, "transpositions": True,
                                                   **boost}}}
    if isinstance(node, wq.Prefix):
        return {"prefix": {_field(node.fieldname): {"value": str(node.text), **boost}}}
    if isinstance(node, wq.Wildcard):
        return {"wildcard": {_field(node.fieldname): {"value": str(node.text), **boost}}}
    if isinstance(node, wq.Term):
        return {"term": {_field(node.fieldname): {"value": _value(node.text), **boost}}}
    if isinstance(node, wq.Phrase):
        field = _field(node.fieldname)
        spans = [{"span_term": {field: str(word)}} for word in node.words]
        if len(spans) == 1:
            return {"term": {field: {"value": str(node.words[0]), **boost}}}
        return {"span_near": {"clauses": spans, "slop": node.slop - 1 + PHRASE_GAPS, "in_order": True, **boost}}
    if isinstance(node, (wq.NumericRange, wq.TermRange)):
        bounds: dict[str, Any] = {}
        if node.start is not None:
            bounds["gt" if node.startexcl else "gte"] = _value(node.start)
        if node.end is not None:
            bounds["lt" if node.endexcl else "lte"] = _value(node.end)
        return {"range": {_field(node.fieldname): {**bounds, **boost}}}
    if isinstance(node, wq.DisjunctionMax):
        return {"dis_max": {"queries": [section_clause(sub) for sub in node.subqueries],
                            "tie_breaker": node.tiebreak, **boost}}
    if isinstance(node, wq.Not):
        return {"bool": {"must_not": [section_clause(node.query)]}}
    if isinstance(node, wq.AndNot):
        return {"bool": {"must": [section_clause(node.a)], "must_not": [section_clause(node.b)], **boost}}
    if isinstance(node, wq.AndMaybe):
        return {"bool": {"must": [section_clause(node.a)], "should": [section_clause(node.b)], **boost}}
    if isinstance(node, wq.And):
        return {"bool": {"must": [section_clause(sub) for sub in node.subqueries], **boost}}
    if isinstance(node, wq.Or):
        return {"bool": {"should": [section_clause(sub) for sub in node.subqueries], "minimum_should_match": 1,
                         **boost}}
    raise Untranslatable(f"No OpenSearch clause for the query node {node!r}.")


def document_query(positive: Query, excluded: list[Query], inner_hits: dict[str, Any] | None = None,
                   feedback: Sequence[tuple[str, float]] = ()) -> dict[str, Any]:
    """The documents with a section matching `positive` and none matching any of `excluded`,
    each scored as its best section; `feedback` words (content terms, with their boosts)
    add to the score of a matching section that holds them, and match nothing themselves."""
    clause = section_clause(positive)
    if feedback:
        clause = {"bool": {"must": [clause], "should": [
            {"term": {_field(CONTENT): {"value": term, "boost": boost}}} for term, boost in feedback]}}
    nested: dict[str, Any] = {"nested": {"path": SECTIONS, "score_mode": "max", "query": clause}}
    if inner_hits is not None:
        nested["nested"]["inner_hits"] = inner_hits
    if not excluded:
        return nested
    return {"bool": {"must": [nested], "must_not": [
        {"nested": {"path": SECTIONS, "query": section_clause(query)}} for query in excluded]}}


def _field(fieldname: str) -> str:
    """The section field a Whoosh field is matched in."""
    return f"{SECTIONS}.{fieldname}"


def _value(value: object) -> object:
    return value.decode("utf-8") if isinstance(value, bytes) else value
