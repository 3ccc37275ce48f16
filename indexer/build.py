"""Bring the index up to date with a corpus folder, in one all-or-nothing commit.

New files are added, changed files (by content hash) replaced, deleted files removed;
files whose size and mtime are unchanged are not read at all, and a file that was only
touched keeps its sections with a refreshed mtime. A file that was indexed before and
now cannot be read keeps its previous sections. The index is the only record of what
is indexed: each section record holds its document's hash, size and mtime as columns.

One run holds the index's write lock from start to end, and either commits once or
leaves the previous index untouched (on an error, Ctrl-C or SIGKILL alike).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

from indexer.collection import PROBLEM_PREFIX
from indexer.errors import AccordError
from indexer.fields import DOC_ID, FILE
from indexer.metadata.usermeta import MetadataFileMissing, UserMetadata, read_metadata_file
from indexer.schema import SCHEMA_VERSION, document_from_records, records
from indexer.sources import DecodeError, Format, Skipped, SourceFile, printable_path, read, walk
from indexer.store.columns import IndexedFile, IndexedFiles, indexed_files, write_columns
from indexer.store.folder import (
    IndexInfo,
    create_index,
    has_index,
    open_index,
    read_info,
    temporary_files,
    write_info,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

    from whoosh.index import FileIndex
    from whoosh.writing import SegmentWriter

    from indexer.convert.converted import Converted
    from indexer.documents import Document
    from indexer.metadata.prior import FolderPrior
    from indexer.store.writer import AccordWriter

PARSERS = "indexer.documents"
"""The module that parses files, with everything it imports: loaded only when a run has
files to read (a run that finds nothing changed never does), and by the server process
that worker processes are started from, before any is."""

ProgressHook = Callable[[str, int, int], None]
"""Called with (phase, done, total) as the run goes: LEARNING (a sample of the files read
for boilerplate), READING (files examined, of those to examine), WRITING (the commit) and
FINISHING (columns and copy groups); only READING is counted, the others give 0 and 0."""
LEARNING, READING, WRITING, FINISHING = "learning", "reading", "writing", "finishing"


class CorpusMissing(AccordError):
    """The corpus folder does not exist."""


class WouldRemoveAll(AccordError):
    """The run would empty the index; it needs explicit consent."""


class IndexBusy(AccordError):
    """Another process is updating the index."""


class WorkerFailed(AccordError):
    """A worker process of the run failed or was stopped."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What one indexing run did, counted in files (a file of records holds many
    documents); `documents` is the number of documents in the index afterwards."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[Skipped, ...] = ()
    seconds: float = 0.0
    documents: int = 0
    rebuilt: bool = False
    warnings: tuple[Skipped, ...] = ()
    """Files indexed with a problem (path and reason), such as invalid front matter."""


WRITER_MEMORY_MB = 32
"""Whoosh's posting buffer before it spills a sorted run to disk (its default is 128):
peak memory stays low at the same speed (one buffer per writer: the run's and each worker's)."""
WORKER_BATCH = 8
"""Files per task handed to a worker process, at most (fewer when there are few files)."""
WORKERS_FROM = 32
"""Fewer files to examine (or to learn boilerplate from) than this are read by the run
itself, whatever `jobs` says: starting worker processes, each importing the parsers,
takes longer than parsing a few files."""
WORKER_START = "forkserver"
"""How worker processes are started: forked from a small server process that has imported
this module, not from the run's process, whose memory (every file's plan) a forked worker
would count as its own; forked from the run where that server cannot be started."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one run does, decided before any file is read."""

    corpus: Path
    index_dir: Path
    rebuild: bool
    jobs: int
    allow_remove_all: bool
    given: UserMetadata | None
    recheck: bool
    """Hash every file whatever its size and mtime (the metadata file or key changed)."""
    furniture: frozenset[str] | None
    """The boilerplate to leave out, or None to learn it (and the folders' priors) from the files to examine."""
    priors: Mapping[str, FolderPrior]
    translation_key: str | None


@dataclass(frozen=True, slots=True)
class _Item:
    """A file to examine, with everything a worker process needs to parse it."""

    source: SourceFile
    old: IndexedFile | None
    """What the index holds for the file, if anything."""
    given: dict[str, Any]
    furniture: frozenset[str]
    learned: Converted | None
    """The file's conversion, when learning the boilerplate made one."""
    translation_key: str | None
    prior: FolderPrior


