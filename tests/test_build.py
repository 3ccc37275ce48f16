"""Building and updating the index: incremental, all-or-nothing, nothing lost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from indexer.build import FINISHING, READING, WRITING, CorpusMissing, IndexBusy, WouldRemoveAll, build_index
from indexer.fields import CONTENT_HASH, DOC_ID, MTIME
from indexer.schema import SCHEMA_VERSION
from indexer.store.folder import INFO_FILE, IndexVersionError, has_index, open_index, read_info
from tests.helpers import ALLIANCE, CORPUS, EU_DIALOGUE, JOINT_DECLARATION


def indexed(index_dir: Path) -> dict[str, dict]:
    """doc_id -> stored fields of its first section."""
    with open_index(index_dir).searcher() as searcher:
        return {f[DOC_ID]: f for f in searcher.all_stored_fields() if f["position"] == 0}


def section_count(index_dir: Path) -> int:
    with open_index(index_dir).searcher() as searcher:
        return searcher.doc_count()


def test_first_run_adds_every_document(corpus_copy: Path, tmp_path: Path) -> None:
    report = build_index(corpus_copy, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert report.documents == 3 and report.skipped == ()
    assert set(indexed(tmp_path / "ix")) == {ALLIANCE, EU_DIALOGUE, JOINT_DECLARATION}
    info = read_info(tmp_path / "ix")
    assert info.schema_version == SCHEMA_VERSION and info.corpus == str(corpus_copy.resolve())


def test_second_run_changes_nothing(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    before = indexed(tmp_path / "ix")
    report = build_index(corpus_copy, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 3)
    assert indexed(tmp_path / "ix") == before


def test_new_changed_and_deleted_files(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    sections_before = section_count(tmp_path / "ix")
    (corpus_copy / "new.md").write_text("# New statement\n\nThe OSCE welcomed the report.")
    (corpus_copy / EU_DIALOGUE).write_text("The EU and OHCHR met again in 2023.")
    (corpus_copy / ALLIANCE).unlink()
    report = build_index(corpus_copy, tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
    docs = indexed(tmp_path / "ix")
    assert set(docs) == {"new.md", EU_DIALOGUE, JOINT_DECLARATION}
    assert docs[EU_DIALOGUE]["body"] == "The EU and OHCHR met again in 2023."
    assert section_count(tmp_path / "ix") < sections_before


def test_touched_identical_file_is_unchanged_and_its_mtime_refreshed(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    path = corpus_copy / ALLIANCE
    os.utime(path, (1_700_000_000, 1_700_000_000))
    report = build_index(corpus_copy, tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert indexed(tmp_path / "ix")[ALLIANCE][MTIME] == 1_700_000_000 * 10**9
    assert build_index(corpus_copy, tmp_path / "ix").unchanged == 3


def test_a_file_that_turns_unreadable_keeps_its_previous_version(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    old_hash = indexed(tmp_path / "ix")[ALLIANCE][CONTENT_HASH]
    (corpus_copy / ALLIANCE).write_bytes(b"\x00\x01binary now\x00" * 50)
    report = build_index(corpus_copy, tmp_path / "ix")
    assert report.updated == 0 and report.removed == 0
    assert [s.reason for s in report.skipped] == ["binary data, not text (the previously indexed version was kept)"]
    assert indexed(tmp_path / "ix")[ALLIANCE][CONTENT_HASH] == old_hash


def test_bad_new_files_are_skipped_and_the_run_goes_on(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "binary.txt").write_bytes(b"\x89PNG\x00\x00" * 100)
    report = build_index(corpus_copy, tmp_path / "ix")
    assert report.added == 3
    assert sorted((Path(s.path).name, s.reason) for s in report.skipped) == [
        ("binary.txt", "binary data, not text"), ("empty.txt", "empty file")]


def test_emptied_corpus_is_refused_without_consent(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    for path in corpus_copy.iterdir():
        path.unlink()
    with pytest.raises(WouldRemoveAll, match="--yes"):
        build_index(corpus_copy, tmp_path / "ix")
    shutil.rmtree(corpus_copy)
    with pytest.raises(WouldRemoveAll):
        build_index(corpus_copy, tmp_path / "ix")
    assert len(indexed(tmp_path / "ix")) == 3
    report = build_index(corpus_copy, tmp_path / "ix", allow_remove_all=True)
    assert report.removed == 3 and indexed(tmp_path / "ix") == {}


def test_missing_corpus_without_index_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissing, match="does not exist"):
        build_index(tmp_path / "nowhere", tmp_path / "ix")
    assert not has_index(tmp_path / "ix")


def test_rebuild_starts_over_and_keeps_the_readme(corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    (index_dir / "README").write_text("keep me")
    assert not has_index(index_dir)
    build_index(corpus_copy, index_dir)
    sections = section_count(index_dir)
    report = build_index(corpus_copy, index_dir, rebuild=True)
    assert (report.added, report.unchanged, report.documents) == (3, 0, 3)
    assert section_count(index_dir) == sections
    assert (index_dir / "README").read_text() == "keep me"
    assert len(indexed(index_dir)) == 3


def test_rebuild_of_an_emptied_corpus_needs_consent_too(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    shutil.rmtree(corpus_copy)
    corpus_copy.mkdir()
    with pytest.raises(WouldRemoveAll):
        build_index(corpus_copy, tmp_path / "ix", rebuild=True)
    assert len(indexed(tmp_path / "ix")) == 3


def test_a_second_writer_waits_then_gives_up(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    writer = open_index(tmp_path / "ix").writer()
    try:
        with pytest.raises(IndexBusy, match="Another `accord index`"):
            build_index(corpus_copy, tmp_path / "ix", wait=0.2)
    finally:
        writer.cancel()
    assert build_index(corpus_copy, tmp_path / "ix").unchanged == 3


def test_an_index_of_another_schema_version_is_refused_for_reading_and_rebuilt_by_indexing(
    corpus_copy: Path, tmp_path: Path
) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    info = tmp_path / "ix" / INFO_FILE
    info.write_text(info.read_text().replace(f'"schema_version": {SCHEMA_VERSION}', '"schema_version": 0'))
    with pytest.raises(IndexVersionError, match="accord index --rebuild"):
        open_index(tmp_path / "ix")
    report = build_index(corpus_copy, tmp_path / "ix")
    assert report.rebuilt and report.added == 3
    assert read_info(tmp_path / "ix").schema_version == SCHEMA_VERSION
    assert len(indexed(tmp_path / "ix")) == 3


def test_a_few_files_are_parsed_by_the_run_itself_whatever_jobs_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    import multiprocessing

    from indexer import build

    def no_workers(*args: Any) -> Any:
        raise AssertionError("worker processes were started")

    corpus = tmp_path / "few"
    corpus.mkdir()
    for i in range(build.WORKERS_FROM - 1):
        shutil.copy(CORPUS / ALLIANCE, corpus / f"copy-{i:02d}.txt")
    monkeypatch.setattr(multiprocessing, "get_context", no_workers)
    assert build_index(corpus, tmp_path / "ix", jobs=2).added == build.WORKERS_FROM - 1
    shutil.copy(CORPUS / ALLIANCE, corpus / "one-more.txt")
    (corpus / "copy-00.txt").write_text("Changed.", encoding="utf-8")
    report = build_index(corpus, tmp_path / "ix", jobs=2)
    assert (report.added, report.updated) == (1, 1)


@pytest.mark.usefixtures("workers_for_few_files")
def test_parallel_parsing_gives_the_same_index(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(12):
        shutil.copy(CORPUS / ALLIANCE, corpus / f"copy-{i:02d}.txt")
    build_index(corpus, tmp_path / "one", jobs=1)
    report = build_index(corpus, tmp_path / "two", jobs=2)
    assert report.added == 12
    strip = lambda docs: {k: {f: v for f, v in d.items() if f != "path"} for k, d in docs.items()}
    assert strip(indexed(tmp_path / "one")) == strip(indexed(tmp_path / "two"))


def test_progress_is_reported_for_every_phase(corpus_copy: Path, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    build_index(corpus_copy, tmp_path / "ix", progress=lambda *call: calls.append(call))
    assert calls == [(READING, 1, 3), (READING, 2, 3), (READING, 3, 3), (WRITING, 0, 0), (FINISHING, 0, 0)]
    calls.clear()
    build_index(corpus_copy, tmp_path / "ix", progress=lambda *call: calls.append(call))
    assert calls == []  # nothing changed: nothing to examine, write or finish


def test_segments_are_written_by_accords_codec_which_reads_lengths_as_whoosh_does(seed_index: Path) -> None:
    from whoosh.codec.whoosh3 import W3PerDocReader

    from indexer.store.codec import POSTING_BLOCK, AccordCodec

    index = open_index(seed_index)
    segment = index._segments()[0]
    assert isinstance(segment.codec(), AccordCodec) and segment.codec()._blocklimit == POSTING_BLOCK
    ours, whooshs = segment.codec().per_document_reader(index.storage, segment), W3PerDocReader(index.storage, segment)
    try:
        for name in index.schema.names():
            for record in range(segment.doc_count_all()):
                assert ours.doc_field_length(record, name) == whooshs.doc_field_length(record, name)
        assert any(ours.has_column(f"_{name}_len") for name in index.schema.names())
        assert not all(ours.has_column(f"_{name}_len") for name in index.schema.names())
    finally:
        ours.close()
        whooshs.close()


def test_postings_spilled_to_disk_in_chunks_are_indexed_as_if_held_in_memory(tmp_path: Path) -> None:
    from indexer import build
    from indexer.store import writer

    def postings(index_dir: Path) -> dict[tuple[str, bytes], list]:
        with open_index(index_dir).reader() as reader:
            return {(name, term): list(reader.postings(name, term).all_items()) for name, term in reader.all_terms()}

    build_index(CORPUS, tmp_path / "memory")
    runs: list[int] = []
    write_run = writer.ChunkedPostingPool._write_run

    def counted(pool: writer.ChunkedPostingPool, f: Any, items: Any) -> None:
        runs.append(1)
        write_run(pool, f, items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "WRITER_MEMORY_MB", 0.05)  # runs of about 50 KB
        patch.setattr(writer, "RUN_CHUNK", 7)
        patch.setattr(writer.ChunkedPostingPool, "_write_run", counted)
        build_index(CORPUS, tmp_path / "spilled")
    assert len(runs) > 1
    assert postings(tmp_path / "spilled") == postings(tmp_path / "memory")


@pytest.mark.usefixtures("workers_for_few_files")
def test_a_worker_that_fails_stops_the_run_and_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer import build

    monkeypatch.setattr(build, "WORKER_START", "fork")  # the failure planted below is inherited by forked workers

    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(12):
        shutil.copy(CORPUS / ALLIANCE, corpus / f"copy-{i:02d}.txt")
    build_index(corpus, tmp_path / "ix", jobs=2)
    before = indexed(tmp_path / "ix")
    for i in range(12, 20):
        shutil.copy(CORPUS / EU_DIALOGUE, corpus / f"copy-{i:02d}.txt")
    examine = build._examine

    def failing(item: Any) -> Any:
        if item.source.doc_id == "copy-17.txt":
            raise MemoryError("no room")
        return examine(item)

    monkeypatch.setattr(build, "_examine", failing)
    with pytest.raises(build.WorkerFailed, match="MemoryError: no room"):
        build_index(corpus, tmp_path / "ix", jobs=2)
    assert indexed(tmp_path / "ix") == before
    monkeypatch.setattr(build, "_examine", examine)
    assert build_index(corpus, tmp_path / "ix", jobs=2).added == 8
    assert len(indexed(tmp_path / "ix")) == 20
