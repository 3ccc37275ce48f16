"""Facet counting: documents, not sections; order; truncation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pytest
from whoosh import query as wq

from indexer.build import build_index
from indexer.fields import DATE_END, DATE_START, DOC_ID, KEYWORD_FIELDS, YEAR
from indexer.store.columns import FILE_PREFIX, SUFFIX, load_columns
from indexer.store.folder import open_index
from search.engine import search, stats
from search.facets import count_facets
from search.query import parse_query
from search.request import Filters, Match, SearchRequest, YearRange, make_filters
from search.results import FacetCount, SearchResult

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher


@pytest.fixture(scope="module")
def facet_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facets")
    corpus = root / "corpus"
    corpus.mkdir()
    long_text = "\n\n".join(f"Paragraph {i} about the WHO and the EU. " * 20 for i in range(5))
    (corpus / "long.txt").write_text("Long report\n\n1 March 2021\n\n" + long_text)
    (corpus / "who.txt").write_text("Short note\n\n2 March 2021\n\nThe WHO met.")
    (corpus / "eu.txt").write_text("EU note\n\n3 March 2020\n\nThe EU met the OSCE.")
    build_index(corpus, root / "index")
    return root / "index"


def every_document(index_dir: Path, searcher: Searcher) -> np.ndarray:
    """The numbers of the index's live documents."""
    columns = load_columns(index_dir, searcher.reader())
    return np.unique(columns.document[list(searcher.reader().all_doc_ids())])


