"""Searching a small index: grouping, ranking, filters, fallback, sorting, paging, show, stats."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from search.engine import DocumentNotFound, search, show, stats
from search.rank.matching import FALLBACK_NOTICE
from search.request import Filters, Match, SearchRequest, Sort, YearRange
from search.results import SearchResult
from tests.helpers import ALLIANCE, EU_DIALOGUE, JOINT_DECLARATION

DOCS = {
    "vaccines.txt": "Vaccines for everyone\n\n01.03.2021 - Press release\n\n"
                    "The WHO called for equitable access to vaccines and diagnostics.",
    "report.md": "# Immunisation report\n\n12 May 2019\n\nThe OHCHR reviewed national immunisation campaigns.\n\n"
                 "## Annex\n\nMore detail on immunisation in prisons.",
    "climate.txt": "Undated note\n\nThe Human Rights Council held a dialogue on climate change and the rights of women.",
    "dialogue.txt": "EU and OHCHR dialogue\n\n5 July 2021\n\nThe European Union and the UN Human Rights Office "
                    "discussed human rights and cooperation. Commissioner Janez Lenarčič attended.",
}


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index(corpus, root / "index")
    return root / "index"


def ids(result: SearchResult) -> list[str]:
    return [hit.doc_id for hit in result.results]


def test_sections_are_grouped_by_document(small_index: Path) -> None:
    result = search(small_index, SearchRequest("immunisation"))
    assert ids(result) == ["report.md"]
    assert result.total_documents == 1 and result.total_sections == 2
    hit = result.results[0]
    assert [s.section_id for s in hit.sections] == ["report.md#0", "report.md#1"]
    assert hit.score == hit.sections[0].score >= hit.sections[1].score


def test_stems_match(small_index: Path) -> None:
    assert ids(search(small_index, SearchRequest("vaccine"))) == ["vaccines.txt"]
    assert ids(search(small_index, SearchRequest("immunisations"))) == ["report.md"]


def test_accents_fold(small_index: Path) -> None:
    result = search(small_index, SearchRequest("Lenarcic"))
    assert ids(result) == ["dialogue.txt"]
    snippet = result.results[0].sections[0].snippet
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["Lenarčič"]


def test_phrases(small_index: Path) -> None:
    assert ids(search(small_index, SearchRequest('"human rights office"'))) == ["dialogue.txt"]
    assert ids(search(small_index, SearchRequest('"rights human"', match=Match.ALL))) == []


def test_boolean_operators(small_index: Path) -> None:
    assert set(ids(search(small_index, SearchRequest("rights NOT climate")))) == {"dialogue.txt"}
    assert set(ids(search(small_index, SearchRequest("climate OR diagnostics")))) == {"climate.txt", "vaccines.txt"}


def test_title_outranks_body(small_index: Path) -> None:
    assert ids(search(small_index, SearchRequest("dialogue"))) == ["dialogue.txt", "climate.txt"]


def test_no_document_with_every_word_falls_back_to_any(small_index: Path) -> None:
    result = search(small_index, SearchRequest("vaccines climate"))
    assert result.match is Match.ANY and result.notice == FALLBACK_NOTICE
    assert set(ids(result)) == {"vaccines.txt", "climate.txt"}


def test_explicit_match_all_never_falls_back(small_index: Path) -> None:
    result = search(small_index, SearchRequest("vaccines climate", match=Match.ALL))
    assert result.total_documents == 0 and result.notice is None


def test_no_match_at_all_is_not_an_error(small_index: Path) -> None:
    result = search(small_index, SearchRequest("unicorns dragons"))
    assert (result.total_documents, result.match, result.notice) == (0, Match.ALL, None)


def test_match_any_ranks_documents_with_more_words_higher(small_index: Path) -> None:
    result = search(small_index, SearchRequest("equitable vaccines prisons", match=Match.ANY))
    assert ids(result)[0] == "vaccines.txt"


def test_facets_count_documents_not_sections(small_index: Path) -> None:
    result = search(small_index, SearchRequest("*", facets=("organisation", "year", "type")))
    organisations = {c.value: c.count for c in result.facets["organisation"].counts}
    assert organisations["OHCHR"] == 2 and organisations["WHO"] == 1
    assert {c.value: c.count for c in result.facets["year"].counts} == {2019: 1, 2020: 0, 2021: 2, "(none)": 1}
    assert [c.value for c in result.facets["year"].counts] == [2019, 2020, 2021, "(none)"]  # date order
    assert result.total_documents == 4 and result.total_sections > 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(organisations=("UN Human Rights Office",)), {"report.md", "dialogue.txt"}),
        (Filters(organisations=("world health organization", "Human Rights Council")), {"vaccines.txt", "climate.txt"}),
        (Filters(years=(YearRange(2021, 2021),)), {"vaccines.txt", "dialogue.txt"}),
        (Filters(years=(YearRange(2010, 2019),)), {"report.md"}),
        (Filters(date_from=dt.date(2021, 3, 1), date_to=dt.date(2021, 3, 1)), {"vaccines.txt"}),
        (Filters(date_from=dt.date(2021, 3, 2)), {"dialogue.txt"}),
        (Filters(people=("janez lenarčič",)), {"dialogue.txt"}),
        (Filters(types=("Press Release",)), {"vaccines.txt"}),
        (Filters(organisations=("OHCHR",), years=(YearRange(2021, 2021),)), {"dialogue.txt"}),
    ],
)
def test_filters(small_index: Path, filters: Filters, expected: set[str]) -> None:
    assert set(ids(search(small_index, SearchRequest("*", filters=filters)))) == expected


def test_sort_by_date_puts_undated_last(small_index: Path) -> None:
    newest = search(small_index, SearchRequest("*", sort=Sort.NEWEST))
    oldest = search(small_index, SearchRequest("*", sort=Sort.OLDEST))
    assert ids(newest) == ["dialogue.txt", "vaccines.txt", "report.md", "climate.txt"]
    assert ids(oldest) == ["report.md", "vaccines.txt", "dialogue.txt", "climate.txt"]


def test_pages(small_index: Path) -> None:
    every = ids(search(small_index, SearchRequest("*", sort=Sort.NEWEST, limit=4)))
    pages = [ids(search(small_index, SearchRequest("*", sort=Sort.NEWEST, limit=3, page=p))) for p in (1, 2, 3)]
    assert pages == [every[:3], every[3:], []]


def test_best_three_sections_or_all(seed_index: Path) -> None:
    default = search(seed_index, SearchRequest("rights", filters=Filters(organisations=("ODIHR",))))
    every = search(seed_index, SearchRequest("rights", filters=Filters(organisations=("ODIHR",)), all_sections=True))
    assert len(default.results[0].sections) <= 3
    assert len(every.results[0].sections) == every.results[0].matching_sections


def test_seed_acceptance_queries(seed_index: Path) -> None:
    assert ids(search(seed_index, SearchRequest("vaccines")))[0] == ALLIANCE
    result = search(seed_index, SearchRequest("human rights", filters=Filters(organisations=("UN Human Rights Office",))))
    assert set(ids(result)) == {EU_DIALOGUE, JOINT_DECLARATION}


def test_show_returns_the_stored_document(seed_index: Path) -> None:
    doc = show(seed_index, JOINT_DECLARATION).document
    assert doc.metadata.people == ("Navi Pillay", "Janez Lenarčič")
    assert [s.position for s in doc.sections] == list(range(len(doc.sections)))
    with pytest.raises(DocumentNotFound):
        show(seed_index, "missing.txt")


def test_stats(seed_index: Path) -> None:
    result = stats(seed_index)
    assert result.documents == 3 and result.sections >= 3 and result.index_bytes > 0
    assert result.facet_values["year"] == 3 and result.facet_values["organisation"] > 10


def prison_index(root: Path) -> tuple[Path, Path]:
    """A folder of one note, and its index."""
    docs = root / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The Special Rapporteur visited the prison.", encoding="utf-8")
    build_index(docs, root / "index")
    return docs, root / "index"


def test_searches_in_one_process_see_every_change_to_the_index(tmp_path: Path) -> None:
    from search.searcher import SHARED_SEARCHERS

    docs, index_dir = prison_index(tmp_path)
    assert search(index_dir, SearchRequest("prison")).total_documents == 1
    (docs / "b.txt").write_text("Prison conditions were inhumane.", encoding="utf-8")
    build_index(docs, index_dir)
    assert search(index_dir, SearchRequest("prison")).total_documents == 2
    shutil.rmtree(index_dir)
    (docs / "a.txt").unlink()
    build_index(docs, index_dir)  # a new index in the same folder
    assert [hit.doc_id for hit in search(index_dir, SearchRequest("prison")).results] == ["b.txt"]
    others = []
    for n in range(SHARED_SEARCHERS + 2):  # more indexes than a process keeps open
        others.append(tmp_path / f"index-{n}")
        build_index(docs, others[-1])
        assert search(others[-1], SearchRequest("inhumane")).total_documents == 1
    assert search(index_dir, SearchRequest("inhumane")).total_documents == 1


def test_a_settled_index_is_not_listed_again_and_its_next_commit_is_seen(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from whoosh.searching import Searcher

    docs, index_dir = prison_index(tmp_path)
    listed: list[int] = []
    up_to_date = Searcher.up_to_date
    monkeypatch.setattr(Searcher, "up_to_date", lambda self: listed.append(1) or up_to_date(self))
    assert search(index_dir, SearchRequest("prison")).total_documents == 1
    assert search(index_dir, SearchRequest("prison")).total_documents == 1
    assert listed  # just written: its folder's mtime may yet share a tick with a commit
    settled = dt.datetime.now().timestamp() - 60
    os.utime(index_dir, (settled, settled))
    assert search(index_dir, SearchRequest("prison")).total_documents == 1  # another state: opened again
    listed.clear()
    assert search(index_dir, SearchRequest("prison")).total_documents == 1
    assert not listed
    (docs / "b.txt").write_text("Prison conditions were inhumane.", encoding="utf-8")
    build_index(docs, index_dir)
    assert search(index_dir, SearchRequest("prison")).total_documents == 2


@pytest.mark.parametrize(("asked", "overtaken_in", "answer"), [
    ("search", "load_columns", ["a.txt", "b.txt"]), ("search", "find_matches", ["a.txt", "b.txt"]),
    ("show", "load_columns", "a.txt"), ("stats", "load_columns", 2)])
def test_work_a_commit_overtakes_is_done_again_on_the_new_commit(asked: str, overtaken_in: str, answer: object,
                                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search import engine

    docs, index_dir = prison_index(tmp_path)
    step, calls = getattr(engine, overtaken_in), []

    def overtaken(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:  # a rebuild commits midway, deleting the files being read
            (docs / "b.txt").write_text("Prison conditions were inhumane.", encoding="utf-8")
            build_index(docs, index_dir, rebuild=True)
        return step(*args, **kwargs)

    monkeypatch.setattr(engine, overtaken_in, overtaken)
    answers = {
        "search": lambda: sorted(hit.doc_id for hit in search(index_dir, SearchRequest("prison")).results
                                 if all(section.snippet.text for section in hit.sections)),
        "show": lambda: show(index_dir, "a.txt").document.doc_id,
        "stats": lambda: stats(index_dir).documents,
    }
    assert answers[asked]() == answer
    assert len(calls) == 2  # the first reading failed, and was done again on the new commit
