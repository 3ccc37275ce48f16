"""Validate search options into a SearchRequest, and turn it into Whoosh queries.

Query syntax is Whoosh's: words, "phrases", AND / OR / NOT, parentheses, field:value
(title, heading, org, person, place, type, lang, year; body or text mean the whole
section, as a plain word does), year:[2014 TO 2021], prefix* and fuzzy~ terms.
Organisation and place values, in queries and filters, accept any alias in any case.
Several values of one filter widen it (OR); different filters narrow each other (AND).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from indexer.errors import InvalidInput
from indexer.schema import (
    CONTENT, CONTENT_FIELDS, DATE_END, DATE_START, KEYWORD_FIELDS, LANGUAGE, ORGANISATION, PERSON, PLACE,
    TYPE, YEAR, language_of_field, positions_field,
)

FACET_CHOICES = (ORGANISATION, YEAR, PERSON, PLACE, TYPE, LANGUAGE)
DEFAULT_FACETS = (ORGANISATION, YEAR)
MAX_LIMIT = 1000
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
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*\.\.\s*(\d{4})?\s*$")


class QueryError(InvalidInput):
    """The query or an option value is invalid."""


class Match(str, Enum):
    """How the words of a query combine."""

    ALL = "all"
    ANY = "any"


class Sort(str, Enum):
    """Result order."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True, slots=True)
class YearRange:
    """An inclusive range of years."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions on matching documents."""

    organisations: tuple[str, ...] = ()
    years: tuple[YearRange, ...] = ()
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A validated search."""

    text: str
    filters: Filters = field(default_factory=Filters)
    match: Match | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    limit: int = 10
    facets: tuple[str, ...] = DEFAULT_FACETS
    all_sections: bool = False
    expand: bool = True
    feedback: bool = True
    explain: bool = False
    one_per_text: bool = False

    def __post_init__(self) -> None:
        # Indexed text is NFC (ftfy); a query typed or pasted with combining accents must be too.
        object.__setattr__(self, "text", unicodedata.normalize("NFC", self.text))
        if self.page < 1:
            raise QueryError(f"--page must be 1 or more, not {self.page}.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {self.limit}.")
        for name in self.facets:
            check_facet_field(name)
        if self.filters.date_from and self.filters.date_to and self.filters.date_from > self.filters.date_to:
            raise QueryError("--from is after --to; swap them.")


def check_facet_field(name: str) -> str:
    """Return the facet field name, or raise QueryError naming the valid ones."""
    if name not in FACET_CHOICES:
        raise QueryError(f"Unknown facet field {name!r}; choose from {', '.join(FACET_CHOICES)}.")
    return name


def parse_year_range(value: str) -> YearRange:
    """Read "2021", "2014..2021", "2014.." or "..2021" as an inclusive YearRange."""
    if re.fullmatch(r"\s*\d{4}\s*", value):
        return YearRange(int(value), int(value))
    match = _YEAR_RANGE.match(value)
    if not match or not any(match.groups()):
        raise QueryError(f"Invalid year {value!r}; use a year such as 2021 or a range such as 2014..2021.")
    start, end = int(match.group(1) or 1), int(match.group(2) or 9999)
    if start > end:
        raise QueryError(f"Invalid year range {value!r}: the first year is after the second.")
    return YearRange(start, end)


def parse_day(value: str, option: str) -> dt.date:
    """Read an ISO date (YYYY-MM-DD) given to `option`."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"Invalid date {value!r} for {option}; use YYYY-MM-DD, e.g. 2021-02-24.") from None


def indexed_content_fields(reader) -> tuple[str, ...]:  # noqa: ANN001 - a Whoosh reader
    """`content`, and the content field of each other language the index holds."""
    return (CONTENT, *(name for name in CONTENT_FIELDS[1:] if reader.field_length(name)))


def query_fields(reader, schema, text: str) -> tuple[str, ...]:  # noqa: ANN001 - Whoosh reader, schema
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


def parse_query(text: str, match: Match, schema, expand: bool = True,  # noqa: ANN001 - Whoosh schema
                fields: tuple[str, ...] = (CONTENT,)):  # noqa: ANN201 - a Whoosh query
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


def _parse_in(fieldname: str, text: str, match: Match, schema, expand: bool):  # noqa: ANN001, ANN202 - Whoosh
    from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, OrGroup, QueryParser

    parsed_text, expansions = text, ()
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


def _phrases_with_positions(node):  # noqa: ANN001, ANN202 - a Whoosh query node
    """A phrase in a content field is matched in the field's twin that keeps positions."""
    from whoosh import query as wq

    if isinstance(node, wq.Phrase) and node.fieldname in CONTENT_FIELDS:
        return wq.Phrase(positions_field(node.fieldname), node.words, slop=node.slop, boost=node.boost,
                         char_ranges=node.char_ranges)
    return node


def _with_aliases(expansions, schema):  # noqa: ANN001, ANN202 - Whoosh schema and query visitor
    """A visitor that puts each expansion's alias query where its placeholder was parsed."""
    from whoosh import query as wq

    from search.aliases import PLACEHOLDER, alias_query

    by_word = {PLACEHOLDER.format(n): alias_query(e, schema) for n, e in enumerate(expansions)}

    def visit(node):  # noqa: ANN001, ANN202
        if isinstance(node, wq.Term) and node.fieldname == CONTENT and node.text in by_word:
            return by_word[node.text].with_boost(node.boost)
        return node

    return visit


def _checked(node):  # noqa: ANN001, ANN202 - a Whoosh query node
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


def canonical_value(fieldname: str, value: str) -> str:
    """The canonical facet value for a filter value (any alias, any case)."""
    value = value.strip()
    if fieldname == ORGANISATION:
        from indexer.orgs import load_orgs

        return load_orgs().canonical(value) or value
    if fieldname == PLACE:
        from indexer.places import load_places

        return load_places().canonical(value) or value
    return value


def keyword_filters(filters: Filters) -> list[tuple[str, list[str]]]:
    """Each keyword field filtered on, with the values it allows as they are indexed
    (canonical, lower case)."""
    given = ((ORGANISATION, filters.organisations), (PERSON, filters.people), (PLACE, filters.places),
             (TYPE, filters.types), (LANGUAGE, filters.languages))
    return [(name, [canonical_value(name, v).lower() for v in values]) for name, values in given if values]


def build_filter(filters: Filters):  # noqa: ANN201 - a Whoosh query or None
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
