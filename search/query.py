"""Turn a SearchRequest's text and filters into Whoosh queries.

The text is first made into Whoosh's syntax as people type it (search.syntax): words,
"phrases", AND / OR / NOT, -exclusions, parentheses, field:value (title, heading, org,
person, place, type, lang, year, date; body or text mean the whole section, as a plain
word does), ranges (year:[2014 TO 2021], year:>2020), prefix* and fuzzy~ terms.
Organisation, person, place, type and language values match any part of an indexed value
(search.values); organisation and place values, in queries and filters, any alias.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indexer.fields import (
    CONTENT,
    CONTENT_FIELDS,
    ISSUER,
    KEYWORD_FIELDS,
    LANGUAGE,
    ORGANISATION,
    PERSON,
    PLACE,
    SYMBOL,
    TYPE,
    language_of_field,
)
from search.request import Match, QueryError, canonical_value
from search.syntax import prepare
from search.values import MAX_VALUES, matching_values

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from whoosh.fields import Schema
    from whoosh.query import Query
    from whoosh.reading import IndexReader

    from search.results import Expansion

_QUERY_WORD = re.compile(r"(?<![\w:])[^\W\d_][\w\u0640\u064b-\u065f\u0670'’-]*(?![\w:*?])")
"""A word of a query: not a field name, nor the value of one, nor a pattern."""
_LATIN_SCRIPT = (None, "es", "fr")
"""Languages of the content fields written in Latin script (None: `content`)."""
OPERATORS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"))
_FIELD_ALIASES = {
    CONTENT: ["body", "text"],
    ORGANISATION: ["org", "organization", "orgs"],
    ISSUER: ["by", "issuers"],
    SYMBOL: ["cites", "symbols"],
    PERSON: ["people"],
    PLACE: ["places", "country"],
    LANGUAGE: ["lang"],
    TYPE: ["doctype"],
}


def indexed_content_fields(reader: IndexReader) -> tuple[str, ...]:
    """`content`, and the content field of each other language the index holds."""
    return (CONTENT, *(name for name in CONTENT_FIELDS[1:] if reader.field_length(name)))


def query_fields(reader: IndexReader, schema: Schema, text: str) -> tuple[str, ...]:
    """The content fields of this index a query is read in (fields_knowing)."""
    return fields_knowing(indexed_content_fields(reader), schema, text,
                          lambda terms: {term for term in terms if reader.doc_frequency(*term)})


def fields_knowing(fields: tuple[str, ...], schema: Schema, text: str,
                   held: Callable[[set[tuple[str, str]]], set[tuple[str, str]]]) -> tuple[str, ...]:
    """The content fields, of the `fields` an index holds, a query is read in. Of the
    Latin-script languages (English and the rest in `content`, French, Spanish), those whose
    vocabulary knows the most of its words (a stop word of the language counts as known),
    so that a French query is read as French, not also as English that happens to share one
    of its words; and each other language's field that knows any of its words. Every field
    when none knows any word. `held` tells which of some (field, term) pairs the index
    holds: the one question each backend answers its own way."""
    words = [w for w in _QUERY_WORD.findall(text) if w not in OPERATORS]
    if len(fields) == 1 or not words:
        return fields
    analysed = {(name, word): [(token.stopped, token.text)
                               for token in schema[name].analyzer(word, mode="query", removestops=False)]
                for name in fields for word in words}
    found = held({(name, term) for (name, _), tokens in analysed.items() for stopped, term in tokens if not stopped})
    known = {name: sum(any(stopped or (name, term) in found for stopped, term in analysed[name, word])
                       for word in words)
             for name in fields}
    latin = [name for name in fields if language_of_field(name) in _LATIN_SCRIPT]
    most = max(known[name] for name in latin)
    chosen = tuple(name for name in fields if known[name] and (name not in latin or known[name] == most))
    return chosen or fields


def parse_query(text: str, match: Match, schema: Schema, expand: bool = True,
                fields: tuple[str, ...] = (CONTENT,), values: Mapping[str, Sequence[str]] | None = None) -> Query:
    """Parse query text against the content fields `fields` (title, heading and text, in
    `content` and in the fields of other languages); AND or OR between words; organisation
    names widened to all their aliases unless `expand` is false.

    The query is parsed once per field, each time with that field's analyzer, and a
    section matches when it matches one of them: a French section must match the query
    as French analysis reads it (its stop words dropped, its stems), and so on. `values`
    are the indexed values of each facet field, which field queries are matched against."""
    from whoosh import query as wq

    text = prepare(text)
    if text.strip() in ("", "*"):
        return wq.Every()
    parsed = [_parse_in(fieldname, text, match, schema, expand and fieldname == CONTENT, values)
              for fieldname in fields]
    return parsed[0] if len(parsed) == 1 else wq.Or(parsed).normalize()


def _parse_in(fieldname: str, text: str, match: Match, schema: Schema, expand: bool,
              values: Mapping[str, Sequence[str]] | None) -> Query:
    from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, GtLtPlugin, OrGroup, QueryParser

    parsed_text = text
    expansions: tuple[Expansion, ...] = ()
    if expand:
        from search.aliases import expand_aliases

        parsed_text, expansions = expand_aliases(text)
    group = AndGroup if match is Match.ALL else OrGroup.factory(0.9)
    parser = QueryParser(fieldname, schema, group=group)
    parser.add_plugin(FieldAliasPlugin(_FIELD_ALIASES))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    try:
        parsed = parser.parse(parsed_text)
    except Exception as err:  # Whoosh raises many types for field values it cannot read
        raise QueryError(f"Cannot read the query {text!r} ({err}); check its syntax.") from None
    if fieldname == CONTENT:
        parsed = parsed.accept(_fuzzy_as_typed(text, schema))
    parsed = parsed.accept(_checker(values))
    if expansions:
        parsed = parsed.accept(_with_aliases(expansions, schema))
    return parsed


_FUZZY = re.compile(r"(?<![\w:])([^\W\d_][\w'’-]*)~\d?")
"""A fuzzy term as typed: `Lenarcic~` or `Bachlet~2`."""


def _fuzzy_as_typed(text: str, schema: Schema) -> Callable[[Query], Query]:
    """A visitor that gives each fuzzy term of `content` back its word as typed (folded, not
    stemmed, as Whoosh's parser leaves it), so that its edits are measured against the
    index's words as written (search.patterns)."""
    from whoosh import query as wq

    from indexer.analysis import fold_word

    analyzer = schema[CONTENT].analyzer
    typed = {term.text: fold_word(word, None) for word in _FUZZY.findall(text)
             for term in analyzer(word, mode="query")}

    def visit(node: Query) -> Query:
        if isinstance(node, wq.FuzzyTerm) and node.fieldname == CONTENT and node.text in typed:
            return wq.FuzzyTerm(CONTENT, typed[node.text], boost=node.boost, maxdist=node.maxdist,
                                prefixlength=node.prefixlength)
        return node

    return visit


def _with_aliases(expansions: tuple[Expansion, ...], schema: Schema) -> Callable[[Query], Query]:
    """A visitor that puts each expansion's alias query where its placeholder was parsed."""
    from whoosh import query as wq

    from search.aliases import PLACEHOLDER, alias_query

    by_word = {PLACEHOLDER.format(n): alias_query(e, schema) for n, e in enumerate(expansions)}

    def visit(node: Query) -> Query:
        if isinstance(node, wq.Term) and node.fieldname == CONTENT and node.text in by_word:
            return by_word[node.text].with_boost(node.boost)
        return node

    return visit


def _checker(values: Mapping[str, Sequence[str]] | None) -> Callable[[Query], Query]:
    """A visitor that refuses wildcards and fuzzy terms that would expand too far, and puts
    the indexed values a typed facet value names in its place (without `values`, its
    canonical name)."""
    from whoosh import query as wq

    def visit(node: Query) -> Query:
        if isinstance(node, (wq.Prefix, wq.Wildcard)):
            literal = re.split(r"[*?]", node.text)[0]
            if len(literal) < 2:
                raise QueryError(f"The pattern {node.text!r} is too broad; give at least two letters before * or ?.")
        if isinstance(node, wq.FuzzyTerm):
            node.maxdist = min(node.maxdist, 2)
            node.prefixlength = min(max(node.prefixlength, 1), len(str(node.text)))  # "human~/2021" asks for 2021
        if isinstance(node, (wq.Term, wq.Phrase)) and node.fieldname in KEYWORD_FIELDS:
            typed = str(node.text) if isinstance(node, wq.Term) else " ".join(map(str, node.words))
            if values is None:
                return wq.Term(node.fieldname, canonical_value(node.fieldname, typed).lower(), boost=node.boost)
            return _facet_values(node.fieldname, typed, values.get(node.fieldname, ()), node.boost)
        return node

    return visit


def _facet_values(fieldname: str, typed: str, indexed: Sequence[str], boost: float) -> Query:
    """Every indexed value of a facet field that `typed` names, as indexed (lower case)."""
    from whoosh import query as wq

    found = matching_values(fieldname, typed, indexed)
    if len(found) > MAX_VALUES:
        raise QueryError(f"{fieldname}:{typed} names {len(found):,} values; give more of the name.")
    if not found:
        return wq.NullQuery
    terms = [wq.Term(fieldname, value.lower(), boost=boost) for value in found]
    return terms[0] if len(terms) == 1 else wq.Or(terms)