@dataclass(frozen=True, slots=True)
class _Parsed:
    documents: tuple[Document, ...]
    written: bool = False
    """Written by the worker that parsed them (into its own segment), which keeps their sections."""


@dataclass(frozen=True, slots=True)
class _Touched:
    """A file whose mtime changed but whose content did not."""

    mtime_ns: int


@dataclass(frozen=True, slots=True)
class _Unchanged:
    """A file whose content and mtime are as indexed."""


_Examined = _Parsed | _Touched | _Unchanged | Skipped


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    touched: int = 0
    documents_change: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    said: set[str] = field(default_factory=set)
    """Warnings about collection files given already (one covers many documents)."""
    furniture: frozenset[str] = frozenset()
    priors: Mapping[str, FolderPrior] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.touched)


def build_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    jobs: int = 1,
    wait: float = 10.0,
    allow_remove_all: bool = False,
    progress: ProgressHook | None = None,
    metadata: Path | None = None,
    translation_key: str | None = None,
) -> BuildReport:
    """Update (or with `rebuild`, recreate) the index of `corpus` in `index_dir`.

    An index written with another schema version is rebuilt. `metadata` is a file of
    fields per document file (--metadata); the index remembers it for later runs, and
    when its content changes, every file is checked again (only those whose fields
    changed are parsed again). `translation_key` names the metadata field that links
    translations (--translation-key); remembered too, every file parsed again when it
    changes.
    """
    started = time.perf_counter()
    corpus = corpus.resolve()
    before = read_info(index_dir) if has_index(index_dir) else None
    given = _user_metadata(before, metadata)
    index, replaced = _open_for_update(corpus, index_dir, before)
    leftovers = temporary_files(index_dir)
    writer = _writer(index, wait)
    try:
        for path in leftovers:  # left by a run that was killed: we hold the lock now
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        with writer.reader() as reader:
            indexed = indexed_files(index_dir, reader)
        info = read_info(index_dir)  # again, under the lock: a run we waited for may have changed it
        plan = _plan(corpus, index_dir, info, indexed, given, rebuild, jobs, allow_remove_all, translation_key)
        tally = _update(writer, plan, indexed, progress)
    except BaseException:
        writer.cancel()
        raise
    if tally.changed or rebuild or plan.recheck:
        from whoosh.writing import CLEAR

        if progress:
            progress(WRITING, 0, 0)
        writer.commit(mergetype=CLEAR) if rebuild else writer.commit()
        if progress:
            progress(FINISHING, 0, 0)
        write_columns(index_dir, index)
        write_info(index_dir, IndexInfo(SCHEMA_VERSION, str(corpus), None, given.path if given else None,
                                        given.digest if given else None, tuple(tally.furniture),
                                        plan.translation_key, tally.priors))
    else:
        writer.cancel()
    documents = (0 if rebuild else indexed.documents()) + tally.documents_change
    seconds = round(time.perf_counter() - started, 3)
    return BuildReport(tally.added, tally.updated, tally.removed, tally.unchanged,
                       tuple(tally.skipped), seconds, documents, rebuild or replaced, tuple(tally.warnings))


def _plan(corpus: Path, index_dir: Path, info: IndexInfo, indexed: IndexedFiles,
          given: UserMetadata | None, rebuild: bool, jobs: int, allow_remove_all: bool,
          translation_key: str | None) -> _Plan:
    """The run's plan, from the options and what the index remembers."""
    key = translation_key or info.translation_key
    recheck = (given is not None and given.digest != info.metadata_digest) or key != info.translation_key
    learn = rebuild or not indexed  # a new index learns the collection's boilerplate
    return _Plan(corpus, index_dir, rebuild, jobs, allow_remove_all, given, recheck,
                 None if learn else frozenset(info.furniture), info.priors, key)


def _user_metadata(info: IndexInfo | None, explicit: Path | None) -> UserMetadata | None:
    """The metadata file given, or the one the index remembers, read."""
    if explicit is not None:
        return read_metadata_file(explicit)
    remembered = info.metadata if info else None
    if remembered is None:
        return None
    if not Path(remembered).is_file():
        raise MetadataFileMissing(
            f"The metadata file {remembered}, which this index was built with, is missing. "
            "Restore it, or give its new place with --metadata FILE."
        )
    return read_metadata_file(Path(remembered))


