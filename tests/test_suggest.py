"""Did you mean: corrections from the index vocabulary when a query finds little."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.engine import search
from search.request import SearchRequest
from search.searcher import open_searcher
from search.suggest import suggest_spelling
from tests.helpers import accord


@pytest.mark.parametrize(("typed", "expected"), [
    ("vacines", "vaccines"),
    ("Bachelett", "Bachelet"),  # the case of the word as typed is kept
    ("humn rihgts", "human rights"),
    ("multilateralsm AND climte", "multilateralism AND climate"),  # operators stay
    ('"vacines for all"', '"vaccines for all"'),
    ("title:vacines", "title:vaccines"),  # field names stay
    ("vacines vacines", "vaccines vaccines"),  # each word once, nothing doubled
])
def test_unknown_words_are_corrected(seed_index: Path, typed: str, expected: str) -> None:
    with open_searcher(seed_index) as searcher:
        assert suggest_spelling(searcher, typed) == expected


@pytest.mark.parametrize("typed", [
    "vaccines", "Lenarčič", "the", "x", "", "   ", "!!!", "2021", "q*", "vacc~", "title:", "(", "zzzzzzzz",
])
def test_nothing_to_correct_gives_none_and_never_fails(seed_index: Path, typed: str) -> None:
    with open_searcher(seed_index) as searcher:
        assert suggest_spelling(searcher, typed) is None


def test_search_suggests_only_when_the_correction_finds_more(seed_index: Path) -> None:
    missed = search(seed_index, SearchRequest("vacines"))
    assert missed.total_documents == 0 and missed.suggestion == "vaccines"
    assert search(seed_index, SearchRequest(missed.suggestion)).total_documents > 0
    assert search(seed_index, SearchRequest("vaccines")).suggestion is None
    # "zzzzzzzz" has no near word, so nothing is suggested
    assert search(seed_index, SearchRequest("zzzzzzzz")).suggestion is None


def test_suggestion_in_json_and_in_the_terminal(seed_index: Path) -> None:
    as_json = accord("search", "humn rihgts", "--json", "--index", seed_index)
    assert json.loads(as_json.stdout)["suggestion"] == "human rights"
    assert "Did you mean: human rights?" in as_json.stderr
    as_text = accord("search", "humn rihgts", "--index", seed_index)
    assert "Did you mean: human rights?" in as_text.stdout
