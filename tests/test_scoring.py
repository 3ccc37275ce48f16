"""Scores computed with numpy from posting blocks equal Whoosh's own, for every query shape
accord's parser makes, on an index of several segments with changed and deleted files."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from search.query import parse_query, query_fields
from search.rank.scoring import added_scores, score_matches
from search.request import Match
from search.searcher import open_searcher
from tests.helpers import build_in_small_blocks

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

WORDS = "rights health vaccines elections detention freedom monitoring report torture press".split()
QUERIES = ["rights", "vaccines health", "rights health vaccines elections detention", '"press freedom"',
           "rights NOT torture", "health OR (elections AND monitoring)", "vacc*", "rights^3 report",
           "title:note", "heading:part rights", "OHCHR", "UN Human Rights Office", "nosuchword", "rights nosuchword",
           "organisation:WHO health", "helth~"]


@pytest.fixture(scope="module")
def changed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notes of many sizes indexed in three runs, with files changed and deleted between
    runs: several segments, words in several posting blocks (of 16 postings here), deleted
    records."""
    rng = random.Random(11)
    root = tmp_path_factory.mktemp("scoring")
    corpus = root / "corpus"
    corpus.mkdir()
    for run in range(3):
        for number in range(160):
            words = " ".join(rng.choices(WORDS, k=rng.randint(3, 60)))
            named = rng.choice(["", "The OHCHR said so.", "The WHO spoke.", "The Office of the High Commissioner met."])
            (corpus / f"note-{run}-{number}.md").write_text(f"# Note {run} {number}\n\n## Part\n\n{words}. {named}")
        if run:
            for number in rng.sample(range(160), 30):
                (corpus / f"note-{run - 1}-{number}.md").unlink()
            for number in rng.sample(range(160), 20):
                changed = corpus / f"note-0-{number}.md"
                if changed.exists():
                    changed.write_text(f"# Changed {run}\n\n{' '.join(rng.choices(WORDS, k=9))}.")
        build_in_small_blocks(corpus, root / "index")
    return root / "index"


def whoosh_ranking(searcher: Searcher, query: Query) -> tuple[np.ndarray, np.ndarray]:
    found = searcher.search(query, limit=None).top_n
    return np.array([s for s, _ in found], dtype=np.float64), np.array([d for _, d in found], dtype=np.int64)


@pytest.mark.parametrize("index_name", ["seed_index", "changed_index"])
@pytest.mark.parametrize("match", [Match.ALL, Match.ANY])
def test_scores_equal_whoosh_for_every_query_shape(request: pytest.FixtureRequest, index_name: str,
                                                   match: Match) -> None:
    with open_searcher(request.getfixturevalue(index_name)) as searcher:
        assert index_name == "seed_index" or (len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions())
        matched = 0
        for text in QUERIES:
            query = parse_query(text, match, searcher.schema, True, query_fields(searcher.reader(), searcher.schema, text))
            scores, records = score_matches(searcher, query)
            expected_scores, expected_records = whoosh_ranking(searcher, query)
            assert scores == pytest.approx(expected_scores, rel=1e-12), text
            # the same records in the same order, but for records whose scores tie
            assert sorted(records.tolist()) == sorted(expected_records.tolist()), text
            differ = np.flatnonzero(records != expected_records)
            assert all(np.isclose(scores[i], scores[np.flatnonzero(records == expected_records[i])[0]])
                       for i in differ), text
            matched += len(records)
        assert matched > 20


def test_queries_scored_by_whoosh_inside_combine_the_same_way(changed_index: Path) -> None:
    from whoosh import query as wq

    words = [wq.Term("content", word) for word in ("right", "health", "tortur")]
    queries = [wq.Or(words, scale=0.9), wq.And([wq.Or(words[:2], scale=0.9), words[2]]),
               wq.Or([wq.DisjunctionMax(words[:2]), wq.Term("title", "note", boost=2.0)], boost=1.5)]
    with open_searcher(changed_index) as searcher:
        for query in queries:
            scores, records = score_matches(searcher, query)
            expected_scores, expected_records = whoosh_ranking(searcher, query)
            assert scores == pytest.approx(expected_scores, rel=1e-12) and len(records) > 50
            assert sorted(records.tolist()) == sorted(expected_records.tolist())


def test_a_query_matching_everything_is_left_to_whoosh(seed_index: Path) -> None:
    with open_searcher(seed_index) as searcher:
        query = parse_query("*", Match.ALL, searcher.schema, True, query_fields(searcher.reader(), searcher.schema, "*"))
        assert score_matches(searcher, query) is None


def test_added_scores_of_chosen_records_are_whoosh_scores_times_boosts(changed_index: Path) -> None:
    from whoosh import query as wq

    with open_searcher(changed_index) as searcher:
        own = {word: dict(zip(*reversed(whoosh_ranking(searcher, wq.Term("content", word)))))
               for word in ("right", "tortur", "vaccin")}
        every = range(searcher.doc_count_all())  # deleted records among them
        assert searcher.doc_count() < len(every)
        for chosen in (sorted(own["right"])[::7], list(every[::5]), [max(own["vaccin"])], list(every)):
            records = np.array(sorted(chosen), dtype=np.int64)
            boosts = [("right", 1.0), ("tortur", 0.5), ("vaccin", 2.0), ("nosuchword", 1.0)]
            expected = [sum(own[word].get(d, 0.0) * boost for word, boost in boosts if word in own) for d in chosen]
            assert added_scores(searcher, "content", boosts, records).tolist() == pytest.approx(expected, rel=1e-12)
            assert any(expected)


def test_rare_words_weigh_by_the_robertson_sparck_jones_idf(seed_index: Path) -> None:
    with open_searcher(seed_index) as searcher:
        records = searcher.doc_count_all()
        for word in ("right", "vaccin", "multilater"):
            found = searcher.doc_frequency("content", word)
            assert 0 < found < records
            assert searcher.idf("content", word) == pytest.approx(math.log(1 + (records - found + 0.5) / (found + 0.5)))