def _open_for_update(corpus: Path, index_dir: Path, info: IndexInfo | None) -> tuple[FileIndex, bool]:
    """The index, and whether it replaced one of another schema version: opened, or created
    when there is none or when it has another schema version."""
    if info is None:
        if not corpus.is_dir():
            raise CorpusMissing(f"The corpus folder {corpus} does not exist. Pass the folder to index.")
        return create_index(index_dir, corpus), False
    if info.schema_version != SCHEMA_VERSION:
        return create_index(index_dir, corpus), True
    return open_index(index_dir, info), False


def _writer(index: FileIndex, wait: float) -> AccordWriter:
    """The index's writer, holding its lock (waiting up to `wait` seconds for it). Postings
    are buffered up to WRITER_MEMORY_MB, then spilled to sorted runs on disk (AccordWriter)."""
    from whoosh.index import LockError

    from indexer.store.writer import AccordWriter

    try:
        return AccordWriter(index, WRITER_MEMORY_MB, timeout=wait, delay=0.1)
    except LockError:
        raise IndexBusy(
            f"Another `accord index` is updating this index; gave up after waiting {wait:g} s. "
            "Try again when it has finished, or wait longer with --wait."
        ) from None


def _update(writer: AccordWriter, plan: _Plan, indexed: IndexedFiles,
            progress: ProgressHook | None) -> _Tally:
    """Walk the corpus and write the differences; with `rebuild`, write every document
    (the commit then clears the old segments)."""
    from indexer.metadata.prior import prior_for

    tally = _Tally()
    present: set[str] = set()
    changed: list[tuple[SourceFile, IndexedFile | None]] = []
    known = None if plan.rebuild or plan.recheck else indexed.unchanged
    found = walk(plan.corpus, exclude=[plan.index_dir], unchanged=known) if plan.corpus.is_dir() else iter(())
    for item in found:
        if isinstance(item, str):  # as indexed
            present.add(item)
            tally.unchanged += 1
            continue
        if isinstance(item, Skipped):
            tally.skipped.append(item)
            continue
        present.add(item.doc_id)
        changed.append((item, None if plan.rebuild else indexed.get(item.doc_id)))
    gone = sorted(set(indexed) - present)
    if indexed and len(gone) == len(indexed) and not plan.allow_remove_all:
        raise WouldRemoveAll(
            f"The corpus folder {plan.corpus} holds none of the {len(indexed)} indexed files; "
            "indexing it would empty the index. Check the folder, or pass --yes to empty it."
        )
    if not plan.rebuild:
        for name in gone:
            writer.delete_by_term(FILE, name)
            tally.documents_change -= indexed[name].documents
        tally.removed = len(gone)
    previous = {} if plan.rebuild else indexed
    learned: dict[str, Converted] = {}
    sources = [source for source, _ in changed]
    if plan.furniture is None:
        from indexer.convert.boilerplate import MIN_DOCUMENTS
        from indexer.metadata.extract import sampled
        from indexer.metadata.prior import learn_priors

        if progress and len(sources) >= MIN_DOCUMENTS:
            progress(LEARNING, 0, 0)
        tally.furniture = _learned(sources, learned, plan.jobs)
        tally.priors = learn_priors(sampled(source.doc_id, learned[source.path])
                                    for source in sources if source.path in learned)
    else:
        tally.furniture, tally.priors = plan.furniture, plan.priors
    items = [_Item(source, old, plan.given.fields_for(source.doc_id) if plan.given else {}, tally.furniture,
                   learned.get(source.path), plan.translation_key, prior_for(source.doc_id, tally.priors))
             for source, old in changed]
    with closing(_examine_all(items, plan.jobs, plan.index_dir, writer)) as examined:
        for done, (source, result) in enumerate(examined, start=1):
            _apply(writer, source, result, previous, tally)
            if progress:
                progress(READING, done, len(items))
    return tally


