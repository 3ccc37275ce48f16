"""The index writer: Whoosh's segment writer, with a posting pool that spills its sorted
runs to disk in chunks.

Whoosh buffers the postings of a run in memory, sorts them, and writes the run with one
pickle call per posting, then reads it back the same way to merge the runs at commit,
which costs a good part of indexing. Here a run is written and read RUN_CHUNK postings to
a pickle: the same postings in the same order, and memory still bounded (one chunk per
run while merging).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any, BinaryIO

from whoosh.writing import PostingPool, SegmentWriter

if TYPE_CHECKING:
    from whoosh.index import FileIndex

RUN_CHUNK = 512
"""Postings per pickle in a run file. Merging holds one chunk of each run in memory, so a
large collection's many runs still fit in little."""


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, writing and reading its runs in chunks of RUN_CHUNK postings."""

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
    """Whoosh's segment writer with a ChunkedPostingPool of `limitmb` megabytes."""

    def __init__(self, ix: FileIndex, limitmb: int, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
