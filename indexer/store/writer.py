"""The index writer: Whoosh's segment writer, with a posting pool that spills its sorted
runs to disk in chunks, and segments written by worker processes committed with its own.

Whoosh buffers the postings of a run in memory, sorts them, and writes the run with one
pickle call per posting, then reads it back the same way to merge the runs at commit,
which costs a good part of indexing. Here a run is written and read RUN_CHUNK postings to
a pickle: the same postings in the same order, and memory still bounded (one chunk per
run while merging).

Whoosh gives each word of a section a posting in the spelling field (`spell_content`), on
record 0 whatever the record: the field lists words, and what is read of it is its words
and how many sections hold each (the term's frequency). The pool counts those postings
per word instead of keeping them, and adds one posting per word, of the count's weight,
when the segment is written (or when SPELLING_WORDS words are counted); the codec sums
what still repeats. Merging segments carries each word with its whole count: Whoosh's
own merge reads them through the deletion filter, which drops every word of a segment
whose record 0 is deleted.

With several jobs, each worker process writes the documents it parses into a segment of
its own (`worker_writer`, without the lock: the run's writer holds it), and the run's
writer commits those segments (`adopt`) in its one commit, beside its deletions; until
then they are files no table of contents names, which a later commit deletes if the run
never gets there.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from whoosh.writing import PostingPool, SegmentWriter

from indexer.store.folder import INDEX_NAME

if TYPE_CHECKING:
    from whoosh.codec.base import Segment
    from whoosh.fields import Schema
    from whoosh.filedb.filestore import Storage
    from whoosh.index import FileIndex
    from whoosh.reading import IndexReader

RUN_CHUNK = 512
"""Postings per pickle in a run file. Merging holds one chunk of each run in memory, so a
large collection's many runs still fit in little."""
SPELLING_WORDS = 200_000
"""Spelling words a pool counts at most before adding them as postings, which bounds the
memory a collection of many distinct words takes."""


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, writing and reading its runs in chunks of RUN_CHUNK postings,
    with the postings of the `spelling` fields counted per word (the module's docstring)."""

    def __init__(self, tempstore: Storage, segment: Segment, limitmb: int, spelling: frozenset[str]) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        self._spelling = spelling
        self._words: Counter[tuple[str, bytes]] = Counter()

    def add(self, item: tuple[Any, ...]) -> None:
        """Keep a posting (fieldname, term, record, weight, value) to be written, in order."""
        if item[0] in self._spelling:
            self._words[item[0], item[1]] += item[3]
            if len(self._words) >= SPELLING_WORDS:
                self._add_words()
            return
        super().add(item)

    def iter_postings(self) -> Iterator[tuple[Any, ...]]:
        """Every posting kept, in order, the spelling words' among them."""
        self._add_words()
        return super().iter_postings()

    def _add_words(self) -> None:
        words, self._words = self._words, Counter()
        for (fieldname, text), count in words.items():
            super().add((fieldname, text, 0, float(count), b""))

    def _write_run(self, f: BinaryIO, items: Iterable[tuple[Any, ...]]) -> None:
        items = iter(items)
        while chunk := list(islice(items, RUN_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[tuple[Any, ...]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class AccordWriter(SegmentWriter):
    """Whoosh's segment writer with a ChunkedPostingPool of `limitmb` megabytes, which also
    commits the segments that worker processes wrote (`adopt`). Segments are written by
    AccordCodec as separate files, not one compound file: Whoosh reads a compound file's
    postings into memory whole each time an index is opened, and separate files are read
    as needed."""

    def __init__(self, ix: FileIndex, limitmb: int, temporary: str | None = None, **kwargs: Any) -> None:
        from indexer.store.codec import AccordCodec

        super().__init__(ix, limitmb=limitmb, compound=False, codec=AccordCodec(), **kwargs)
        if temporary:  # a folder of its own inside the run's, which the run's writer removes
            self._tempstorage = self.storage.temp_storage(f"{self.indexname}.tmp/{temporary}")
        self._spelling = spelling_fields(self.schema)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb, self._spelling)
        self._adopted: list[Segment] = []
        self._records: IndexReader | None = None

    def delete_by_term(self, fieldname: str, text: str) -> int:
        """Delete the records of the committed segments that hold `text` in `fieldname`,
        found from each segment's postings: Whoosh would build a query and a searcher,
        whose modules a reindex of a few files would import for nothing else."""
        if self._records is None:
            self._records = self.reader()
        deleted = 0
        for leaf, offset in self._records.leaf_readers():
            if (fieldname, text) in leaf:
                for record in leaf.postings(fieldname, text).all_ids():
                    self.delete_document(offset + record)
                    deleted += 1
        return deleted

    def _finish(self) -> None:
        if self._records is not None:
            self._records.close()
            self._records = None
        super()._finish()

    def add_postings_to_pool(self, reader: IndexReader, startdoc: int, docmap: dict[int, int] | None) -> None:
        """A merged segment's postings (Whoosh's), each spelling word as one posting of the
        number of sections that held it, whichever records are deleted."""
        add = self.pool.add
        for fieldname, text in reader.all_terms():
            if fieldname in self._spelling:
                add((fieldname, text, 0, reader.frequency(fieldname, text), b""))
            elif fieldname in self.schema:
                matcher = reader.postings(fieldname, text)
                while matcher.is_active():
                    docnum = matcher.id()
                    add((fieldname, text, startdoc + docnum if docmap is None else docmap[docnum], matcher.weight(),
                         matcher.value()))
                    matcher.next()

    def adopt(self, segments: Iterable[Segment]) -> None:
        """Segments finished by worker writers, to be committed with this writer's changes."""
        self._adopted.extend(segments)

    def commit(self, mergetype: Any = None, optimize: bool | None = None, merge: bool | None = None) -> None:
        """Whoosh's commit (merging small segments, or clearing them with CLEAR), with the
        adopted segments added to the new table of contents."""
        if not self._adopted:
            super().commit(mergetype=mergetype, optimize=optimize, merge=merge)
            return
        self._check_state()
        segments = self._merge_segments(mergetype, optimize, merge)
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc([*segments, *self._adopted])
        self._finish()


def spelling_fields(schema: Schema) -> frozenset[str]:
    """The fields of `schema` that Whoosh keeps the spelling words of another field in."""
    from whoosh.fields import SpellField

    return frozenset(name for name, field in schema.items() if isinstance(field, SpellField))


def worker_writer(ix: FileIndex, limitmb: int) -> AccordWriter:
    """A writer of a segment of its own for a worker process of a run (whose writer holds
    the lock and adopts the segment)."""
    import os

    return AccordWriter(ix, limitmb, temporary=_worker_folder(os.getpid()), _lk=False)


def discard_worker_files(index_dir: Path, pid: int) -> None:
    """Remove the posting runs of a worker that was stopped before it finished (Whoosh's
    own clean-up of the run's temporary folder removes files, not folders)."""
    import shutil

    shutil.rmtree(index_dir / f"{INDEX_NAME}.tmp" / _worker_folder(pid), ignore_errors=True)


def _worker_folder(pid: int) -> str:
    return f"worker-{pid}"


def finished_segment(writer: AccordWriter) -> Segment | None:
    """The segment a worker writer wrote, its files complete; None when it wrote nothing."""
    if not writer._added:
        writer.cancel()
        return None
    segment = writer._finalize_segment()
    writer._finish()
    return segment