def _apply(writer: SegmentWriter, source: SourceFile, result: _Examined, indexed: Mapping[str, IndexedFile],
           tally: _Tally) -> None:
    if isinstance(result, _Unchanged):
        tally.unchanged += 1
    elif isinstance(result, Skipped):
        kept = " (the previously indexed version was kept)" if source.doc_id in indexed else ""
        tally.skipped.append(Skipped(result.path, result.reason + kept))
    elif isinstance(result, _Touched):
        _rewrite_with_mtime(writer, source.doc_id, result.mtime_ns)
        tally.unchanged += 1
        tally.touched += 1
    else:
        if source.doc_id in indexed:
            writer.delete_by_term(FILE, source.doc_id)
            tally.documents_change -= indexed[source.doc_id].documents
            tally.updated += 1
        else:
            tally.added += 1
        tally.documents_change += len(result.documents)
        for document in result.documents:
            for reason in document.warnings:
                if reason.startswith(PROBLEM_PREFIX):  # about a collection file: said once, not per document
                    if reason in tally.said:
                        continue
                    tally.said.add(reason)
                tally.warnings.append(Skipped(printable_path(document.path), reason))
            if not result.written:
                for record in records(document):
                    writer.add_document(**record)


def _rewrite_with_mtime(writer: SegmentWriter, file: str, mtime_ns: int) -> None:
    """Write a file's documents again, as stored, with its new mtime."""
    by_document: dict[str, list[dict[str, Any]]] = {}
    with writer.searcher() as searcher:
        for fields in searcher.documents(**{FILE: file}):
            by_document.setdefault(fields[DOC_ID], []).append(fields)
    writer.delete_by_term(FILE, file)
    for stored in by_document.values():
        for record in records(replace(document_from_records(stored), mtime_ns=mtime_ns)):
            writer.add_document(**record)


def _learned(sources: list[SourceFile], learned: dict[str, Converted], jobs: int) -> frozenset[str]:
    """Boilerplate learned from up to SAMPLE of the files, spread over the list (converted
    in `jobs` processes); their conversions are kept in `learned` (by path) so that they
    are not made twice."""
    from indexer.convert.boilerplate import MIN_DOCUMENTS, SAMPLE, learn_boilerplate

    sample = sources[:: max(1, len(sources) // SAMPLE)][:SAMPLE]
    if len(sample) < MIN_DOCUMENTS:
        return frozenset()
    if jobs > 1 and len(sample) >= max(2 * jobs, WORKERS_FROM):
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_sample_conversion, sample, chunksize=8))
    else:
        results = [_sample_conversion(source) for source in sample]
    learned.update((source.path, result) for source, result in zip(sample, results) if result)
    return learn_boilerplate(c.markdown for c in learned.values())


def _sample_conversion(source: SourceFile) -> Converted | None:
    """A file's conversion, or None when it is not text to learn from."""
    from indexer.convert.dispatch import convert

    raw = read(source)
    if isinstance(raw, Skipped) or raw.format is Format.RECORDS:
        return None
    try:
        return convert(raw)
    except (DecodeError, RecursionError):
        return None


