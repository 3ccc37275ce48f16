"""Each kind of bad input: a one-line warning naming the file and the reason, a skip, and
the run goes on to index the rest (exit 0). Run as a user runs it: `accord index --json`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import sources
from indexer.sources import Skipped, read, walk
from tests.helpers import CORPUS, accord


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def index(corpus: Path, tmp_path: Path) -> tuple[dict, str]:
    result = accord("index", corpus, "--index", tmp_path / "ix", "--json")
    return json.loads(result.stdout), result.stderr


def skipped_reason(report: dict, name: str) -> str:
    (reason,) = [s["reason"] for s in report["skipped"] if s["path"].endswith(name)]
    return reason


def assert_skipped_with_warning(corpus: Path, tmp_path: Path, name: str, reason: str) -> None:
    report, stderr = index(corpus, tmp_path)
    assert reason in skipped_reason(report, name)
    (warning,) = [line for line in stderr.splitlines() if name in line]
    assert warning.startswith("warning: skipped ") and reason in warning
    assert report["added"] == 3


def test_binary_data_with_a_text_extension(corpus: Path, tmp_path: Path) -> None:
    (corpus / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
    assert_skipped_with_warning(corpus, tmp_path, "photo.txt", "binary data")


def test_empty_file(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.md").write_bytes(b"")
    assert_skipped_with_warning(corpus, tmp_path, "empty.md", "empty file")


def test_broken_utf8(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.txt").write_bytes("Déclaration “conjointe” ".encode() + b"\xc3\x28 \xa0\xa1 " + "signée".encode())
    assert_skipped_with_warning(corpus, tmp_path, "broken.txt", "invalid UTF-8 byte sequence")


def test_file_over_the_size_limit(corpus: Path, tmp_path: Path) -> None:
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert_skipped_with_warning(corpus, tmp_path, "huge.txt", "over the 16 MiB limit")


def test_a_single_5mb_line_is_indexed_in_bounded_sections(corpus: Path, tmp_path: Path) -> None:
    words = " ".join(f"word{i % 5000}" for i in range(700_000))
    (corpus / "one-line.txt").write_text(words[: 5 * 1024 * 1024] + " needleword")
    report, _ = index(corpus, tmp_path)
    assert report["added"] == 4 and report["skipped"] == []
    result = accord("search", "needleword", "--index", tmp_path / "ix", "--json")
    (hit,) = json.loads(result.stdout)["results"]
    assert hit["doc_id"] == "one-line.txt" and len(hit["sections"][0]["snippet"]) < 300


def test_html_nested_10000_levels(corpus: Path, tmp_path: Path) -> None:
    (corpus / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + "deep text" + "</div>" * 10_000)
    report, stderr = index(corpus, tmp_path)
    if report["added"] == 4:  # parsed after all: then it is searchable
        result = accord("search", "deep", "--index", tmp_path / "ix", "--json")
        assert json.loads(result.stdout)["total_documents"] == 1
    else:
        assert "nested too deeply" in skipped_reason(report, "deep.html") and "deep.html" in stderr


def test_symlink_loop(corpus: Path, tmp_path: Path) -> None:
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    assert_skipped_with_warning(corpus, tmp_path, "loop.txt", "symbolic link loop")


def test_symlink_outside_the_corpus_is_not_followed(corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes that must never be indexed.")
    (corpus / "link.txt").symlink_to(secret)
    assert_skipped_with_warning(corpus, tmp_path, "link.txt", "outside the corpus")
    result = accord("search", "private", "--index", tmp_path / "ix", "--json")
    assert json.loads(result.stdout)["total_documents"] == 0


def test_file_name_that_is_not_utf8(corpus: Path, tmp_path: Path) -> None:
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "w") as handle:
        handle.write("Latin-1 file name.")
    assert_skipped_with_warning(corpus, tmp_path, "caf\\xe9.txt", "not valid UTF-8")


def test_file_that_vanishes_during_the_run(corpus: Path) -> None:
    path = corpus / "gone.txt"
    path.write_text("soon gone")
    (source,) = [s for s in walk(corpus) if not isinstance(s, Skipped) and s.doc_id == "gone.txt"]
    path.unlink()
    result = read(source)
    assert isinstance(result, Skipped) and "disappeared" in result.reason


def test_file_that_changes_while_being_read(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus / "growing.txt"
    path.write_text("first version")
    (source,) = [s for s in walk(corpus) if not isinstance(s, Skipped) and s.doc_id == "growing.txt"]
    real_fstat = os.fstat
    calls = []

    def fstat_then_write(fd: int) -> os.stat_result:  # the file is rewritten between the two stats
        calls.append(fd)
        if len(calls) == 2:
            path.write_text("second, longer version")
        return real_fstat(fd)

    monkeypatch.setattr(sources.os, "fstat", fstat_then_write)
    result = read(source)
    assert isinstance(result, Skipped) and "changed while being read" in result.reason


def test_file_without_read_permission(corpus: Path, tmp_path: Path) -> None:
    locked = corpus / "locked.txt"
    locked.write_text("no access")
    locked.chmod(0)
    command = [sys.executable, "-m", "search", "index", str(corpus), "--index", str(tmp_path / "ix"), "--json"]
    if os.geteuid() == 0:  # root reads everything: run as nobody instead
        for folder in (tmp_path, *tmp_path.parents):
            folder.chmod(folder.stat().st_mode | 0o005)
        (tmp_path / "ix").mkdir()
        (tmp_path / "ix").chmod(0o777)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "permission denied" in skipped_reason(report, "locked.txt")
    assert report["added"] == 3 and "locked.txt" in done.stderr


def test_a_folder_with_nothing_to_index_gives_an_empty_index_that_searches(tmp_path: Path) -> None:
    folder = tmp_path / "only-bad"
    folder.mkdir()
    (folder / "empty.md").write_bytes(b"")
    report, _ = index(folder, tmp_path)
    assert report["added"] == 0 and len(report["skipped"]) == 1
    for options in ([], ["--json"], ["--facet", "organisation"]):
        result = accord("search", "rights", "--index", tmp_path / "ix", *options)
        assert "0 documents" in result.output or json.loads(result.output)["total_documents"] == 0
