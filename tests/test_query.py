"""Validating options and building Whoosh queries."""

from __future__ import annotations

import datetime as dt

import pytest
from whoosh import query as wq

from indexer.fields import MONTH, ORGANISATION, PLACE, YEAR
from indexer.schema import build_schema
from search.query import parse_query
from search.request import (
    Filters,
    Match,
    QueryError,
    SearchRequest,
    YearRange,
    indexed_values,
    make_filters,
    month_label,
    parse_day,
    parse_month,
    parse_year_range,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021", YearRange(2021, 2021)), ("2014..2021", YearRange(2014, 2021)), (" 2014 .. 2021 ", YearRange(2014, 2021)),
     ("2014..", YearRange(2014, 9999)), ("..2021", YearRange(1, 2021))],
)
def test_year_ranges(value: str, expected: YearRange) -> None:
    assert parse_year_range(value) == expected


@pytest.mark.parametrize("value", ["20xx", "2021..2014", "..", "21", "2014-2021"])
def test_bad_years_are_refused(value: str) -> None:
    with pytest.raises(QueryError, match="year"):
        parse_year_range(value)


def test_dates() -> None:
    assert parse_day("2021-02-24", "--from") == dt.date(2021, 2, 24)
    with pytest.raises(QueryError, match="--to"):
        parse_day("24/02/2021", "--to")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"page": 0}, "--page"), ({"limit": 0}, "--limit"), ({"limit": 5000}, "--limit"),
     ({"facets": ("colour",)}, "Unknown facet field 'colour'"),
     ({"filters": Filters(date_from=dt.date(2022, 1, 1), date_to=dt.date(2021, 1, 1))}, "--from is after --to")],
)
def test_invalid_requests(kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        SearchRequest(text="x", **kwargs)


def test_words_are_required_all_or_any() -> None:
    schema = build_schema()
    assert isinstance(parse_query("human rights", Match.ALL, schema), wq.And)
    assert isinstance(parse_query("human rights", Match.ANY, schema), wq.Or)


def test_star_and_empty_match_everything() -> None:
    assert isinstance(parse_query("*", Match.ALL, build_schema()), wq.Every)
    assert isinstance(parse_query("  ", Match.ALL, build_schema()), wq.Every)


@pytest.mark.parametrize("text", ["a*", "*ights", "x?y", "r*ghts"])
def test_broad_wildcards_are_refused(text: str) -> None:
    with pytest.raises(QueryError, match="too broad"):
        parse_query(text, Match.ALL, build_schema())


def test_wildcards_with_two_letters_are_accepted() -> None:
    parsed = parse_query("vacc*", Match.ALL, build_schema())
    assert any(isinstance(q, wq.Prefix) for q in parsed.leaves())


def test_fuzzy_terms_are_bounded() -> None:
    parsed = parse_query("lenarcic~5", Match.ALL, build_schema())
    fuzzy = [q for q in parsed.leaves() if isinstance(q, wq.FuzzyTerm)]
    assert fuzzy and all(q.maxdist <= 2 and q.prefixlength >= 1 for q in fuzzy)


def test_organisation_in_query_accepts_any_alias() -> None:
    parsed = parse_query('org:"UN Human Rights Office"', Match.ALL, build_schema())
    assert parsed == wq.Term(ORGANISATION, "ohchr")


def test_filter_values_resolve_aliases() -> None:
    assert indexed_values(ORGANISATION, ("UN Human Rights Office", "who")) == {"ohchr", "who"}
    assert indexed_values(PLACE, ("Russian Federation",)) == {"russia"}
    assert indexed_values(ORGANISATION, ("(none)",)) == {"(none)"}


@pytest.mark.parametrize(("value", "expected"), [("2021-02", 202102), (" 1999-12 ", 199912), ("(none)", 0)])
def test_months(value: str, expected: int) -> None:
    assert parse_month(value) == expected
    assert month_label(expected) == value.strip()


@pytest.mark.parametrize("value", ["2021-13", "2021-2", "Feb 2021", "2021"])
def test_invalid_months_say_the_form(value: str) -> None:
    with pytest.raises(QueryError, match="YYYY-MM"):
        parse_month(value)


def test_options_make_filters_with_exclusions() -> None:
    filters = make_filters({ORGANISATION: ["ohchr"], YEAR: ["2014..2016", "(none)"], MONTH: ["2021-02"]},
                           {PLACE: ["France"]}, "2014-01-01", None)
    assert filters.organisations == ("ohchr",) and filters.years == (YearRange(2014, 2016), YearRange(0, 0))
    assert filters.months == (202102,) and filters.excluded == ((PLACE, "France"),)
    assert filters.fields() == (ORGANISATION, YEAR, MONTH, PLACE) and filters.exclusions(PLACE) == ("France",)
    with pytest.raises(QueryError, match="--not-year needs a value"):
        SearchRequest("x", filters=make_filters({}, {YEAR: [" "]}))
    with pytest.raises(QueryError, match="Invalid year"):
        SearchRequest("x", filters=make_filters({}, {YEAR: ["last year"]}))
