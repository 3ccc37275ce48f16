"""Walking a corpus folder, reading files and decoding their bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer import sources
from indexer.sources import DecodeError, Format, Skipped, SourceFile, decode, display_path, read, walk
from tests.helpers import FileFactory


def found(root: Path, **kwargs: object) -> tuple[list[str], list[Skipped]]:
    items = list(walk(root, **kwargs))
    return [i.doc_id for i in items if isinstance(i, SourceFile)], [i for i in items if isinstance(i, Skipped)]


def test_walk_finds_supported_files_recursively_in_order(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("b.txt", "b")
    make_file("sub/a.md", "a")
    make_file("sub/deeper/page.HTML", "<p>x</p>")
    make_file("notes.docx", "ignored")
    make_file(".hidden.txt", "hidden")
    make_file(".git/config.txt", "hidden folder")
    doc_ids, skipped = found(tmp_path / "docs")
    assert doc_ids == ["b.txt", "sub/a.md", "sub/deeper/page.HTML"]
    assert skipped == []


def test_walk_reports_formats(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.htm", "<p>x</p>")
    make_file("b.markdown", "# x")
    make_file("c.text", "x")
    formats = {i.doc_id: i.format for i in walk(tmp_path / "docs")}
    assert formats == {"a.htm": Format.HTML, "b.markdown": Format.MARKDOWN, "c.text": Format.TEXT}


def test_walk_names_the_files_it_is_told_are_unchanged(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.txt", "as indexed")
    make_file("b.txt", "changed since")
    make_file("sub/accord.toml", 'issuer = "OSCE"\n')
    make_file("sub/c.txt", "covered by a collection file")
    make_file("d.txt", "with a sidecar")
    make_file("d.txt.meta.json", '{"title": "D"}')
    first = {item.doc_id: item for item in walk(tmp_path / "docs") if isinstance(item, SourceFile)}
    known = {(doc_id, f.size, f.mtime_ns) for doc_id, f in first.items() if doc_id != "b.txt"}
    asked: list[str] = []

    def unchanged(doc_id: str, size: int, mtime_ns: int) -> bool:
        asked.append(doc_id)
        return (doc_id, size, mtime_ns) in known

    items = list(walk(tmp_path / "docs", unchanged=unchanged))
    assert items == ["a.txt", first["b.txt"], "d.txt", "sub/c.txt"]
    assert first["sub/c.txt"].size > len("covered by a collection file")  # the collection file counts
    assert first["d.txt"].size > len("with a sidecar")  # and so does the sidecar
    assert asked == ["a.txt", "b.txt", "d.txt", "sub/c.txt"]


def test_walk_leaves_out_the_index_folder(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.txt", "a")
    make_file("index/README.txt", "index readme")
    doc_ids, _ = found(tmp_path / "docs", exclude=[tmp_path / "docs" / "index"])
    assert doc_ids == ["a.txt"]


def test_symlink_outside_the_corpus_is_skipped_not_followed(make_file: FileFactory, tmp_path: Path) -> None:
    outside = make_file("secret.txt", "outside", folder="elsewhere")
    make_file("a.txt", "a")
    (tmp_path / "docs" / "link.txt").symlink_to(outside)
    doc_ids, skipped = found(tmp_path / "docs")
    assert doc_ids == ["a.txt"]
    assert [s.reason for s in skipped] == ["symbolic link to a file outside the corpus (not followed)"]


def test_symlink_loop_is_skipped(make_file: FileFactory, tmp_path: Path) -> None:
    make_file("a.txt", "a")
    loop = tmp_path / "docs" / "loop.txt"
    loop.symlink_to(loop)
    _, skipped = found(tmp_path / "docs")
    assert [s.reason for s in skipped] == ["broken symbolic link or symbolic link loop"]


def test_file_name_that_is_not_utf8_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "ok.txt").write_text("fine")
    with open(os.path.join(os.fsencode(root), b"bad-\xff.txt"), "wb") as handle:
        handle.write(b"text")
    doc_ids, skipped = found(root)
    assert doc_ids == ["ok.txt"]
    assert len(skipped) == 1 and "not valid UTF-8" in skipped[0].reason
    assert "\\xff" in skipped[0].path


def test_read_skips_files_over_the_size_limit(make_file: FileFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 10)
    make_file("big.txt", "x" * 11)
    (item,) = walk(tmp_path / "docs")
    result = read(item)
    assert isinstance(result, Skipped) and "limit" in result.reason


def test_read_reports_a_vanished_file(make_file: FileFactory, tmp_path: Path) -> None:
    path = make_file("gone.txt", "soon gone")
    (item,) = walk(tmp_path / "docs")
    path.unlink()
    result = read(item)
    assert isinstance(result, Skipped) and "disappeared" in result.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Déclaration signée à Genève".encode(), "Déclaration signée à Genève"),
        (b"\xef\xbb\xbfWith a BOM", "With a BOM"),
        ("Déclaration conjointe signée à Genève par les deux organisations.".encode("latin-1"),
         "Déclaration conjointe signée à Genève par les deux organisations."),
        ("The “Lenarčič” quote – with dashes – and the € sign".encode(),
         "The “Lenarčič” quote – with dashes – and the € sign"),
        ("“Smart quotes” – Windows text from Genève, and the € sign.".encode("cp1252"),
         "“Smart quotes” – Windows text from Genève, and the € sign."),
        ("Верховный комиссар ООН по правам человека посетил Женеву.".encode("cp1251"),
         "Верховный комиссар ООН по правам человека посетил Женеву."),
        ("UTF-16 text with a BOM".encode("utf-16"), "UTF-16 text with a BOM"),
    ],
)
def test_decode_detects_the_encoding(data: bytes, expected: str) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("Valid “UTF-8” text, then broken bytes: ".encode() + b"\xff\xc3 and " + "“more”.".encode(),
         "invalid UTF-8"),
    ],
)
def test_decode_refuses_binary_and_broken_utf8(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode(data)


@pytest.mark.parametrize("path", ["/srv/corpus/a.txt", "/srv/corpus", "/srv/corpusx/a.txt", "/srv/corpus/", "/srv//corpus/a.txt",
                                  "/srv/./corpus/a.txt", "/srv/corpus/../a.txt", "relative/a.txt", "/", "/a"])
@pytest.mark.parametrize("folder", [None, Path("/srv/corpus"), Path("/srv"), Path("/"), Path("corpus")])
def test_display_path_is_the_path_relative_to_the_folder_as_pathlib_cuts_it(
        path: str, folder: Path | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    monkeypatch.setattr(os, "getcwd", lambda: "/srv/corpus")
    monkeypatch.setattr(Path, "cwd", classmethod(lambda cls: cls("/srv/corpus")))
    absolute = Path("/srv/corpus") / path
    try:
        expected = absolute.relative_to(folder or Path("/srv/corpus")).as_posix()
    except ValueError:
        expected = str(absolute)
    assert display_path(path, folder) == expected
