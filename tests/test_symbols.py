"""UN document symbols: recognised in every series with their parts normalised, stored as a
facet, searched with symbol: and --cites, and linked both ways in `accord show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.metadata.symbols import find_symbols, normal_symbol
from indexer.store.folder import read_info
from search.engine import search, show
from search.request import SearchRequest, make_filters
from tests.helpers import accord


@pytest.mark.parametrize(("text", "symbols"), [
    ("the report A/HRC/52/3.", ("A/HRC/52/3",)),
    ("resolution A/RES/217(III) of 1948", ("A/RES/217(III)",)),
    ("resolution 2334 (S/RES/2334 (2016)), and", ("S/RES/2334(2016)",)),
    ("general comment CRC/C/GC/25 on the digital environment", ("CRC/C/GC/25",)),
    ("see E/CN.4/2005/L.10/Add.11; and", ("E/CN.4/2005/L.10/Add.11",)),
    ("CCPR/C/GC/37 on peaceful assembly", ("CCPR/C/GC/37",)),
    ("CEDAW/C/GC/38, CERD/C/GC/36 and CAT/C/GC/4", ("CEDAW/C/GC/38", "CERD/C/GC/36", "CAT/C/GC/4")),
    ("E/C.12/GC/24 and CRPD/C/GC/7 and CMW/C/GC/5 and CED/C/GC/1", ("E/C.12/GC/24", "CRPD/C/GC/7", "CMW/C/GC/5", "CED/C/GC/1")),
    ("the verbatim record A/73/PV.6).", ("A/73/PV.6",)),
    ("S/2024/123/Corr.1 and A/HRC/55/L.1/Rev.1 and ST/SGB/2003/13", ("S/2024/123/Corr.1", "A/HRC/55/L.1/Rev.1", "ST/SGB/2003/13")),
    ("HRI/GEN/1/Rev.9 and TD/B/C.I/53 and UNEP/EA.5/Res.14", ("HRI/GEN/1/Rev.9", "TD/B/C.I/53", "UNEP/EA.5/RES.14")),
    ("the A/B test, the A/70/ session, and the S/M sizes", ()),
])
def test_symbols_in_every_series(text: str, symbols: tuple[str, ...]) -> None:
    assert find_symbols(text) == symbols


def test_a_symbol_is_written_one_way() -> None:
    assert normal_symbol("a/hrc/52/3/add.1") == "A/HRC/52/3/Add.1"
    assert normal_symbol("S/RES/2334 (2016).") == "S/RES/2334(2016)"
    assert normal_symbol("A/70") is None


@pytest.fixture
def cited(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Report of the Special Rapporteur\n\nA/HRC/52/3\n\n"
                                       "The Special Rapporteur reports on torture.")
    (corpus / "release.txt").write_text("Rapporteur presents report\n\n3 March 2023\n\nThe OHCHR said the report "
                                        "(A/HRC/52/3) and resolution S/RES/2334 (2016) matter.")
    (corpus / "other.txt").write_text("Another note\n\n4 March 2023\n\nIt cites CRC/C/GC/25 only.")
    build_index(corpus, tmp_path / "index")
    return tmp_path / "index"


def test_symbols_are_a_facet_a_filter_and_a_field(cited: Path) -> None:
    facet = search(cited, SearchRequest("*", facets=("symbol",))).facets["symbol"].counts
    assert {c.value: c.count for c in facet} == {"A/HRC/52/3": 1, "S/RES/2334(2016)": 1, "CRC/C/GC/25": 1,
                                                 "(none)": 1}
    assert [h.doc_id for h in search(cited, SearchRequest("symbol:A/HRC/52/3")).results] == ["release.txt"]
    by_filter = search(cited, SearchRequest("*", filters=make_filters({"symbol": ["s/res/2334 (2016)"]})))
    assert [h.doc_id for h in by_filter.results] == ["release.txt"]
    data = json.loads(accord("search", "*", "--cites", "CRC/C/GC/25", "--json", "--index", cited).stdout)
    assert [h["doc_id"] for h in data["results"]] == ["other.txt"]


def test_show_links_citing_and_cited_documents(cited: Path) -> None:
    report = show(cited, "report.txt")
    assert report.document.metadata.translation == "A/HRC/52/3" and report.cited_by == ("release.txt",)
    assert report.document.metadata.symbols == ()  # its own symbol is not a citation
    data = json.loads(accord("show", "release.txt", "--json", "--index", cited).stdout)
    assert (data["cites"], data["cited_by"]) == (["A/HRC/52/3", "S/RES/2334(2016)"], [])
    printed = accord("show", "report.txt", "--index", cited).stdout
    assert "cited by  release.txt" in printed


def test_citations_follow_the_files_across_incremental_runs(cited: Path) -> None:
    corpus = Path(read_info(cited).corpus or "")
    (corpus / "follow-up.txt").write_text("Follow-up\n\n5 March 2023\n\nThe Council discussed A/HRC/52/3 again.")
    build_index(corpus, cited)
    assert show(cited, "report.txt").cited_by == ("follow-up.txt", "release.txt")
    (corpus / "release.txt").write_text("Rapporteur presents report\n\n3 March 2023\n\nNo symbol any more.")
    (corpus / "follow-up.txt").unlink()
    build_index(corpus, cited)
    assert show(cited, "report.txt").cited_by == ()
    assert [h.doc_id for h in search(cited, SearchRequest("*", filters=make_filters({"symbol": ["A/HRC/52/3"]}))).results] == []
