"""Finding a document's date in its text."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.metadata.dates import DateSource, FoundDate, find_date, parse_date

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("paragraphs", "date"),
    [
        (["Ministerial meeting", "24.02.2021 - Press release", "Body text."], "2021-02-24"),
        (["Title", "Long body text " * 20, "12 June 2014"], "2014-06-12"),
        (["(Berlin, January 16, 2024) – Germany should act on the report " * 3], "2024-01-16"),
        (["GENEVA (12 June 2014) – The UN High Commissioner said today " * 3], "2014-06-12"),
        (["Tue, 17th November 2009"], "2009-11-17"),
        (["Published 2023-05-03"], "2023-05-03"),
        (["October 2021"], "2021-10"),
    ],
)
def test_explicit_dates(paragraphs: list[str], date: str) -> None:
    assert find_date(paragraphs, today=TODAY) == FoundDate(date, int(date[:4]), DateSource.EXPLICIT)


def test_inferred_year_is_the_latest_year_mentioned() -> None:
    paragraphs = ["Progress since the previous dialogue in October 2021 was reviewed at length by both sides " * 2,
                  "They discussed the 2022 report and the Agenda 2030 goals in detail with many partners " * 2]
    assert find_date(paragraphs, today=TODAY) == FoundDate(None, 2022, DateSource.INFERRED)


def test_inferred_full_date_in_the_latest_year() -> None:
    paragraphs = ["The Alliance met on 16 April 2020 and again on 12 November 2020, and it held talks in 2019 " * 2]
    assert find_date(paragraphs, today=TODAY) == FoundDate("2020-11-12", 2020, DateSource.INFERRED)


def test_hints_only_help_inference() -> None:
    body = ["Progress since the previous dialogue in October 2021 was reviewed at length by both sides " * 2]
    assert find_date(body, hints=("Eurostat publishes 2022 report |",), today=TODAY).year == 2022
    assert find_date(body, hints=("12 June 2030",), today=TODAY).source is DateSource.INFERRED


def test_a_date_or_year_in_the_file_name_comes_before_mentions() -> None:
    speech = ["At this sixty-ninth session, we recall the events of 2001 and of 12 March 2013 " * 2,
              "On 24 September 2014 the Assembly heard many speakers, and looked to 2030 " * 2]
    assert find_date(speech, today=TODAY, file_name="AFG_69_2014.txt") == FoundDate("2014-09-24", 2014, DateSource.INFERRED)
    assert find_date(speech, today=TODAY, file_name="AFG_69_2012.txt") == FoundDate(None, 2012, DateSource.INFERRED)
    assert find_date(speech, today=TODAY, file_name="2010-09-20-nash.txt") == FoundDate("2010-09-20", 2010, DateSource.INFERRED)
    # Numbers that are not one clear year or date leave inference to the text.
    for name in ("12345.txt", "report-1999-2000.txt", "2031-01-01.txt"):
        assert find_date(speech, today=TODAY, file_name=name) == FoundDate("2014-09-24", 2014, DateSource.INFERRED)
    # A date line in the text still wins.
    assert find_date(["12 June 2014", *speech], today=TODAY, file_name="AFG_69_2012.txt").date == "2014-06-12"


def test_no_date() -> None:
    assert find_date(["No dates here at all."], today=TODAY) == FoundDate(None, None, DateSource.NONE)


def test_future_and_impossible_dates_are_ignored() -> None:
    assert find_date(["31.02.2021 - Press release", "1 January 2031"], today=TODAY).source is DateSource.NONE


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2017-11-24", FoundDate("2017-11-24", 2017, DateSource.METADATA)),
     ("1979", FoundDate(None, 1979, DateSource.METADATA)),
     ("24 February 2021", FoundDate("2021-02-24", 2021, DateSource.METADATA)),
     ("2024-01-18T01:45:00+00:00", FoundDate("2024-01-18", 2024, DateSource.METADATA)),
     ("20240118T014500Z", FoundDate("2024-01-18", 2024, DateSource.METADATA)),
     ("20240118", FoundDate("2024-01-18", 2024, DateSource.METADATA)),
     ("20241318T014500Z", None),
     ("soon", None)],
)
def test_parse_metadata_dates(value: str, expected: FoundDate | None) -> None:
    assert parse_date(value) == expected
