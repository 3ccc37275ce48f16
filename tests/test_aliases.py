"""Organisation aliases in queries: any name of an organisation finds the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.schema import build_schema
from search.aliases import PLACEHOLDER, expand_aliases
from search.engine import search
from search.query import parse_query
from search.request import Match, SearchRequest
from search.results import SearchResult
from tests.helpers import EU_DIALOGUE, JOINT_DECLARATION, accord


def found(result: SearchResult) -> set[str]:
    return {hit.doc_id for hit in result.results}


@pytest.mark.parametrize(("text", "organisations"), [
    ("UN Human Rights Office report", ["OHCHR"]),
    ("un human rights office", ["OHCHR"]),  # multi-word names in any case
    ("ohchr and odihr", ["OHCHR", "ODIHR"]),  # lower-case acronyms of four letters or more
    ("WHO vaccines", ["WHO"]),
    ("who said it", []),  # a short acronym in lower case is a word
    ('"UN Human Rights Office"', []),  # phrases stay as written
    ("org:OHCHR vaccines", []),  # so do field values
    ("OHCHR* reports", []),  # and patterns
])
def test_names_found_in_query_text(text: str, organisations: list[str]) -> None:
    rewritten, expansions = expand_aliases(text)
    assert [e.organisation for e in expansions] == organisations
    for number, expansion in enumerate(expansions):
        assert PLACEHOLDER.format(number) in rewritten
        assert expansion.organisation.casefold() in {n.casefold() for n in (expansion.written, *expansion.aliases)}
        assert len({a.casefold() for a in expansion.aliases}) == len(expansion.aliases)


def test_an_expanded_name_is_one_clause_scored_by_its_best_alias() -> None:
    query = parse_query("UN Human Rights Office vaccines", Match.ALL, build_schema())
    assert type(query).__name__ == "And" and len(query.subqueries) == 2
    alternatives = query.subqueries[0]
    assert type(alternatives).__name__ == "DisjunctionMax"
    assert ("organisation", "ohchr") in {(q.fieldname, q.text) for q in alternatives.subqueries
                                         if type(q).__name__ == "Term"}
    assert ("content", "ohchr") in set(alternatives.iter_all_terms())


def test_an_alias_finds_documents_that_use_another_name(seed_index: Path) -> None:
    text = "Office of the High Commissioner for Human Rights"
    literal = search(seed_index, SearchRequest(text, expand=False))
    expanded = search(seed_index, SearchRequest(text))
    # The joint declaration calls it "UN Human Rights Office (OHCHR)", never by that name.
    assert JOINT_DECLARATION not in found(literal)
    assert found(expanded) == found(literal) | {JOINT_DECLARATION}
    assert EU_DIALOGUE in found(expanded)


def test_no_expand_on_the_command_line(seed_index: Path) -> None:
    query = "High Commissioner for Human Rights"
    outputs = {}
    for flag in ("--expand", "--no-expand"):
        result = accord("search", query, "--json", "--index", seed_index, flag)
        outputs[flag] = {hit["doc_id"] for hit in json.loads(result.stdout)["results"]}
    assert outputs["--no-expand"] < outputs["--expand"]
    assert JOINT_DECLARATION in outputs["--expand"] - outputs["--no-expand"]
