"""Rendering: terminal text at a fixed width (golden files), JSON shape, CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from indexer.build import build_index
from search import render
from search.engine import search, show
from search.request import SearchRequest
from tests.helpers import ALLIANCE, EU_DIALOGUE, FIXTURES, ROOT


@pytest.fixture(autouse=True)
def in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in results are relative to the current folder


def plain(print_function: Callable[[Console, Any], None], value: Any) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None, highlight=False)
    print_function(console, value)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"


def test_search_golden(seed_index: Path) -> None:
    expected = (FIXTURES / "render" / "search-vaccines.txt").read_text(encoding="utf-8")
    assert plain(render.print_search, search(seed_index, SearchRequest("vaccines"))) == expected


def test_show_golden(tmp_path: Path) -> None:
    build_index(FIXTURES / "render" / "source", tmp_path / "index")
    expected = (FIXTURES / "render" / "show-observers-statement.txt").read_text(encoding="utf-8")
    assert plain(render.print_document, show(tmp_path / "index", "observers-statement.md")) == expected


@pytest.mark.parametrize("width", [60, 80, 120])
def test_search_lines_end_at_their_last_word_at_every_width(seed_index: Path, width: int) -> None:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    render.print_search(console, search(seed_index, SearchRequest("human rights", all_sections=True, explain=True)))
    lines = console.file.getvalue().splitlines()
    assert len(lines) > 30 and max(len(line) for line in lines) <= width
    assert [line for line in lines if line.endswith(" ")] == []


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_shown_document_s_lines_end_at_their_last_word_at_every_width(seed_index: Path, width: int) -> None:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    render.print_document(console, show(seed_index, EU_DIALOGUE))
    lines = console.file.getvalue().splitlines()
    assert len(lines) > 30 and max(len(line) for line in lines) <= width
    assert [line for line in lines if line.endswith(" ")] == []


def test_highlights_are_styled_by_offset(seed_index: Path) -> None:
    console = Console(file=io.StringIO(), width=200, color_system="standard", force_terminal=True)
    render.print_search(console, search(seed_index, SearchRequest("vaccines")))
    assert "\x1b[1;7mvaccines\x1b[0m" in console.file.getvalue()


def test_brackets_in_text_are_not_markup() -> None:
    from indexer.metadata.dates import DateSource
    from indexer.metadata.model import Metadata
    from search.request import Match
    from search.results import DocumentHit, SearchResult, SectionHit, Snippet

    meta = Metadata("[bold]Not markup[/bold] [1]", None, DateSource.NONE, None, (), (), (), None, None)
    hit = DocumentHit("a.txt", "a.txt", meta, 1.0, (SectionHit("a.txt#0", None, 1.0, Snippet("see [1] and [red]x", ((4, 7),))),), 1)
    result = SearchResult("q", Match.ALL, 1, 10, 1, 1, 1, (hit,), {})
    output = plain(render.print_search, result)
    assert "[bold]Not markup[/bold] [1]" in output and "see [1] and [red]x" in output


def test_json_follows_the_contract(seed_index: Path) -> None:
    data = json.loads(render.to_json(render.search_dict(search(seed_index, SearchRequest("vaccines")))))
    assert list(data) == ["query", "match", "page", "limit", "total_documents", "total_sections", "total_texts",
                          "results", "facets", "suggestion", "notice"]
    (hit,) = data["results"]
    assert list(hit) == ["doc_id", "path", "issuer", "issuer_source", "title", "title_source", "date", "date_source",
                         "date_precision", "year", "organisations", "people", "places", "type", "language", "score",
                         "sections", "copies"]
    assert (hit["issuer"], hit["issuer_source"], hit["date_precision"]) == ([], "none", "day")
    assert hit["doc_id"] == ALLIANCE and hit["path"] == f"corpus/{ALLIANCE}"
    section = hit["sections"][0]
    assert list(section) == ["section_id", "heading", "score", "snippet", "highlights"]
    assert [section["snippet"][s:e] for s, e in section["highlights"]] == ["vaccines"]
    assert data["facets"]["year"] == [{"value": 2021, "count": 1}]


def test_csv_has_one_row_per_document(seed_index: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(render.search_csv(search(seed_index, SearchRequest("rights"))))))
    assert [int(r["rank"]) for r in rows] == [1, 2, 3]
    assert all(r["section_id"].startswith(r["doc_id"] + "#") for r in rows)


def test_show_json(seed_index: Path) -> None:
    data = render.document_dict(show(seed_index, EU_DIALOGUE))
    assert data["people"] == ["Michelle Bachelet", "Eamon Gilmore"]
    assert [s["section_id"] for s in data["sections"]] == [f"{EU_DIALOGUE}#{i}" for i in range(len(data["sections"]))]


@pytest.mark.parametrize("width", [50, 80, 120])
def test_long_facet_values_fit_the_terminal_with_their_bars(width: int) -> None:
    from search.results import FacetCount, FacetResult

    offices = ["Shadow Minister for Immigration and Border Protection", "UNHCR",
               "Minister for Immigration and Multicultural Affairs"]
    facets = {"organisation": FacetResult("organisation", tuple(FacetCount(o, 120 - i) for i, o in enumerate(offices)),
                                          False)}
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    render.print_facets(console, facets)
    lines = console.file.getvalue().splitlines()[2:]
    assert len(lines) == 3 and all(len(line.rstrip()) <= width and "█" in line for line in lines)
    assert [line.rstrip().endswith(str(120 - i)) for i, line in enumerate(lines)] == [True] * 3
    cut = [line for line in lines if "…" in line]
    assert bool(cut) == (width < 80) and "UNHCR" in lines[1]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_long_path_never_pushes_the_score_onto_a_line_of_its_own(width: int) -> None:
    from indexer.metadata.dates import DateSource
    from indexer.metadata.model import Metadata
    from search.request import Match
    from search.results import DocumentHit, SearchResult, SectionHit, Snippet

    long_path = "/work/shared/corpora/trove-pressreleases-refugees/texts/" + "x" * 90 + "-ludlam-211338282.txt"
    meta = Metadata("A title", "2010-05-07", DateSource.EXPLICIT, 2010, (), (), (), None, None)
    hit = DocumentHit(f"texts/{'x' * 90}-ludlam-211338282.txt", long_path, meta, 20.78,
                      (SectionHit("a#0", None, 1.0, Snippet("some text", ())),), 1)
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    render.print_search(console, SearchResult("q", Match.ALL, 1, 10, 1, 1, 1, (hit,), {}))
    lines = console.file.getvalue().splitlines()
    (line,) = [line for line in lines if "score 20.78" in line]
    assert "…" in line and line.strip().endswith("-ludlam-211338282.txt  score 20.78") and len(line) <= width
    assert render.fitted_path("corpus/a.txt", "a.txt", 40) == "corpus/a.txt"
    assert render.fitted_path("/very/long/folder/corpus/a.txt", "a.txt", 12) == "a.txt"
