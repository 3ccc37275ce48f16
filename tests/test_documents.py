"""Parsing a file into a Document, and what makes a file unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.documents import Document, content_hash, load, parse
from indexer.sources import Format, RawFile, Skipped, walk
from tests.helpers import FileFactory


def parsed(path: Path, fmt: Format = Format.TEXT) -> Document | Skipped:
    result = parse(RawFile(path, path.name, fmt, path.read_bytes(), 0))
    if isinstance(result, Skipped):
        return result
    (document,) = result
    return document


def test_a_latin1_file_reads_correctly(make_file: FileFactory) -> None:
    path = make_file("geneve.txt", "Déclaration conjointe signée à Genève le 12 juin 2014.".encode("latin-1"))
    doc = parsed(path)
    assert isinstance(doc, Document)
    assert "Genève" in doc.sections[0].text


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"  \n\t\n", "empty file"), (b"\x00\x01\x02binary\x00" * 10, "binary"),
     (b"<html><body><nav>only a menu</nav></body></html>", "no text left")],
)
def test_unusable_files_are_skipped_with_a_reason(make_file: FileFactory, content: bytes, reason: str) -> None:
    path = make_file("bad.html", content)
    result = parsed(path, Format.HTML)
    assert isinstance(result, Skipped)
    assert reason in result.reason
    assert result.path == str(path)


def test_deeply_nested_html_is_skipped_not_crashing(make_file: FileFactory) -> None:
    path = make_file("deep.html", "<div>" * 10_000 + "text" + "</div>" * 10_000)
    result = parsed(path, Format.HTML)
    assert isinstance(result, (Document, Skipped))
    if isinstance(result, Skipped):
        assert "nested" in result.reason


def test_load_reads_and_parses(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.md", "# Title\n\nSome text about the EU.")
    (source,) = walk(tmp_path / "docs")
    (doc,) = load(source)
    assert doc.doc_id == doc.file == "a.md"
    assert doc.content_hash == content_hash(b"# Title\n\nSome text about the EU.")
    assert doc.metadata.organisations == ("EU",)