def test_counts_are_of_documents(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        assert searcher.search(wq.Every(), limit=None).scored_length() > 3  # more sections than documents
        facets = count_facets(load_columns(facet_index, searcher.reader()), every_document(facet_index, searcher), ["organisation", "year"])
    assert facets["organisation"].counts == (FacetCount("EU", 2), FacetCount("WHO", 2), FacetCount("OSCE", 1))
    assert facets["year"].counts == (FacetCount(2020, 1), FacetCount(2021, 2))  # date order
    assert not facets["organisation"].truncated


def test_size_truncates(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        facets = count_facets(load_columns(facet_index, searcher.reader()), every_document(facet_index, searcher), ["organisation"], size=2)
    assert len(facets["organisation"].counts) == 2 and facets["organisation"].truncated


def test_documents_without_a_value_count_under_none(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        facets = count_facets(load_columns(facet_index, searcher.reader()), every_document(facet_index, searcher),
                              ["person", "organisation"])
    assert facets["person"].counts == (FacetCount("(none)", 3),)
    assert all(c.value != "(none)" for c in facets["organisation"].counts)  # every document names one


def groupedby_counts(searcher: Searcher, query: Query, name: str) -> dict[str | int, int]:
    """Whoosh's own facet grouping, turned into distinct-document counts: the reference."""
    from whoosh import sorting

    results = searcher.search(query, limit=None, groupedby={name: sorting.FieldFacet(name, allow_overlap=True)})
    doc_ids = searcher.reader().column_reader(DOC_ID)
    counts: dict[str | int, int] = {}
    valued: set[str] = set()
    for value, docnums in results.groups(name).items():
        if value is None or (name == "year" and not 0 < value <= 9999):
            continue
        key = value.decode() if isinstance(value, bytes) else value
        counts[key] = len({doc_ids[docnum] for docnum in docnums})
        valued |= {doc_ids[docnum] for docnum in docnums}
    missing = len({doc_ids[docnum] for docnum in results.docs()} - valued)
    return counts | ({"(none)": missing} if missing else {})


def column_counts(index_dir: Path, searcher: Searcher, query: Query, name: str) -> dict[str | int, int]:
    columns = load_columns(index_dir, searcher.reader())
    documents = np.unique(columns.document[sorted(searcher.search(query, limit=None).docs())])
    facet = count_facets(columns, documents, [name], size=10**6)[name]
    return {(c.value.lower() if isinstance(c.value, str) and c.value != "(none)" else c.value): c.count
            for c in facet.counts if c.count}


@pytest.fixture(scope="module")
def generated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 documents of 1-4 sections, random organisations, places and years, indexed in
    three runs so that the index has several segments."""
    import random

    rng = random.Random(7)
    orgs = ["OHCHR", "WHO", "the European Union", "OSCE", "UNICEF", "Amnesty International", "Council of Europe"]
    places = ["Ukraine", "Kenya", "Brazil", "France", "Myanmar"]
    words = "rights health vaccines elections monitoring freedom detention report".split()
    root = tmp_path_factory.mktemp("generated")
    corpus = root / "corpus"
    corpus.mkdir()
    for batch in range(3):
        for number in range(40):
            sections = []
            for heading in range(rng.randint(1, 4)):
                named = rng.sample(orgs, rng.randint(0, 3)) + rng.sample(places, rng.randint(0, 2))
                text = " ".join(rng.choices(words, k=30) + [f"The {name} spoke." for name in named])
                sections.append(f"## Part {heading}\n\n{text}")
            date = f"{rng.randint(1, 28)} June {rng.randint(2010, 2023)}" if rng.random() < 0.8 else ""
            (corpus / f"doc-{batch}-{number}.md").write_text(f"# Note {batch}-{number}\n\n{date}\n\n" + "\n\n".join(sections))
        build_index(corpus, root / "index")
    return root / "index"


@pytest.mark.parametrize("index_name", ["seed_index", "generated_index"])
@pytest.mark.parametrize("text", ["*", "rights", "health OR elections", "vaccines monitoring"])
def test_column_counts_equal_whoosh_groupedby(request: pytest.FixtureRequest, index_name: str, text: str) -> None:
    from search.query import parse_query
    from search.request import Match

    index_dir = request.getfixturevalue(index_name)
    with open_index(index_dir).searcher() as searcher:
        assert len(searcher.reader().segments()) > 1 or index_name == "seed_index"
        query = parse_query(text, Match.ALL, searcher.schema)
        for name in ("organisation", "year", "place", "person", "type"):
            assert column_counts(index_dir, searcher, query, name) == groupedby_counts(searcher, query, name)
        if index_name == "generated_index":
            assert len(column_counts(index_dir, searcher, query, "organisation")) >= 5
            assert max(column_counts(index_dir, searcher, query, "year").values()) > 1


def whoosh_filter(filters: Filters) -> Query:
    """The filters as Whoosh's own queries read them: the reference the columns must match."""
    from search.request import indexed_values

    parts: list[Query] = [wq.Or([wq.Term(name, value) for value in indexed_values(name, filters.selected(name))])
                          for name in KEYWORD_FIELDS if filters.selected(name)]
    if filters.years:
        parts.append(wq.Or([wq.NumericRange(YEAR, y.start, y.end) for y in filters.years]))
    if filters.date_from:
        parts.append(wq.NumericRange(DATE_END, int(filters.date_from.strftime("%Y%m%d")), None))
    if filters.date_to:
        parts.append(wq.NumericRange(DATE_START, None, int(filters.date_to.strftime("%Y%m%d"))))
    return wq.And(parts)


@pytest.mark.parametrize("filters", [
    Filters(date_from=dt.date(2015, 3, 1)), Filters(date_to=dt.date(2014, 12, 31)),
    Filters(date_from=dt.date(2016, 1, 1), date_to=dt.date(2018, 6, 30), organisations=("WHO",)),
    Filters(organisations=("ohchr",)), Filters(organisations=("WHO", "Amnesty")), Filters(places=("kenya", "France")),
    Filters(years=(YearRange(2012, 2015), YearRange(2020, 2020))), Filters(years=(YearRange(1, 2013),)),
    Filters(organisations=("European Union",), years=(YearRange(2015, 9999),), places=("Brazil",)),
    Filters(organisations=("nobody at all",)), Filters(languages=("en",), types=("press release",)),
])
def test_filters_read_from_columns_allow_what_whoosh_allows(generated_index: Path, filters: Filters) -> None:
    from search.facets import allowed_by, filter_masks

    with open_index(generated_index).searcher() as searcher:
        columns = load_columns(generated_index, searcher.reader())
        allowed = allowed_by(filter_masks(columns, filters))
        by_whoosh = set(columns.document[list(searcher.docs_for_query(whoosh_filter(filters)))].tolist())
        live = set(columns.document[list(searcher.reader().all_doc_ids())].tolist())
        assert set(np.flatnonzero(allowed).tolist()) & live == by_whoosh
        query = parse_query("rights", Match.ALL, searcher.schema)
        matched = searcher.search(query, filter=whoosh_filter(filters), limit=None).docs()
        expected = len(set(columns.document[sorted(matched)].tolist()))
    assert search(generated_index, SearchRequest("rights", filters=filters)).total_documents == expected


def test_a_segment_without_any_value_does_not_shift_the_others(tmp_path: Path) -> None:
    from search.engine import search
    from search.request import SearchRequest, Sort

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dated.txt").write_text("Dated note\n\n3 March 2020\n\nThe OSCE met on elections.")
    build_index(corpus, tmp_path / "index")
    (corpus / "undated.txt").write_text("Undated note\n\nSomeone met on elections.")  # no year, no organisation
    build_index(corpus, tmp_path / "index")
    (corpus / "later.txt").write_text("Later note\n\n4 May 2022\n\nThe WHO met on elections.")
    build_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index").searcher() as searcher:
        assert len(searcher.reader().segments()) == 3
    result = search(tmp_path / "index", SearchRequest("elections", sort=Sort.NEWEST))
    assert [h.doc_id for h in result.results] == ["later.txt", "dated.txt", "undated.txt"]
    assert {c.value: c.count for c in result.facets["year"].counts} == {2020: 1, 2021: 0, 2022: 1, "(none)": 1}
    assert {c.value: c.count for c in result.facets["organisation"].counts} == {"OSCE": 1, "WHO": 1, "(none)": 1}


def live_segments(index_dir: Path) -> set[str]:
    with open_index(index_dir).reader() as reader:
        return {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}


def test_columns_follow_changed_and_deleted_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    index_dir = tmp_path / "index"
    for number, org in enumerate(["OSCE", "WHO", "OHCHR", "UNICEF"]):
        (corpus / f"note-{number}.md").write_text(
            f"# Note {number}\n\n{number + 1} May 2019\n\n## One\n\nThe {org} met on elections.\n\n"
            f"## Two\n\nElections again, said the {org}.")
    build_index(corpus, index_dir)
    (corpus / "note-1.md").write_text("# Note 1\n\n2 June 2021\n\nThe OSCE met on elections.")  # WHO -> OSCE
    (corpus / "note-2.md").unlink()
    build_index(corpus, index_dir)
    (corpus / "note-9.md").write_text("# Note 9\n\n9 July 2023\n\nThe WHO met on elections.")
    build_index(corpus, index_dir)
    written = {p.name.removesuffix(SUFFIX) for p in index_dir.glob(f"*{SUFFIX}")}
    assert written == live_segments(index_dir) and len(written) > 1  # one file per live segment, no other
    with open_index(index_dir).searcher() as searcher:
        for text in ("*", "elections", "again"):
            query = parse_query(text, Match.ALL, searcher.schema)
            for name in ("organisation", "year"):
                assert column_counts(index_dir, searcher, query, name) == groupedby_counts(searcher, query, name)
    result = search(index_dir, SearchRequest("elections", facets=("organisation", "year")))
    assert result.total_documents == 4
    assert {c.value: c.count for c in result.facets["organisation"].counts} == {"OSCE": 2, "UNICEF": 1, "WHO": 1}
    assert {c.value: c.count for c in result.facets["year"].counts} == {2019: 2, 2020: 0, 2021: 1, 2022: 0, 2023: 1}
    assert stats(index_dir).documents == 4


def test_a_missing_column_file_is_made_again(facet_index: Path) -> None:
    for path in facet_index.glob(f"*{SUFFIX}"):
        path.unlink()
    result = search(facet_index, SearchRequest("met", facets=("organisation",)))
    assert {c.value: c.count for c in result.facets["organisation"].counts} == {"EU": 1, "OSCE": 1, "WHO": 1}
    assert {p.name.removesuffix(SUFFIX) for p in facet_index.glob(f"*{SUFFIX}")} == live_segments(facet_index)


def who_note_index(root: Path) -> tuple[Path, Path]:
    """A corpus of one note, and its index."""
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "who.txt").write_text("Short note\n\n2 March 2021\n\nThe WHO met.")
    build_index(corpus, root / "index")
    return corpus, root / "index"


def test_a_column_file_cut_short_is_made_again(tmp_path: Path) -> None:
    _, index_dir = who_note_index(tmp_path)
    (column_file,) = index_dir.glob(f"*{SUFFIX}")
    whole = column_file.read_bytes()
    column_file.write_bytes(whole[: len(whole) // 2])  # a zip without its directory
    result = search(index_dir, SearchRequest("met", facets=("organisation",)))
    assert {c.value: c.count for c in result.facets["organisation"].counts} == {"WHO": 1}
    with np.load(column_file) as saved:
        assert saved[f"{FILE_PREFIX}name"].tolist() == ["who.txt"]


def test_a_column_file_without_the_file_list_is_made_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(3):
        (corpus / f"note-{number}.md").write_text(f"# Note {number}\n\nThe OSCE met.\n\n## More\n\nElections.")
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    (column_file,) = index_dir.glob(f"*{SUFFIX}")
    with np.load(column_file) as saved:  # as an accord without the file list wrote it
        older = {key: saved[key] for key in saved.files if not key.startswith(FILE_PREFIX)}
    np.savez(column_file, **older)
    (corpus / "note-1.md").write_text("# Note 1\n\nThe WHO met.")
    report = build_index(corpus, index_dir)
    assert (report.updated, report.unchanged, report.documents) == (1, 2, 3)
    with np.load(column_file) as saved:
        assert saved[f"{FILE_PREFIX}name"].tolist() == ["note-0.md", "note-1.md", "note-2.md"]
        assert saved[f"{FILE_PREFIX}documents"].tolist() == [1, 1, 1]


def test_two_threads_making_one_column_file_leave_it_whole(tmp_path: Path) -> None:
    import threading

    from indexer.store.columns import _save

    path = tmp_path / f"segment{SUFFIX}"
    first, second = b"first " * 1000, b"second " * 1000

    def write_first(file: BinaryIO) -> None:  # the other thread makes the file while this one writes it
        file.write(first[:100])
        other = threading.Thread(target=_save, args=(path, lambda f: f.write(second)))
        other.start()
        other.join()
        file.write(first[100:])

    _save(path, write_first)
    assert path.read_bytes() == first
    assert not list(tmp_path.glob("*.tmp"))


def facet_search(index_dir: Path, chosen: dict, excluded: dict | None = None, **dates: str) -> SearchResult:
    filters = make_filters(chosen, excluded, dates.get("date_from"), dates.get("date_to"))
    return search(index_dir, SearchRequest("*", filters=filters, facets=("organisation", "year", "month")))


def counted(result: SearchResult, name: str) -> dict[str | int, tuple[int, bool]]:
    return {c.value: (c.count, c.selected) for c in result.facets[name].counts}


def test_a_chosen_value_leaves_the_others_of_its_field_counted(facet_index: Path) -> None:
    result = facet_search(facet_index, {"organisation": ["osce"]})
    assert [h.doc_id for h in result.results] == ["eu.txt"]
    assert counted(result, "organisation") == {"EU": (2, False), "WHO": (2, False), "OSCE": (1, True)}
    assert counted(result, "year") == {2020: (1, False)}  # the other fields count the results


def test_values_of_one_field_widen_and_fields_narrow(facet_index: Path) -> None:
    assert facet_search(facet_index, {"organisation": ["OSCE", "WHO"]}).total_documents == 3
    both = facet_search(facet_index, {"organisation": ["OSCE", "WHO"], "year": ["2021"]})
    assert sorted(h.doc_id for h in both.results) == ["long.txt", "who.txt"]
    assert counted(both, "year") == {2020: (1, False), 2021: (2, True)}
    assert counted(both, "organisation") == {"EU": (1, False), "WHO": (2, True), "OSCE": (0, True)}


def test_excluded_values_leave_documents_out(facet_index: Path) -> None:
    result = facet_search(facet_index, {}, {"organisation": ["who"]})
    assert [h.doc_id for h in result.results] == ["eu.txt"]
    assert counted(result, "organisation") == {"EU": (2, False), "WHO": (2, False), "OSCE": (1, False)}
    assert facet_search(facet_index, {}, {"year": ["2020..2021"]}).total_documents == 0
    assert facet_search(facet_index, {"year": ["2021"]}, {"month": ["2021-03"]}).total_documents == 0


def test_none_selects_documents_without_a_value(facet_index: Path) -> None:
    assert facet_search(facet_index, {"person": ["(none)"]}).total_documents == 3
    nobody = facet_search(facet_index, {"organisation": ["(none)"]})
    assert nobody.total_documents == 0 and counted(nobody, "organisation")["(none)"] == (0, True)
    assert facet_search(facet_index, {}, {"person": ["(none)"]}).total_documents == 0


def test_months_come_in_date_order_with_gaps_and_narrow(facet_index: Path) -> None:
    result = facet_search(facet_index, {"month": ["2021-03"]})
    months = counted(result, "month")
    assert list(months)[0] == "2020-03" and list(months)[-1] == "2021-03" and len(months) == 13
    assert months["2020-03"] == (1, False) and months["2021-03"] == (2, True) and months["2020-09"] == (0, False)
    assert sorted(h.doc_id for h in result.results) == ["long.txt", "who.txt"]


def test_a_year_alone_has_no_month(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "year.md").write_text("---\ndate: '2019'\n---\n# A note\n\nThe WHO met.")
    (corpus / "january.md").write_text("# Another\n\n1 January 2019\n\nThe WHO met.")
    build_index(corpus, tmp_path / "index")
    result = facet_search(tmp_path / "index", {})
    assert counted(result, "month") == {"2019-01": (1, False), "(none)": (1, False)}
    assert counted(result, "year") == {2019: (2, False)}


def test_dates_overlapping_the_period_pass(facet_index: Path) -> None:
    assert [h.doc_id for h in facet_search(facet_index, {}, date_from="2021-03-02").results] == ["who.txt"]
    assert sorted(h.doc_id for h in facet_search(facet_index, {}, date_to="2021-03-01").results) == ["eu.txt", "long.txt"]


def test_a_reader_of_a_replaced_commit_gets_no_columns_and_saves_none(tmp_path: Path) -> None:
    corpus, index_dir = who_note_index(tmp_path)
    with open_index(index_dir).reader() as old:
        (corpus / "eu.txt").write_text("EU note\n\n3 March 2020\n\nThe EU met the OSCE.")
        build_index(corpus, index_dir, rebuild=True)  # deletes the old segment's files
        with pytest.raises(FileNotFoundError, match="a commit replaced it"):
            load_columns(index_dir, old)
    assert {p.name.removesuffix(SUFFIX) for p in index_dir.glob(f"*{SUFFIX}")} == live_segments(index_dir)