def _examine_all(items: list[_Item], jobs: int, index_dir: Path, writer: AccordWriter
                 ) -> Generator[tuple[SourceFile, _Examined], None, None]:
    """Read and parse files, in order: here, or in `jobs` worker processes when more than
    one, each writing the documents it parses into a segment of its own, which `writer`
    adopts once every file is done (so that both cores parse and write); here when there
    are fewer than WORKERS_FROM files."""
    if jobs <= 1 or len(items) < max(2 * jobs, WORKERS_FROM):
        for item in items:
            yield item.source, _examine(item)
        return
    import multiprocessing
    import multiprocessing.context
    import os
    import sys

    context: multiprocessing.context.ForkServerContext | multiprocessing.context.ForkContext
    if WORKER_START == "forkserver" and os.access(sys.executable, os.X_OK):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, PARSERS])
    else:  # the server would be started with this Python's executable, which is not ours to run
        context = multiprocessing.get_context("fork")
    tasks: Queue[list[tuple[int, _Item]] | None] = context.Queue()
    answers: Queue[tuple[str, Any]] = context.Queue()
    workers = [context.Process(target=_work, args=(index_dir, tasks, answers), daemon=True) for _ in range(jobs)]
    for worker in workers:
        worker.start()
    try:
        batch = max(1, min(WORKER_BATCH, len(items) // (4 * jobs)))  # a few files apart the workers finish
        for start in range(0, len(items), batch):
            tasks.put([(number, items[number]) for number in range(start, min(start + batch, len(items)))])
        for _ in workers:
            tasks.put(None)
        waiting: dict[int, _Examined] = {}
        segments, finished, next_number = [], 0, 0
        while finished < len(workers):
            kind, payload = _answer(answers, workers)
            if kind == "examined":
                waiting.update(payload)
                while next_number in waiting:
                    yield items[next_number].source, waiting.pop(next_number)
                    next_number += 1
            else:
                finished += 1
                segments += [payload] if payload is not None else []
        writer.adopt(segments)
    finally:
        from indexer.store.writer import discard_worker_files

        tasks.cancel_join_thread()  # tasks no worker took are dropped, not waited on at exit
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
            if worker.pid is not None:
                discard_worker_files(index_dir, worker.pid)


def _answer(answers: Queue[tuple[str, Any]], workers: Sequence[BaseProcess]) -> tuple[str, Any]:
    """The next message of a worker: ("examined", {number: result}) or ("segment", segment);
    a worker that failed or stopped stops the run (WorkerFailed)."""
    while True:
        try:
            kind, payload = answers.get(timeout=1)
        except Empty:
            stopped = [worker.exitcode for worker in workers if worker.exitcode not in (None, 0)]
            if stopped:
                raise WorkerFailed(f"A worker process stopped (exit status {stopped[0]}); "
                                   "the index was left as it was.") from None
            continue
        if kind == "failed":
            raise WorkerFailed(f"A worker process failed ({payload}); the index was left as it was.")
        return kind, payload


def _work(index_dir: Path, tasks: Queue[list[tuple[int, _Item]] | None], answers: Queue[tuple[str, Any]]) -> None:
    """A worker process: examine the files of each task, write what is parsed into a segment
    of its own, and hand the segment over when there are no more tasks; stop if the run's
    process is gone (killed), leaving files that no commit names."""
    import multiprocessing
    import signal

    from indexer.store.columns import write_segment_columns
    from indexer.store.writer import finished_segment, worker_writer

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the run stops its workers
    run = multiprocessing.parent_process()
    index = open_index(index_dir)
    writer = worker_writer(index, WRITER_MEMORY_MB)
    try:
        while True:
            if run is not None and not run.is_alive():
                raise SystemExit(1)
            try:
                batch = tasks.get(timeout=1)
            except Empty:
                continue
            if batch is None:
                break
            answers.put(("examined", {number: _written(writer, _examine(item)) for number, item in batch}))
        segment = finished_segment(writer)
        if segment is not None:
            write_segment_columns(index_dir, index, segment)
        answers.put(("segment", segment))
    except BaseException as err:
        writer.cancel()
        answers.put(("failed", f"{type(err).__name__}: {err}"))


def _written(writer: AccordWriter, result: _Examined) -> _Examined:
    """The result with its documents written by `writer`, and their sections left out (the
    run's process needs only their ids, paths and warnings)."""
    if not isinstance(result, _Parsed):
        return result
    for document in result.documents:
        for record in records(document):
            writer.add_document(**record)
    return _Parsed(tuple(replace(document, sections=()) for document in result.documents), written=True)


def _examine(item: _Item) -> _Examined:
    """Read one file, hash it once, and parse it unless the hash equals the indexed one.
    A conversion made while learning is used when the file read now is the one sampled
    (same size and mtime as the walk found)."""
    from indexer.documents import content_hash, parse

    raw = read(item.source)
    if isinstance(raw, Skipped):
        return raw
    file_hash = content_hash(raw.data, raw.sidecar, item.given, item.translation_key, raw.collection)
    old = item.old
    if old is not None and file_hash == old.content_hash:
        return _Unchanged() if raw.mtime_ns == old.mtime_ns else _Touched(raw.mtime_ns)
    read_size = len(raw.data) + len(raw.sidecar or b"") + sum(len(data) for _, data in raw.collection)
    same_file = raw.mtime_ns == item.source.mtime_ns and read_size == item.source.size
    parsed = parse(raw, item.given, item.furniture, item.learned if same_file else None, item.translation_key,
                   file_hash, item.prior)
    return parsed if isinstance(parsed, Skipped) else _Parsed(tuple(parsed))
