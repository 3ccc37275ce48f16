"""Facet counting: documents, not sections; order; truncation."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from indexer.build import build_index
from indexer.schema import DOC_ID
from indexer.store import open_index
from search.facets import FacetCount, count_facets


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


def first_records(searcher) -> dict[str, int]:  # noqa: ANN001
    found: dict[str, int] = {}
    for docnum in searcher.reader().all_doc_ids():
        found.setdefault(searcher.stored_fields(docnum)[DOC_ID], docnum)
    return found


def test_counts_are_of_documents(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        assert searcher.search(wq.Every(), limit=None).scored_length() > 3  # more sections than documents
        facets = count_facets(searcher, first_records(searcher).values(), ["organisation", "year"])
    assert facets["organisation"].counts == (FacetCount("EU", 2), FacetCount("WHO", 2), FacetCount("OSCE", 1))
    assert facets["year"].counts == (FacetCount(2021, 2), FacetCount(2020, 1))
    assert not facets["organisation"].truncated


def test_size_truncates(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        facets = count_facets(searcher, first_records(searcher).values(), ["organisation"], size=2)
    assert len(facets["organisation"].counts) == 2 and facets["organisation"].truncated


def test_documents_without_a_value_are_not_counted(facet_index: Path) -> None:
    with open_index(facet_index).searcher() as searcher:
        facets = count_facets(searcher, first_records(searcher).values(), ["person"])
    assert facets["person"].counts == ()
