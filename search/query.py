"""Turn a SearchRequest's text and filters into Whoosh queries.

Query syntax is Whoosh's: words, "phrases", AND / OR / NOT, parentheses, field:value
(title, heading, org, person, place, type, lang, year; body or text mean the whole
section, as a plain word does), year:[2014 TO 2021], prefix* and fuzzy~ terms.
Organisation and place values, in queries and filters, accept any alias in any case.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from indexer.fields import (
    CONTENT,
    CONTENT_FIELDS,
    DATE_END,
    DATE_START,
    KEYWORD_FIELDS,
    LANGUAGE,
    ORGANISATION,
    PERSON,
    PLACE,
    TYPE,
    YEAR,
    language_of_field,
    positions_field,
)
from search.request import Filters, Match, QueryError, canonical_value, keyword_filters

if TYPE_CHECKING:
    from collections.abc import Callable

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
    PERSON: ["people"],
    PLACE: ["places", "country"],
    LANGUAGE: ["lang"],
    TYPE: ["doctype"],
}


def indexed_content_fields(reader: IndexReader) -> tuple[str, ...]:
    """`content`, and the content field of each other language the index holds."""
    return (CONTENT, *(name for name in CONTENT_FIELDS[1:] if reader.field_length(name)))


def query_fields(reader: IndexReader, schema: Schema, text: str) -> tuple[str, ...]:
    """The content fields a query is read in. Of the Latin-script languages the index holds
    (English and the rest in `content`, French, Spanish), those whose vocabulary knows the
    most of its words (a stop word of the language counts as known), so that a French query
    is read as French, not also as English that happens to share one of its words; and
    each other language's field that knows any of its words. Every field when none knows
    any word."""
    fields = indexed_content_fields(reader)
    words = [w for w in _QUERY_WORD.findall(text) if w not in OPERATORS]
    if len(fields) == 1 or not words:
        return fields
    known = {name: sum(any(token.stopped or reader.doc_frequency(name, token.text)
                           for token in schema[name].analyzer(word, mode="query", removestops=False))
                       for word in words)
             for name in fields}
    latin = [name for name in fields if language_of_field(name) in _LATIN_SCRIPT]
    most = max(known[name] for name in latin)
    chosen = tuple(name for name in fields if known[name] and (name not in latin or known[name] == most))
    return chosen or fields


def parse_query(text: str, match: Match, schema: Schema, expand: bool = True,
                fields: tuple[str, ...] = (CONTENT,)) -> Query:
    """Parse query text against the content fields `fields` (title, heading and text, in
    `content` and in the fields of other languages); AND or OR between words; organisation
    names widened to all their aliases unless `expand` is false.

    The query is parsed once per field, each time with that field's analyzer, and a
    section matches when it matches one of them: a French section must match the query
    as French analysis reads it (its stop words dropped, its stems), and so on."""
    from whoosh import query as wq

    if text.strip() in ("", "*"):
        return wq.Every()
    parsed = [_parse_in(fieldname, text, match, schema, expand and fieldname == CONTENT) for fieldname in fields]
    return parsed[0] if len(parsed) == 1 else wq.Or(parsed).normalize()


def _parse_in(fieldname: str, text: str, match: Match, schema: Schema, expand: bool) -> Query:
    from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, OrGroup, QueryParser

    parsed_text = text
    expansions: tuple[Expansion, ...] = ()
    if expand:
        from search.aliases import expand_aliases

        parsed_text, expansions = expand_aliases(text)
    group = AndGroup if match is Match.ALL else OrGroup.factory(0.9)
    parser = QueryParser(fieldname, schema, group=group)
    parser.add_plugin(FieldAliasPlugin(_FIELD_ALIASES))
    parser.add_plugin(FuzzyTermPlugin())
    try:
        parsed = parser.parse(parsed_text)
    except Exception as err:  # Whoosh raises many types for field values it cannot read
        raise QueryError(f"Cannot read the query {text!r} ({err}); check its syntax.") from None
    if expansions:
        parsed = parsed.accept(_with_aliases(expansions, schema))
    return parsed.accept(_checked).accept(_phrases_with_positions)


def _phrases_with_positions(node: Query) -> Query:
    """A phrase in a content field is matched in the field's twin that keeps positions."""
    from whoosh import query as wq

    if isinstance(node, wq.Phrase) and node.fieldname in CONTENT_FIELDS:
        return wq.Phrase(positions_field(node.fieldname), node.words, slop=node.slop, boost=node.boost,
                         char_ranges=node.char_ranges)
    return node


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


def _checked(node: Query) -> Query:
    """Canonicalise keyword values; refuse wildcards and fuzzy terms that would expand too far."""
    from whoosh import query as wq

    if isinstance(node, (wq.Prefix, wq.Wildcard)):
        literal = re.split(r"[*?]", node.text)[0]
        if len(literal) < 2:
            raise QueryError(f"The pattern {node.text!r} is too broad; give at least two letters before * or ?.")
    if isinstance(node, wq.FuzzyTerm):
        node.maxdist = min(node.maxdist, 2)
        node.prefixlength = max(node.prefixlength, 1)
    if isinstance(node, wq.Term) and node.fieldname in KEYWORD_FIELDS:
        return wq.Term(node.fieldname, canonical_value(node.fieldname, str(node.text)).lower(), boost=node.boost)
    return node


def build_filter(filters: Filters) -> Query | None:
    """The Whoosh query that restricts results to the filters, or None."""
    from whoosh import query as wq

    parts = [wq.Or([wq.Term(fieldname, value) for value in values]) for fieldname, values in keyword_filters(filters)]
    if filters.years:
        parts.append(wq.Or([wq.NumericRange(YEAR, y.start, y.end) for y in filters.years]))
    if filters.date_from:
        parts.append(wq.NumericRange(DATE_END, _day_number(filters.date_from), None))
    if filters.date_to:
        parts.append(wq.NumericRange(DATE_START, None, _day_number(filters.date_to)))
    return wq.And(parts) if parts else None


def _day_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day
