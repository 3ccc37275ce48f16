"""--explain: the terms behind each section score; feedback reorders but never widens."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from search.engine import search
from search.rank.feedback import FEEDBACK_DOCUMENTS
from search.request import Match, SearchRequest
from tests.helpers import JOINT_DECLARATION, accord, build_in_small_blocks


def test_term_scores_add_up_to_the_section_score(seed_index: Path) -> None:
    result = search(seed_index, SearchRequest("vaccines therapeutics", match=Match.ALL, feedback=False,
                                              explain=True))
    section = result.results[0].sections[0]
    assert {t.term for t in section.terms} == {"vaccin", "therapeut"}
    assert abs(sum(t.score for t in section.terms) - section.score) < 0.01
    assert {t.via for t in section.terms} == {"stem"}
    assert result.results[0].score == section.score  # a document scores as its best section


def test_how_each_term_was_reached(seed_index: Path) -> None:
    result = search(seed_index, SearchRequest("Lenarčič ohchr", explain=True))
    hit = next(h for h in result.results if h.doc_id == JOINT_DECLARATION)
    via = {(t.field, t.term): (t.written, t.via) for s in hit.sections for t in s.terms}
    assert via[("content", "lenarc")] == ("Lenarčič", "accent fold and stem")
    assert via[("content", "ohchr")] == ("ohchr", "as written")
    assert via[("organisation", "ohchr")][1] == "organisation facet"
    assert any(v.startswith("alias of OHCHR") for _, v in via.values())
    assert result.explain is not None and [e.organisation for e in result.explain.aliases] == ["OHCHR"]


def test_explain_json_and_terminal(feedback_index: Path) -> None:
    args = ["search", "vaccines", "--explain", "--index", str(feedback_index)]
    as_json = accord(*args, "--json")
    data = json.loads(as_json.stdout)
    assert data["explain"]["document_score"] == "best section"
    feedback = [f["term"] for f in data["explain"]["feedback"]]
    terms = data["results"][0]["sections"][0]["terms"]
    assert {"field", "term", "from", "via", "score"} <= set(terms[0])
    assert {t["via"] for t in terms if t["term"] in feedback} == {"feedback"}
    as_text = accord(*args)
    assert "section score" in as_text.stdout and "(vaccines → stem)" in as_text.stdout
    plain = accord("search", "vaccines", "--json", "--index", feedback_index)
    assert "explain" not in json.loads(plain.stdout)
    assert "terms" not in json.loads(plain.stdout)["results"][0]["sections"][0]


def test_feedback_reorders_but_keeps_totals_facets_and_highlights(feedback_index: Path) -> None:
    for text in ("human rights", "rights OR climate", "vaccines children"):
        with_feedback = search(feedback_index, SearchRequest(text, facets=("organisation", "year", "place"), limit=100,
                                                             explain=True))
        without = search(feedback_index, SearchRequest(text, facets=("organisation", "year", "place"), limit=100,
                                                       feedback=False))
        assert with_feedback.explain is not None and with_feedback.explain.feedback, text
        assert with_feedback.total_documents == without.total_documents
        assert with_feedback.total_sections == without.total_sections
        assert with_feedback.facets == without.facets
        assert {h.doc_id for h in with_feedback.results} == {h.doc_id for h in without.results}
        for a, b in zip(with_feedback.results, without.results):
            if a.doc_id == b.doc_id:
                assert a.score >= b.score  # feedback words only add
    # Highlights mark the query's words, never the feedback words.
    for hit in search(feedback_index, SearchRequest("vaccines")).results:
        for section in hit.sections:
            marked = {section.snippet.text[s:e].lower() for s, e in section.snippet.highlights}
            assert marked and marked <= {"vaccines", "vaccine"}


def test_no_feedback_when_the_query_matches_no_more_documents_than_it_reads(seed_index: Path) -> None:
    result = search(seed_index, SearchRequest("human rights", explain=True))
    assert 1 < result.total_documents <= FEEDBACK_DOCUMENTS
    assert result.explain is not None and result.explain.feedback == ()
    without = search(seed_index, SearchRequest("human rights", feedback=False))
    assert [(h.doc_id, h.score) for h in result.results] == [(h.doc_id, h.score) for h in without.results]


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """450 short notes indexed in three runs: three segments, each word's postings in
    several blocks (of 16 here)."""
    rng = random.Random(3)
    root = tmp_path_factory.mktemp("segmented")
    (root / "corpus").mkdir()
    for run in range(3):
        for number in range(150):
            words = rng.choices("rights health vaccines elections detention".split(), k=12)
            (root / "corpus" / f"note-{run}-{number}.txt").write_text(f"Note {run} {number}\n\n{' '.join(words)}.")
        build_in_small_blocks(root / "corpus", root / "index")
    return root / "index"


@pytest.mark.parametrize("index_name", ["seed_index", "segmented_index"])
def test_feedback_scores_are_the_words_own_scores_for_any_records(
        request: pytest.FixtureRequest, index_name: str) -> None:
    from whoosh import query as wq

    from search.rank.feedback import feedback_scores
    from search.searcher import open_searcher

    with open_searcher(request.getfixturevalue(index_name)) as searcher:
        terms = ("right", "human", "cooper") if index_name == "seed_index" else ("right", "vaccin", "detent")
        for term in terms:
            own = {d: s for s, d in searcher.search(wq.Term("content", term), limit=None).top_n}
            assert len(own) >= 3, term
            every = list(range(searcher.doc_count_all()))  # every block read
            assert feedback_scores(searcher, every, [(term, 0.5)]) == pytest.approx({d: s * 0.5 for d, s in own.items()})
            spread = every[::3]
            assert feedback_scores(searcher, spread, [(term, 1.0)]) == pytest.approx(
                {d: own[d] for d in spread if d in own})
            few = sorted(own)[::2]  # some blocks skipped
            assert feedback_scores(searcher, few, [(term, 1.0)]) == pytest.approx({d: own[d] for d in few})


def test_no_feedback_on_the_command_line(feedback_index: Path) -> None:
    def run(*flags: str) -> dict:
        return json.loads(accord("search", "human rights", "--json", "--explain", "--index", feedback_index,
                                 *flags).stdout)

    with_feedback, without = run(), run("--no-feedback")
    assert with_feedback["explain"]["feedback"] and without["explain"]["feedback"] == []
    assert with_feedback["total_documents"] == without["total_documents"]
    assert max(r["score"] for r in with_feedback["results"]) > max(r["score"] for r in without["results"])


def test_a_clusters_explanation_gives_each_terms_score_and_origin() -> None:
    from indexer.schema import build_schema
    from search.rank.explain import explained_terms, term_origins

    def weight(field: str, term: str, value: float) -> dict[str, object]:
        return {"value": value, "description": f"weight(sections.{field}:{term} in 4) [PerFieldSimilarity], result of:",
                "details": [{"value": value / 2, "description": "idf, computed as log(1 + (N - n + 0.5) / (n + 0.5))",
                             "details": []}]}

    explanation = {"value": 2.75, "description": "sum of:", "details": [
        {"value": 1.5, "description": "max of:", "details": [weight("content", "lenarc", 1.25),
                                                             weight("content_fr", "lenarc", 0.5)]},
        weight("organisation", "ohchr", 1.0),
        {"value": 0.25, "description": "sum of:", "details": [weight("content", "detent", 0.25)]},
    ]}
    origins = term_origins("Lenarčič ohchr", True, (("detent", 0.3),), build_schema())
    terms = explained_terms(explanation, origins)
    assert [(t.field, t.term, t.score) for t in terms] == [
        ("content", "lenarc", 1.25), ("organisation", "ohchr", 1.0), ("content_fr", "lenarc", 0.5),
        ("content", "detent", 0.25)]
    assert [(t.written, t.via) for t in terms] == [("Lenarčič", "accent fold and stem"), ("ohchr", "organisation facet"),
                                                   ("Lenarčič", "accent fold and stem"), (None, "feedback")]
    assert explained_terms({"value": 1.0, "description": "x:hello x:world", "details": []}, origins) == ()
