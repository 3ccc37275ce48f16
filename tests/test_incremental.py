"""Incremental indexing equals a rebuild, whatever happened to the folder in between."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.fields import BODY, CONTENT_HASH, DOC_ID, FILE, MTIME, SECTION_ID, SIZE
from indexer.store.columns import IndexedFile, indexed_files
from indexer.store.folder import open_index
from search.engine import search, show
from search.request import Match, SearchRequest

NAMES = ["a.txt", "b.md", "sub/c.txt", "sub/deeper/d.html"]
DEFENDERS = ("The OHCHR and the EU discussed the protection of human rights defenders in 2021, the safety of "
             "journalists who report on corruption, and the release of activists held for peaceful protest in "
             "several countries of the region.")
TEXTS = [
    DEFENDERS,
    "# Statement\n\nThe WHO welcomed progress on vaccines.\n\n## Next steps\n\nThe OSCE will report in 2022.",
    "<html><body><h1>Council of Europe</h1><p>Freedom of expression and media freedom.</p></body></html>",
    "Climate change and the rights of women were discussed by the Human Rights Council.",
    f"# Press release\n\n{DEFENDERS}",
    f"{DEFENDERS} The next meeting will be held in Geneva.",
]
"""Short texts, and three copies of one text (a copy groups them: indexer.store.copies)."""
QUERIES = ["rights", "vaccines", "freedom", "climate OR report", "*", "vacc*", "journalsts~"]

operations = st.lists(
    st.tuples(st.sampled_from(["write", "delete", "touch"]), st.sampled_from(NAMES), st.sampled_from(range(len(TEXTS)))),
    min_size=1,
    max_size=8,
)


def snapshot(index_dir: Path) -> dict:
    """Everything that must agree: records by section id, which sections answer each query,
    and which documents each text is shown with (its copies) and as (a joint statement or not).

    Scores may differ slightly (an incremental index keeps statistics of segments and
    deleted records until a merge), so the answers are compared as sets, not in rank order.
    """
    with open_index(index_dir).searcher() as searcher:
        sections = {f[SECTION_ID]: (f[DOC_ID], f[CONTENT_HASH], f[BODY]) for f in searcher.all_stored_fields()}
    answers = {
        query: sorted((hit.doc_id, sorted(s.section_id for s in hit.sections)) for hit in
                      search(index_dir, SearchRequest(query, match=Match.ANY, limit=100, all_copies=True)).results)
        for query in QUERIES
    }
    every = [show(index_dir, hit.doc_id) for hit in search(index_dir, SearchRequest("*", limit=100, all_copies=True)).results]
    copies = {shown.document.doc_id: ([copy.doc_id for copy in shown.copies], shown.joint) for shown in every}
    texts = search(index_dir, SearchRequest("*", limit=100)).total_texts
    return {"sections": sections, "answers": answers, "copies": copies, "texts": texts}


def stored_files(index_dir: Path) -> dict[str, IndexedFile]:
    """Every indexed file as its records' stored fields describe it."""
    found: dict[str, tuple[str, int, int, set[str]]] = {}
    with open_index(index_dir).searcher() as searcher:
        for fields in searcher.all_stored_fields():
            found.setdefault(fields[FILE], (fields[CONTENT_HASH], fields[MTIME], fields[SIZE], set()))[3].add(fields[DOC_ID])
    return {name: IndexedFile(digest, mtime, size, len(doc_ids)) for name, (digest, mtime, size, doc_ids) in found.items()}


def listed_files(index_dir: Path) -> dict[str, IndexedFile]:
    """Every indexed file as the column files list it for a reindex."""
    with open_index(index_dir).reader() as reader:
        return indexed_files(index_dir, reader)


def apply(corpus: Path, operation: tuple[str, str, int], step: int) -> None:
    kind, name, text = operation
    path = corpus / name
    if kind == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEXTS[text], encoding="utf-8")
    elif kind == "delete" and path.exists():
        path.unlink()
    elif kind == "touch" and path.exists():
        os.utime(path, ns=(step * 10**9, step * 10**9))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, min_size=1, max_size=4))
def test_indexing_after_every_step_equals_a_rebuild(steps: list[list[tuple[str, str, int]]]) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        corpus = root / "corpus"
        corpus.mkdir()
        (corpus / "keep.txt").write_text("A document that stays: ODIHR observed the elections.")
        for step, batch in enumerate(steps, start=1):
            for operation in batch:
                apply(corpus, operation, step)
            build_index(corpus, root / "incremental")
            assert listed_files(root / "incremental") == stored_files(root / "incremental")
        build_index(corpus, root / "fresh", rebuild=True)
        assert snapshot(root / "incremental") == snapshot(root / "fresh")
    finally:
        shutil.rmtree(root)


def test_indexing_twice_changes_nothing(corpus_copy: Path, tmp_path: Path) -> None:
    build_index(corpus_copy, tmp_path / "ix")
    before = snapshot(tmp_path / "ix")
    toc_before = sorted(p.name for p in (tmp_path / "ix").glob("_MAIN_*.toc"))
    report = build_index(corpus_copy, tmp_path / "ix")
    assert report.unchanged == 3
    assert snapshot(tmp_path / "ix") == before
    assert sorted(p.name for p in (tmp_path / "ix").glob("_MAIN_*.toc")) == toc_before  # nothing committed


@pytest.mark.usefixtures("workers_for_few_files")
def test_runs_in_two_worker_processes_equal_a_rebuild_in_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    writes = [(name, text) for name, text in zip(NAMES * 2, range(len(TEXTS)))] + [("sub/e.txt", 4), ("f.txt", 5)]
    for name, text in writes:
        apply(corpus, ("write", name, text), 1)
    build_index(corpus, tmp_path / "parallel", jobs=2)
    for step, operation in enumerate([("delete", "a.txt", 0), ("write", "b.md", 3), ("write", "g.txt", 0),
                                      ("write", "h.txt", 4), ("write", "sub/i.txt", 1)], start=2):
        apply(corpus, operation, step)
    report = build_index(corpus, tmp_path / "parallel", jobs=2)
    assert (report.added, report.updated, report.removed) == (3, 1, 1)
    assert listed_files(tmp_path / "parallel") == stored_files(tmp_path / "parallel")
    build_index(corpus, tmp_path / "fresh", rebuild=True, jobs=1)
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "fresh")
    assert snapshot(tmp_path / "parallel")["copies"]["g.txt"][0]  # a copy written by a worker is grouped


def test_words_stay_found_by_patterns_once_segments_merge(tmp_path: Path) -> None:
    """Rewriting the first file deletes record 0 of its segment, on which Whoosh keeps the
    spelling words of the whole segment; the words of the other files, which patterns and
    suggestions read, must outlive the merges of later runs."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "ix"
    for name, text in zip(NAMES, range(4)):
        apply(corpus, ("write", name, text), 1)
    build_index(corpus, index_dir)
    segments = []
    for step in range(2, 9):
        apply(corpus, ("write", "a.txt", 5 if step % 2 else 0), step)
        build_index(corpus, index_dir)
        with open_index(index_dir).reader() as reader:
            segments.append(len(reader.leaf_readers()))
    assert max(segments) > min(segments[segments.index(max(segments)):])  # segments were merged
    for query, found in (("vacc*", "b.md"), ("expres*", "sub/c.txt"), ("climat~", "sub/deeper/d.html")):
        assert [hit.doc_id for hit in search(index_dir, SearchRequest(query)).results] == [found], query
    assert search(index_dir, SearchRequest("vacines")).suggestion == "vaccines"
