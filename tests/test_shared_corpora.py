"""The real-world corpora in ../shared, read in place (a few files copied to a temporary
folder per test): web pages saved as .txt, front matter, years in file names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.metadata.dates import DateSource
from search.engine import search, show
from search.request import Filters, SearchRequest, YearRange
from tests.helpers import SHARED

pytestmark = pytest.mark.shared
CORPORA = SHARED / "corpora"


def source_rows(corpus: str, count: int) -> list[dict]:
    lines = (CORPORA / corpus / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:: max(1, len(lines) // count)][:count]]


def index_rows(corpus: str, rows: list[dict], tmp_path: Path) -> Path:
    for row in rows:
        target = tmp_path / "docs" / Path(row["file"]).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPORA / corpus / row["file"], target)
    report = build_index(tmp_path / "docs", tmp_path / "index")
    assert report.added == len(rows) and report.skipped == ()
    return tmp_path / "index"


def test_amnesty_pages_saved_as_text_are_read_as_web_pages(tmp_path: Path) -> None:
    rows = source_rows("amnesty-search-html", 4)
    index = index_rows("amnesty-search-html", rows, tmp_path)
    for row in rows:
        doc = show(index, Path(row["file"]).name).document
        assert doc.metadata.year == row["query_year"] and "Amnesty International" in doc.metadata.organisations
        assert doc.metadata.title == row["html_title"].rsplit(" - ", 1)[0]
        text = " ".join(s.text for s in doc.sections)
        assert "<div" not in text and "</" not in text and "Skip to main content" not in text


def test_trove_press_releases_facet_by_issuing_office_and_year(tmp_path: Path) -> None:
    rows = source_rows("trove-pressreleases-refugees", 6)
    index = index_rows("trove-pressreleases-refugees", rows, tmp_path)
    for row in rows:
        meta = show(index, Path(row["file"]).name).document.metadata
        assert (meta.title, meta.date, meta.date_source) == (row["title"], row["date"], DateSource.METADATA)
    facets = search(index, SearchRequest("*", facets=("organisation", "year"), limit=10)).facets
    assert {c.value for c in facets["year"].counts if c.count} == {int(row["date"][:4]) for row in rows}
    assert sum(c.count for c in facets["organisation"].counts) >= len(rows)


def test_general_debate_speeches_take_their_year_from_the_file_name(tmp_path: Path) -> None:
    rows = source_rows("ungdc-2014-2024", 5)
    index = index_rows("ungdc-2014-2024", rows, tmp_path)
    for row in rows:
        assert show(index, Path(row["file"]).name).document.metadata.year == row["year"]
    year = rows[0]["year"]
    found = search(index, SearchRequest("*", filters=Filters(years=(YearRange(year, year),))))
    assert found.total_documents == sum(row["year"] == year for row in rows)


def test_udhr_pages_and_xml_files_are_faceted_under_their_real_languages(tmp_path: Path) -> None:
    rows = source_rows("udhr-6lang", 100)
    index = index_rows("udhr-6lang", rows, tmp_path)  # every page declares <html lang="en">
    for row in rows:
        assert show(index, Path(row["file"]).name).document.metadata.language == row["lang"].split("-")[0]
    counts = search(index, SearchRequest("*", facets=("language",))).facets["language"].counts
    assert {c.value: c.count for c in counts} == {"ar": 2, "en": 2, "es": 2, "fr": 2, "ru": 2, "zh": 4}
    for row in rows:
        if row["format"] == "xml":
            assert show(index, Path(row["file"]).name).document.metadata.title == row["title"]


def test_udhr_sections_take_the_language_of_their_text(tmp_path: Path) -> None:
    rows = [row for row in source_rows("udhr-6lang", 100) if row["file"].startswith("html/")]
    index = index_rows("udhr-6lang", rows, tmp_path)
    for row in rows:
        doc = show(index, Path(row["file"]).name).document
        long = [s for s in doc.sections if len(s.text.split()) >= 20 or row["lang"] == "zh" and len(s.text) >= 40]
        assert long and all(s.language == row["lang"] for s in long), row["file"]


def test_sdg_translations_are_linked_and_shown_once(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (CORPORA / "sdg-6lang" / "metadata.jsonl").read_text(encoding="utf-8")
            .splitlines()]
    chosen = [row for row in rows if row["kind"] == "target" and row["goal"] == 16]  # 12 targets x 6 languages
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "targets.jsonl").write_text("".join(
        json.dumps({"id": f"{row['lang']}/{row['key']}", "text": row["text"], "parallel_id": row["parallel_id"]},
                   ensure_ascii=False) + "\n" for row in chosen), encoding="utf-8")
    index = tmp_path / "index"
    build_index(folder, index)
    languages = search(index, SearchRequest("*", facets=("language",))).facets["language"]
    assert {c.value: c.count for c in languages.counts} == {lang: 12 for lang in ("ar", "en", "es", "fr", "ru", "zh")}
    russian = next(row for row in chosen if row["lang"] == "ru" and row["sdg_id"] == "16.2")
    found = search(index, SearchRequest("пыток детей", one_per_text=True))
    assert found.results[0].doc_id == f"targets.jsonl#ru/{russian['key']}"
    shared = show(index, found.results[0].doc_id).document.metadata.translation
    assert shared == russian["parallel_id"]


def test_reuters_newswire_articles_are_all_indexed_with_their_dates(tmp_path: Path) -> None:
    import datetime as dt
    import re

    source = CORPORA / "reuters21578" / "reut2-021.sgm"
    (tmp_path / "wire").mkdir()
    shutil.copyfile(source, tmp_path / "wire" / source.name)
    report = build_index(tmp_path / "wire", tmp_path / "index")
    assert report.added == 1 and report.skipped == ()
    articles = re.findall(r'NEWID="(\d+)">\s*<DATE>\s*([^<. ]+)', source.read_bytes().decode("latin-1"))
    found = search(tmp_path / "index", SearchRequest("*", facets=("year",), limit=1))
    assert found.total_documents == len(articles) == 578
    assert [(c.value, c.count) for c in found.facets["year"].counts] == [(1987, 578)]
    for newid, day in articles[::50]:
        meta = show(tmp_path / "index", f"{source.name}#{newid}").document.metadata
        assert meta.date == dt.datetime.strptime(day, "%d-%b-%Y").date().isoformat()
