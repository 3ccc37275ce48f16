"""Queries as people type them, through the command line: questions, field queries, names,
word forms, exclusion, suggestions, the query's own language, bounds and batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from search.syntax import MAX_QUERY_WORDS, prepare
from tests.helpers import ALLIANCE, EU_DIALOGUE, FIXTURES, JOINT_DECLARATION, accord

SEEDS = {ALLIANCE, EU_DIALOGUE, JOINT_DECLARATION}


def found(index: Path, *query: str) -> dict:
    return json.loads(accord("search", "--json", "--index", index, *query).stdout)


def ids(index: Path, *query: str) -> list[str]:
    return [hit["doc_id"] for hit in found(index, *query)["results"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("human rights?", SEEDS),
    ("vaccines?", {ALLIANCE}),
    ("¿vaccines?", {ALLIANCE}),
    ("Vaccines!", {ALLIANCE}),
    ("vaccines: therapeutics.", {ALLIANCE}),
    ("year:2021", {ALLIANCE}),
    ("year:[2014 TO 2021]", {ALLIANCE, JOINT_DECLARATION}),
    ("year:>2020", {ALLIANCE, EU_DIALOGUE}),
    ("date:2021-02-24", {ALLIANCE}),
    ("date:[2021-01 TO 2021-06]", {ALLIANCE}),
    ("date:2014", {JOINT_DECLARATION}),
    ("person:Pillay", {JOINT_DECLARATION}),
    ("person:pillay", {JOINT_DECLARATION}),
    ('person:"navi pillay"', {JOINT_DECLARATION}),
    ("person:lenarcic", {JOINT_DECLARATION}),
    ('org:"high commissioner"', {EU_DIALOGUE, JOINT_DECLARATION}),
    ("org:odihr", {JOINT_DECLARATION}),
    ("Lenarcic~", {JOINT_DECLARATION}),
    ("Bachlet~", {EU_DIALOGUE}),
    ("lenarč*", {JOINT_DECLARATION}),
    ("covid19", {ALLIANCE, EU_DIALOGUE}),
    ("COVID-19", {ALLIANCE, EU_DIALOGUE}),
    ("covid 19", {ALLIANCE, EU_DIALOGUE}),
])
def test_typed_queries_find_what_a_user_expects(seed_index: Path, query: str, expected: set[str]) -> None:
    result = found(seed_index, query)
    assert set(ids(seed_index, query)) == expected
    assert result["notice"] is None


def test_a_field_value_that_names_nothing_finds_nothing(seed_index: Path) -> None:
    assert ids(seed_index, "person:nobody") == []


def test_facet_values_stay_canonical(seed_index: Path) -> None:
    result = json.loads(accord("search", "person:pillay", "--facet", "person", "--json", "--index",
                               seed_index).stdout)
    assert {"value": "Navi Pillay", "count": 1} in result["facets"]["person"]


def test_a_question_is_no_wildcard(seed_index: Path) -> None:
    assert prepare("human rights?") == "human rights"
    assert prepare("wom?n vaccin*") == "wom?n vaccin*"  # inside or at the end of a word, a pattern
    assert prepare("حقوق؟ ¿derechos? 人权？") == "حقوق derechos 人权"


def test_exclusion_leaves_out_every_document_that_mentions_the_word(seed_index: Path) -> None:
    with_climate, climate = set(ids(seed_index, "human rights")), set(ids(seed_index, "climate"))
    assert climate and climate < with_climate
    assert set(ids(seed_index, "human rights -climate")) == with_climate - climate
    assert set(ids(seed_index, "--match", "any", "human rights -climate")) == with_climate - climate
    assert set(ids(seed_index, "--", "-climate")) == SEEDS - climate
    pressed = set(ids(seed_index, '"press release"'))
    assert pressed and set(ids(seed_index, "--", '-"press release"')) == SEEDS - pressed


def test_help_tells_how_to_start_a_query_with_a_minus() -> None:
    assert "accord search -- -climate" in accord("search", "--help").stdout


def test_an_unknown_field_is_a_usage_error(seed_index: Path) -> None:
    done = accord("search", "foo:bar", "--index", seed_index, code=2)
    assert done.stderr == ("error: Unknown field 'foo' in the query; the fields are title, heading, body, by, org, "
                           "person, place, type, lang, year, date, symbol. Put a word with a colon in quotes.\n")


@pytest.mark.parametrize("option", ["--org", "--person", "--place", "--type", "--lang"])
def test_an_empty_filter_value_is_a_usage_error(seed_index: Path, option: str) -> None:
    done = accord("search", "rights", option, "", "--index", seed_index, code=2)
    assert done.stderr.splitlines()[-1] == f"error: {option} needs a value; give one, or leave the option out."


def test_suggestions_come_from_the_index_and_keep_the_rest(seed_index: Path) -> None:
    assert found(seed_index, "C++")["suggestion"] is None
    assert found(seed_index, "humn rihgts C++")["suggestion"] == "human rights C++"
    assert found(seed_index, "vacines?")["suggestion"] == "vaccines?"


@pytest.mark.parametrize(("query", "line"), [
    ("x" * 20_000, "error: A word of the query is 20,000 characters long; words are at most 100. "
                   "Check what was pasted."),
    (" ".join(["rights"] * 2_000), f"error: The query has 2,000 words; queries have at most {MAX_QUERY_WORDS}. "
                                   "Keep the words that matter most."),
    ("(" * 20 + "rights" + ")" * 20, "error: The query nests parentheses 20 deep; at most 16 are allowed."),
    ("date:2021-02-30", "error: The date in 'date:2021-02-30' does not exist."),
    ("a*", "error: The pattern 'a' is too broad; give at least two letters before * or ?."),
])
def test_queries_beyond_the_bounds_are_refused(seed_index: Path, query: str, line: str) -> None:
    done = accord("search", query, "--index", seed_index, code=2)
    assert done.stderr.splitlines()[-1] == line and done.stdout == ""


@pytest.mark.parametrize("query", ["body:-~", "~", "title:~2"])
def test_a_fuzzy_mark_without_a_word_finds_nothing(seed_index: Path, query: str) -> None:
    assert found(seed_index, query)["total_documents"] == 0


def test_a_pasted_chinese_sentence_is_no_overlong_word(seed_index: Path) -> None:
    sentence = "人人生而自由在尊严和权利上一律平等他们赋有理性和良心并应以兄弟关系的精神相对待" * 4
    assert len(sentence) > 100 and found(seed_index, sentence)["total_documents"] == 0
    done = accord("search", "人" * (MAX_QUERY_WORDS + 1), "--index", seed_index, code=2)
    assert done.stderr.splitlines()[-1].startswith(f"error: The query has {MAX_QUERY_WORDS + 1:,} words")


def test_a_long_pasted_paragraph_is_answered(seed_index: Path) -> None:
    paragraph = (FIXTURES.parent.parent / "corpus" / JOINT_DECLARATION).read_text(encoding="utf-8")
    words = " ".join(paragraph.split()[:MAX_QUERY_WORDS])
    assert ids(seed_index, words)[0] == JOINT_DECLARATION


@pytest.fixture(scope="module")
def forms_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forms")
    texts = {
        "dash.txt": "Statement on COVID-19 and e-mail co-operation with T-cell research.",
        "joined.txt": "Note on covid19 and email cooperation with Tcell research.",
        "spaced.txt": "Letter on covid 19 and the T cells studied.",
        "symbols.txt": "The report A/HRC/52/3 follows resolution S/RES/2334 (2016) and CRC/C/GC/25.",
        "other.txt": "The report A/HRC/52/31 and A/HRC/5/23 are different documents.",
    }
    for name, text in texts.items():
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / name).write_text(f"Title of {name}\n\n{text}", encoding="utf-8")
    build_index(root / "docs", root / "index")
    return root / "index"


@pytest.mark.parametrize(("query", "expected"), [
    ("covid19", {"dash.txt", "joined.txt", "spaced.txt"}),
    ("COVID-19", {"dash.txt", "joined.txt", "spaced.txt"}),
    ("covid 19", {"dash.txt", "joined.txt", "spaced.txt"}),
    ("email", {"dash.txt", "joined.txt"}),
    ("e-mail", {"dash.txt", "joined.txt"}),
    ("cooperation", {"dash.txt", "joined.txt"}),
    ("co-operation", {"dash.txt", "joined.txt"}),
    ("T-cell", {"dash.txt", "joined.txt", "spaced.txt"}),
    ("A/HRC/52/3", {"symbols.txt"}),
    ('"S/RES/2334 (2016)"', {"symbols.txt"}),
    ("CRC/C/GC/25", {"symbols.txt"}),
    ('"e-mail co-operation"', {"dash.txt"}),
])
def test_forms_of_one_word_meet(forms_index: Path, query: str, expected: set[str]) -> None:
    assert set(ids(forms_index, query)) == expected


def test_a_compound_is_highlighted_whole(forms_index: Path) -> None:
    (hit,) = [h for h in found(forms_index, "covid19")["results"] if h["doc_id"] == "dash.txt"]
    section = hit["sections"][0]
    assert [section["snippet"][a:b] for a, b in section["highlights"]] == ["COVID-19"]


@pytest.fixture(scope="module")
def languages_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("six-languages") / "index"
    build_index(FIXTURES / "languages", index_dir)
    return index_dir


@pytest.mark.parametrize("query", ["torture", "exploitation", "torture detention"])
def test_an_english_query_puts_the_english_text_first(languages_index: Path, query: str) -> None:
    results = found(languages_index, query)["results"]
    assert results[0]["doc_id"] == "statement-en.txt"
    assert len(results) > 1  # its translations still match


def test_a_french_query_puts_the_french_text_first(languages_index: Path) -> None:
    assert ids(languages_index, "torture centres détention")[0] == "statement-fr.txt"


def test_lang_still_restricts(languages_index: Path) -> None:
    assert ids(languages_index, "torture", "--lang", "fr") == ["statement-fr.txt"]


def test_batch_answers_every_query_it_can(seed_index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tvaccines\nq2\t?vaccines\nq3\tfoo:bar\nq4\thuman rights\n", encoding="utf-8")
    done = accord("batch", queries, "--limit", "1", "--index", seed_index, code=2)
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["q1", "q2", "q4"]
    assert done.stderr.splitlines() == [
        "warning: query q3 was not run: Unknown field 'foo' in the query; the fields are title, heading, body, "
        "by, org, person, place, type, lang, year, date, symbol. Put a word with a colon in quotes.",
        "error: 1 of the queries was not run (see above); the others were answered.",
    ]


QUERY_PIECES = st.sampled_from([
    "human", "rights", "vaccines", "Pillay", "Lenarčič", "حقوق", "人权", "права", "droits", " ", " ", " ",
    '"', "(", ")", "-", "*", "?", "~", "!", ".", ",", ":", ";", "¿", "؟", "？", "AND", "OR", "NOT", "TO",
    "title:", "org:", "person:", "place:", "type:", "lang:", "year:", "date:", "body:", "foo:", "[", "]", "^2",
    "2021", "2014-06", "A/HRC/52/3", "COVID-19", "e-mail", "x" * 120, "'", "\\", "/",
])


@given(query=st.lists(QUERY_PIECES, max_size=25).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_typed_query_answers_or_is_refused_cleanly(seed_index: Path, query: str) -> None:
    from typer.testing import CliRunner

    from search.cli import app

    result = CliRunner().invoke(app, ["search", "--json", "--index", str(seed_index), "--", query])
    assert result.exit_code in (0, 2), (query, result.stderr, result.exception)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.exit_code == 0:
        assert json.loads(result.stdout)["total_documents"] >= 0
    else:
        assert result.stdout == "" and result.stderr.startswith(("error: ", "Usage: "))



@pytest.mark.parametrize("query", ["title:human~/2021", "human~1/99", "rights~2/40"])
def test_a_fuzzy_prefix_longer_than_the_word_is_the_whole_word(seed_index: Path, query: str) -> None:
    done = accord("search", query, "--json", "--index", seed_index)
    assert json.loads(done.stdout)["total_documents"] >= 1
