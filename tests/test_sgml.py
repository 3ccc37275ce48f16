"""SGML newswire files (Reuters-21578 and TREC layouts): each article is a document
with id FILE#ID, its title, date and categories as metadata. Run as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.convert.sgml import sgml_rows
from indexer.metadata.dates import DateSource, FoundDate, parse_date
from tests.helpers import accord

FIXTURES = Path(__file__).parent / "fixtures" / "sgml"


@pytest.fixture(scope="module")
def sgml_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sgml")
    shutil.copytree(FIXTURES, root / "wire")
    # Kept in the repository under a neutral suffix, so that no tracked file looks like a copy of
    # the shared Reuters .sgm files; indexed under the suffix Reuters files have.
    (root / "wire" / "newswire.reuters").rename(root / "wire" / "newswire.sgm")
    report = json.loads(accord("index", root / "wire", "--index", root / "ix", "--json").stdout)
    assert (report["added"], report["skipped"]) == (2, [])
    return root / "ix"


def run(*args: str) -> dict:
    return json.loads(accord(*args, "--json").stdout)


def test_every_article_is_a_document(sgml_index: Path) -> None:
    found = run("search", "*", "--index", str(sgml_index), "--limit", "50")
    assert sorted(hit["doc_id"] for hit in found["results"]) == [
        "newswire.sgm#11", "newswire.sgm#12", "newswire.sgm#13", "trec.sgml#WIRE-2001-0001", "trec.sgml#WIRE-2001-0002"]


def test_reuters_article_metadata_and_clean_text(sgml_index: Path) -> None:
    doc = run("show", "newswire.sgm#11", "--index", str(sgml_index))
    assert doc["title"] == "TANKER OPERATORS REVIEW NORTH SEA ROUTES"
    assert (doc["date"], doc["date_source"]) == ("1987-03-03", "metadata")
    assert doc["places"][:2] == ["South Africa", "Canada"]
    assert doc["organisations"][0] == "OECD" and doc["people"][0] == "Anna Keller"
    assert (doc["topics"], doc["dateline"]) == ("freight, ports", "HAMBURG, March 3")
    text = "\n\n".join(section["text"] for section in doc["sections"])
    assert text.startswith("Tanker operators in Hamburg are reviewing their North Sea routes after freight rates "
                           "fell <by a third> since January")
    assert "\n\nThe association said its members would meet in Münster" in text
    assert not any(ch in text for ch in "\x02\x03&")


def test_brief_and_unprocessed_articles_keep_their_words(sgml_index: Path) -> None:
    brief = run("show", "newswire.sgm#12", "--index", str(sgml_index))
    assert brief["title"] == "GRAIN BARGE TRAFFIC RESUMES ON THE RHINE"
    assert "GRAIN BARGE TRAFFIC" in brief["sections"][0]["text"]
    found = run("search", "Rotterdam container", "--index", str(sgml_index))
    assert [hit["doc_id"] for hit in found["results"]] == ["newswire.sgm#13"]
    assert found["results"][0]["date"] == "1987-03-05"


def test_trec_documents(sgml_index: Path) -> None:
    doc = run("show", "trec.sgml#WIRE-2001-0001", "--index", str(sgml_index))
    assert (doc["title"], doc["date"]) == ("Inspectors visit detention centres", "2001-06-14")
    text = doc["sections"][0]["text"]
    assert "three detention centres on Wednesday.\n\nTheir report" in text and "<P>" not in text


def test_facets_by_place_and_year(sgml_index: Path) -> None:
    found = run("search", "*", "--index", str(sgml_index), "--facet", "place", "--facet", "year")
    years = {row["value"]: row["count"] for row in found["facets"]["year"]}
    assert {year: count for year, count in years.items() if count} == {1987: 3, 2001: 2}
    assert list(years) == list(range(1987, 2002))
    assert {"South Africa", "Netherlands"} <= {row["value"] for row in found["facets"]["place"]}


def test_a_file_without_articles_gives_no_rows() -> None:
    assert list(sgml_rows("<html><body>Not a newswire file</body></html>")) == []


def test_day_month_year_with_hyphens() -> None:
    assert parse_date("26-FEB-1987 15:01:01.79") == FoundDate("1987-02-26", 1987, DateSource.METADATA)
