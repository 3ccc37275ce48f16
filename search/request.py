"""Search options validated into a SearchRequest: match mode, sort, filters (any alias, any
case), page and limit, facet fields. Several values of one filter widen it (OR); different
filters narrow each other (AND). Nothing here imports Whoosh, so the CLI and the server
validate a request before the engine loads."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from indexer.fields import (
    FACET_FIELDS,
    ISSUER,
    LANGUAGE,
    MONTH,
    NONE,
    ORGANISATION,
    PERSON,
    PLACE,
    SYMBOL,
    TYPE,
    YEAR,
)
from search.syntax import QueryError, prepare

FACET_CHOICES = FACET_FIELDS
DEFAULT_FACETS = (ORGANISATION, YEAR)
MAX_LIMIT = 1000
MAX_FACET_SIZE = 100
FILTER_OPTIONS = {ISSUER: "by", ORGANISATION: "org", YEAR: "year", MONTH: "month", PERSON: "person", PLACE: "place",
                  TYPE: "type", LANGUAGE: "lang", SYMBOL: "cites"}
"""Each facet field's filter option: `--org` on the command line, `org=` in a URL; `--not-org`
and `not_org=` exclude."""
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*\.\.\s*(\d{4})?\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


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
    issuers: tuple[str, ...] = ()
    years: tuple[YearRange, ...] = ()
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    """UN document symbols the document must cite."""
    months: tuple[int, ...] = ()
    """Months as YYYYMM; 0 selects documents whose date is not within one month."""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    excluded: tuple[tuple[str, str], ...] = ()
    """(facet field, value) pairs: documents carrying any of them are left out."""
    joint: bool = False
    """Joint statements only: texts issued by several organisations."""

    def selected(self, fieldname: str) -> tuple[str, ...]:
        """The values chosen for a keyword facet field, as given."""
        return {ISSUER: self.issuers, ORGANISATION: self.organisations, PERSON: self.people, PLACE: self.places,
                TYPE: self.types, LANGUAGE: self.languages, SYMBOL: self.symbols}.get(fieldname, ())

    def exclusions(self, fieldname: str) -> tuple[str, ...]:
        """The values excluded from a facet field, as given."""
        return tuple(value for name, value in self.excluded if name == fieldname)

    def fields(self) -> tuple[str, ...]:
        """The facet fields these filters restrict."""
        chosen = {name for name in FILTER_OPTIONS if self.selected(name)} | {name for name, _ in self.excluded}
        chosen |= {YEAR} if self.years else set()
        chosen |= {MONTH} if self.months else set()
        return tuple(name for name in FILTER_OPTIONS if name in chosen)


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
    all_copies: bool = False
    """Every copy of a text, instead of its best-ranked one with the others listed under it."""
    wider: tuple[str, ...] = ()
    """Facet fields counted up to MAX_FACET_SIZE values instead of the ten largest."""

    def __post_init__(self) -> None:
        # Indexed text is NFC (ftfy); a query typed or pasted with combining accents must be too.
        object.__setattr__(self, "text", unicodedata.normalize("NFC", self.text))
        prepare(self.text)  # refuses a query beyond the bounds, or naming an unknown field
        if self.page < 1:
            raise QueryError(f"--page must be 1 or more, not {self.page}.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {self.limit}.")
        for name in (*self.facets, *self.wider):
            check_facet_field(name)
        for option, values in (("--org", self.filters.organisations), ("--by", self.filters.issuers), ("--person", self.filters.people),
                               ("--place", self.filters.places), ("--type", self.filters.types),
                               ("--lang", self.filters.languages)):
            if any(not value.strip() for value in values):
                raise QueryError(f"{option} needs a value; give one, or leave the option out.")
        if self.filters.date_from and self.filters.date_to and self.filters.date_from > self.filters.date_to:
            raise QueryError("--from is after --to; swap them.")
        for name, value in self.filters.excluded:
            if name not in FILTER_OPTIONS:
                raise QueryError(f"Unknown facet field {name!r} to exclude from; choose from {', '.join(FACET_CHOICES)}.")
            if not value.strip():
                raise QueryError(f"--not-{FILTER_OPTIONS[name]} needs a value; give one, or leave the option out.")
            {YEAR: parse_year_range, MONTH: parse_month}.get(name, str)(value)


def make_filters(selected: Mapping[str, Sequence[str]], excluded: Mapping[str, Sequence[str]] | None = None,
                 date_from: str | None = None, date_to: str | None = None, joint: bool = False) -> Filters:
    """Filters from option values as typed, by facet field (the CLI's `--org`, the URL's
    `org=`): years as "2021" or "2014..2021", months as "2021-02", "(none)" for documents
    without a value; `excluded` likewise, for `--not-org` and friends; `joint` for joint
    statements only."""
    def given(name: str) -> tuple[str, ...]:
        return tuple(selected.get(name, ()))

    return Filters(
        organisations=given(ORGANISATION), issuers=given(ISSUER), years=tuple(parse_year_range(v) for v in given(YEAR)),
        people=given(PERSON), places=given(PLACE), types=given(TYPE), languages=given(LANGUAGE),
        symbols=given(SYMBOL),
        months=tuple(parse_month(v) for v in given(MONTH)),
        date_from=parse_day(date_from, "--from") if date_from else None,
        date_to=parse_day(date_to, "--to") if date_to else None,
        excluded=tuple((name, value) for name, values in (excluded or {}).items() for value in values),
        joint=joint,
    )


def check_facet_field(name: str) -> str:
    """Return the facet field name, or raise QueryError naming the valid ones."""
    if name not in FACET_CHOICES:
        raise QueryError(f"Unknown facet field {name!r}; choose from {', '.join(FACET_CHOICES)}.")
    return name


def parse_year_range(value: str) -> YearRange:
    """Read "2021", "2014..2021", "2014.." or "..2021" as an inclusive YearRange; "(none)"
    is the range of year 0, which undated documents have."""
    if value.strip() == NONE:
        return YearRange(0, 0)
    if re.fullmatch(r"\s*\d{4}\s*", value):
        return YearRange(int(value), int(value))
    match = _YEAR_RANGE.match(value)
    if not match or not any(match.groups()):
        raise QueryError(f"Invalid year {value!r}; use a year such as 2021 or a range such as 2014..2021.")
    start, end = int(match.group(1) or 1), int(match.group(2) or 9999)
    if start > end:
        raise QueryError(f"Invalid year range {value!r}: the first year is after the second.")
    return YearRange(start, end)


def parse_month(value: str) -> int:
    """Read "2021-02" as the month number 202102; "(none)" as 0, the month of documents whose
    date is not within one month."""
    if value.strip() == NONE:
        return 0
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise QueryError(f"Invalid month {value!r}; use YYYY-MM, e.g. 2021-02.")
    return int(match.group(1)) * 100 + int(match.group(2))


def month_label(month: int) -> str:
    """A month number (YYYYMM) as written: "2021-02"; 0 as "(none)"."""
    return f"{month // 100:04d}-{month % 100:02d}" if month else NONE


def parse_day(value: str, option: str) -> dt.date:
    """Read an ISO date (YYYY-MM-DD) given to `option`."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"Invalid date {value!r} for {option}; use YYYY-MM-DD, e.g. 2021-02-24.") from None


def canonical_value(fieldname: str, value: str) -> str:
    """The canonical facet value for a filter value (any alias, any case)."""
    value = value.strip()
    if value == NONE:
        return value
    if fieldname == SYMBOL:
        from indexer.metadata.symbols import normal_symbol

        return normal_symbol(value) or value
    if fieldname in (ORGANISATION, ISSUER):
        from indexer.metadata.orgs import load_orgs

        return load_orgs().canonical(value) or value
    if fieldname == PLACE:
        from indexer.metadata.places import load_places

        return load_places().canonical(value) or value
    return value


def indexed_values(fieldname: str, values: Sequence[str]) -> set[str]:
    """Filter values of a keyword field as they are indexed (canonical, lower case)."""
    return {canonical_value(fieldname, value).lower() for value in values}
