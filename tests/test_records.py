"""Files of records: each record a document with id FILE#ID, and its fields as metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.convert.records import RecordsError, read_records
from indexer.documents import Document, parse
from indexer.metadata.dates import DateSource
from indexer.sources import Format, RawFile, Skipped
from search.engine import search, show
from search.request import Filters, SearchRequest

JSONL = "\n".join(json.dumps(r) for r in [
    {"_id": "a1", "title": "Vaccines for all", "text": "The WHO called for equitable access to vaccines.",
     "date": "2021-03-01", "source": "WORLD HEALTH ORGANIZATION", "url": "https://example.org/a1"},
    {"_id": "b2", "title": "Media freedom", "text": "Journalists must be protected.", "creators": ["Smith, Anna"],
     "country": "Russian Federation", "type": "Statement"},
    {"_id": "c3", "title": "No text"},
])


def parsed(name: str, content: str, tmp_path: Path) -> list[Document] | Skipped:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return parse(RawFile(path, name, Format.RECORDS, path.read_bytes(), 0))


def test_jsonl_records_become_documents(tmp_path: Path) -> None:
    first, second = parsed("corpus.jsonl", JSONL, tmp_path)
    assert (first.doc_id, first.file, second.doc_id) == ("corpus.jsonl#a1", "corpus.jsonl", "corpus.jsonl#b2")
    assert first.metadata.title == "Vaccines for all"
    assert (first.metadata.date, first.metadata.date_source) == ("2021-03-01", DateSource.METADATA)
    assert first.metadata.organisations == ("WHO",)
    assert dict(first.metadata.extra) == {"url": "https://example.org/a1"}
    assert second.metadata.people == ("Anna Smith",)
    assert second.metadata.places == ("Russia",)
    assert second.metadata.doc_type == "statement"
    assert first.warnings == ("1 record without text skipped (id c3)",) and second.warnings == ()


def test_json_array_and_csv(tmp_path: Path) -> None:
    docs = parsed("items.json", json.dumps({"items": [{"id": 7, "body": "The OSCE observed."}]}), tmp_path)
    assert [d.doc_id for d in docs] == ["items.json#7"]
    rows = parsed("table.csv", "title,text,year\nFirst,The EU spoke.,2019\nSecond,The UN spoke.,2020\n", tmp_path)
    assert [(d.doc_id, d.metadata.title, d.metadata.year) for d in rows] == [
        ("table.csv#1", "First", 2019), ("table.csv#2", "Second", 2020)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [("bad.jsonl", '{"text": "ok"}\nnot json\n', "line 2 is not valid JSON"),
     ("dup.jsonl", '{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', "appears twice"),
     ("plain.csv", "a,b\n1,2\n", "no text column"),
     ("scalar.json", "42", "neither records")],
)
def test_unreadable_record_files_are_skipped(tmp_path: Path, name: str, content: str, reason: str) -> None:
    result = parsed(name, content, tmp_path)
    assert isinstance(result, Skipped) and reason in result.reason


def test_read_records_rejects_non_objects() -> None:
    with pytest.raises(RecordsError, match="record 1 is not an object"):
        list(read_records("[1, 2]", ".json"))


def test_records_are_indexed_searched_shown_and_updated_as_one_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.jsonl").write_text(JSONL)
    report = build_index(corpus, tmp_path / "ix")
    assert (report.added, report.documents) == (1, 2)
    result = search(tmp_path / "ix", SearchRequest("vaccines", filters=Filters(organisations=("who",))))
    assert [hit.doc_id for hit in result.results] == ["corpus.jsonl#a1"]
    assert show(tmp_path / "ix", "corpus.jsonl#b2").document.metadata.places == ("Russia",)
    (corpus / "corpus.jsonl").write_text(JSONL.splitlines()[0])
    report = build_index(corpus, tmp_path / "ix")
    assert (report.updated, report.documents) == (1, 1)
    assert search(tmp_path / "ix", SearchRequest("*")).total_documents == 1


@pytest.mark.parametrize(("url", "publisher"), [
    ("https://www.hrw.org/news/2024/01/16/kyrgyzstan", "Human Rights Watch"),
    ("https://ec.europa.eu/commission/presscorner/detail/en/ip_21_1", "European Commission"),
    ("https://www.eeas.europa.eu/eeas/statement", "EEAS"),
    ("https://europa.eu/newsroom", "EU"),
    ("https://hrw.org.example.com/page", None),
    ("not a web address", None),
])
def test_the_web_site_of_a_records_url_names_its_publisher(tmp_path: Path, url: str, publisher: str | None) -> None:
    (doc,) = parsed("items.jsonl", json.dumps({"id": 1, "text": "A statement on detention.", "url": url}), tmp_path)
    assert doc.metadata.organisations == ((publisher,) if publisher else ())
    assert dict(doc.metadata.extra)["url"] == url
