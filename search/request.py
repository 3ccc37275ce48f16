"""Search options validated into a SearchRequest: match mode, sort, filters (any alias, any
case), page and limit, facet fields. Several values of one filter widen it (OR); different
filters narrow each other (AND). Nothing here imports Whoosh, so the CLI and the server
validate a request before the engine loads."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from indexer.fields import LANGUAGE, ORGANISATION, PERSON, PLACE, TYPE, YEAR
from search.syntax import QueryError, prepare

FACET_CHOICES = (ORGANISATION, YEAR, PERSON, PLACE, TYPE, LANGUAGE)
DEFAULT_FACETS = (ORGANISATION, YEAR)
MAX_LIMIT = 1000
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*\.\.\s*(\d{4})?\s*$")


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
        prepare(self.text)  # refuses a query beyond the bounds, or naming an unknown field
        if self.page < 1:
            raise QueryError(f"--page must be 1 or more, not {self.page}.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {self.limit}.")
        for name in self.facets:
            check_facet_field(name)
        for option, values in (("--org", self.filters.organisations), ("--person", self.filters.people),
                               ("--place", self.filters.places), ("--type", self.filters.types),
                               ("--lang", self.filters.languages)):
            if any(not value.strip() for value in values):
                raise QueryError(f"{option} needs a value; give one, or leave the option out.")
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


def canonical_value(fieldname: str, value: str) -> str:
    """The canonical facet value for a filter value (any alias, any case)."""
    value = value.strip()
    if fieldname == ORGANISATION:
        from indexer.metadata.orgs import load_orgs

        return load_orgs().canonical(value) or value
    if fieldname == PLACE:
        from indexer.metadata.places import load_places

        return load_places().canonical(value) or value
    return value


def keyword_filters(filters: Filters) -> list[tuple[str, list[str]]]:
    """Each keyword field filtered on, with the values it allows as they are indexed
    (canonical, lower case)."""
    given = ((ORGANISATION, filters.organisations), (PERSON, filters.people), (PLACE, filters.places),
             (TYPE, filters.types), (LANGUAGE, filters.languages))
    return [(name, [canonical_value(name, v).lower() for v in values]) for name, values in given if values]
