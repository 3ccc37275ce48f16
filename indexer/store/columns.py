"""Document columns as numpy arrays, one file per index segment, written at commit.

Searches group matching sections into documents, count facet values and sort by date
from these arrays, so the cost follows the number of matches, never the size of the
index. Per segment (segments never change once written; a merge makes a new one):

- `document`: for each record, the number of its document in the segment (a document's
  sections are consecutive records of one segment);
- per document: `year` (0 for none), `day` and `end` (the first and last day its date
  covers, as YYYYMMDD, or Whoosh's "no value"), and for each keyword facet field the distinct values of the segment
  (`FIELD.values`) with (`FIELD.documents`, `FIELD.ordinals`) pairs saying which document
  carries which;
  per document, its fingerprint (`exact`, `signature`: indexer.fingerprint);
- per source file (`file.*`, read by the indexer only): its first record, name, content
  hash, mtime, size and number of documents, so that a reindex learns what is indexed
  without walking every record.

Files are named after their segment; `write_columns` runs after every commit, writes
those missing and deletes those of segments gone. A search that finds one missing (an
index being written, or written by an older accord) makes it and saves it if it can.

The copy groups of the documents an index holds (indexer.store.copies) depend on every
segment and on what was deleted from each: they are kept in a file of their own named
after both (`copies-KEY.npy`), written after every commit and made when missing. Joined
with the segments' columns, they give each document of a group its group's issuers, and
a document with several issuers the type of a joint statement.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal
from weakref import WeakKeyDictionary

from indexer.arrays import distinct
from indexer.fields import (
    CONTENT_HASH,
    DATE_END,
    DATE_START,
    DOC_ID,
    FILE,
    FINGERPRINT,
    ISSUER,
    KEYWORD_FIELDS,
    MTIME,
    SIZE,
    TYPE,
    YEAR,
    split_values,
)
from indexer.fingerprint import EXACT_BYTES, PERMUTATIONS
from indexer.store.copies import NO_GROUP, copy_groups, joint_type

if TYPE_CHECKING:
    import numpy as np
    from whoosh.codec.base import Segment
    from whoosh.index import FileIndex
    from whoosh.reading import IndexReader, SegmentReader

SUFFIX = ".columns.npz"
TEMPORARY = ".tmp"
STALE_SECONDS = 600
"""A temporary column file this old was left by a process that was stopped."""
MAX_YEAR = 9999
"""Above it, a year column holds Whoosh's "no value" (2**31 - 1)."""
NO_DAY = 2**31 - 1
"""Whoosh's "no value" in a numeric column: a document with no date."""
FILE_PREFIX = "file."
"""The arrays about source files; searches do not load them."""
_FINGERPRINT_ARRAYS = frozenset({"exact", "signature"})
"""The arrays only finding the copy groups reads; searches do not load them either."""
COPIES_PREFIX = "copies-"
_COUNTED = frozenset({"document", "year"})
"""The arrays finding the copy groups needs besides the fingerprints: each record's
document, and one value per document."""
_REQUIRED = {f"{FILE_PREFIX}first", "end", "signature", *(f"{name}.values" for name in KEYWORD_FIELDS)}
"""The arrays a column file must hold to be used; one written by an older accord is made again."""
_Part = Literal["records", "files", "fingerprints"]
_FILE_COLUMNS = {"name": FILE, "hash": CONTENT_HASH, "mtime": MTIME, "size": SIZE}


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns of every segment a reader reads, numbered across them: records as the
    reader numbers them, documents one after another, segment by segment."""

    document: np.ndarray
    """The document number of each record."""
    year: np.ndarray
    day: np.ndarray
    end: np.ndarray
    """The last day of each document's date (a year's date covers the whole year)."""
    month: np.ndarray
    """Each document's month as YYYYMM, 0 when its date is not within one month."""
    values: dict[str, tuple[str, ...]]
    """Each keyword field's values, sorted; a pair's ordinal is a position in them."""
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]
    """Each keyword field's (document numbers, value ordinals); a document of a copy group
    carries every issuer of the group, and a joint statement the type of one."""
    group: np.ndarray
    """Each document's copy group (a number its copies share), NO_GROUP when it has none."""
    joint: np.ndarray
    """Whether each document is a joint statement: its text is issued by several organisations."""


@dataclass(frozen=True, slots=True)
class IndexedFile:
    """What the index holds for one source file."""

    content_hash: str
    mtime_ns: int
    size: int
    documents: int


_LOADED: WeakKeyDictionary = WeakKeyDictionary()
"""Per open reader, its Columns (a reader's segments never change)."""


def load_columns(index_dir: Path, reader: IndexReader) -> Columns:
    """The columns of the segments `reader` reads, from their files (made for any missing),
    joined once per open reader."""
    if reader not in _LOADED:
        leaves = _segment_readers(reader)
        segments = [_segment_arrays(index_dir, leaf) for leaf in leaves]
        _LOADED[reader] = _with_copies(_joined(segments), _groups(index_dir, leaves, segments))
    return _LOADED[reader]


class IndexedFiles(Mapping[str, IndexedFile]):
    """What the index holds for each source file with records, by name. Each IndexedFile
    is made when asked for: a reindex compares most files by size and mtime alone
    (`unchanged`), and asks for the few that changed."""

    def __init__(self, columns: Mapping[str, list[Any]]) -> None:
        self._row = dict(zip(columns["name"], range(len(columns["name"]))))  # a later segment's row wins
        self._hash, self._mtime, self._size, self._documents = (
            columns[key] for key in ("hash", "mtime", "size", "documents"))

    def __getitem__(self, name: str) -> IndexedFile:
        row = self._row[name]
        return IndexedFile(self._hash[row], self._mtime[row], self._size[row], self._documents[row])

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def unchanged(self, name: str, size: int, mtime_ns: int) -> bool:
        """Whether the file is indexed with this size and mtime."""
        row = self._row.get(name)
        return row is not None and self._size[row] == size and self._mtime[row] == mtime_ns

    def documents(self) -> int:
        """The number of documents of every file."""
        return sum(self._documents[row] for row in self._row.values())


def indexed_files(index_dir: Path, reader: IndexReader) -> IndexedFiles:
    """Every source file with records the reader reads (deleted ones left out), by name."""
    import numpy as np

    from indexer.store.postings import deleted_records

    columns: dict[str, list[Any]] = {key: [] for key in ("name", "hash", "mtime", "size", "documents")}
    for leaf in _segment_readers(reader):
        arrays = _segment_arrays(index_dir, leaf, "files")
        kept = np.isin(arrays[f"{FILE_PREFIX}first"], deleted_records(leaf), invert=True)
        for key, values in columns.items():
            values.extend(arrays[f"{FILE_PREFIX}{key}"][kept].tolist())
    return IndexedFiles(columns)


def write_columns(index_dir: Path, index: FileIndex) -> None:
    """After a commit of `index`: the column file of every segment that has none, and no
    file for a segment that is gone."""
    with index.reader() as reader:
        leaves = _segment_readers(reader)
        live = {leaf.segment().segment_id() for leaf in leaves}
        _groups(index_dir, leaves, [_segment_arrays(index_dir, leaf, keys=_COUNTED) for leaf in leaves])
        current = _copies_path(index_dir, leaves).name
    for path in index_dir.glob(f"*{SUFFIX}"):
        if path.name.removesuffix(SUFFIX) not in live:
            path.unlink(missing_ok=True)
    for path in index_dir.glob(f"{COPIES_PREFIX}*.npy"):
        if path.name != current:
            path.unlink(missing_ok=True)
    for path in [*index_dir.glob(f"*{SUFFIX}*{TEMPORARY}"), *index_dir.glob(f"{COPIES_PREFIX}*{TEMPORARY}")]:
        with suppress(OSError):
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()


def write_segment_columns(index_dir: Path, index: FileIndex, segment: Segment) -> None:
    """The column file of a segment a worker process has just written, made there, beside
    the other workers, rather than by the run's process after its commit."""
    from whoosh.reading import SegmentReader

    with closing(SegmentReader(index.storage, index.schema, segment)) as leaf:
        _segment_arrays(index_dir, leaf)


def _segment_readers(reader: IndexReader) -> list[SegmentReader]:
    """The readers of the reader's segments (none for an empty index, whose reader has no segment)."""
    return [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]


def _segment_arrays(index_dir: Path, leaf: SegmentReader, part: _Part = "records",
                    keys: frozenset[str] | None = None) -> dict[str, np.ndarray]:
    """A segment's arrays about records and documents, source files or fingerprints
    (`part`; only `keys` of them when given), from its column file, or computed and saved
    when the file is missing, cut short or older than the file arrays or the last days."""
    import zipfile

    import numpy as np

    def wanted(arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {key: arrays[key] for key in arrays if _part_of(key) == part and (keys is None or key in keys)}

    path = index_dir / f"{leaf.segment().segment_id()}{SUFFIX}"
    try:  # opened here: numpy leaves a file it opened open when the zip in it is cut short
        with path.open("rb") as file, np.load(file) as saved:
            if _REQUIRED <= set(saved.files):
                return wanted(saved)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        pass  # missing, or cut short: made again
    arrays = _computed(leaf)
    _save(path, lambda file: np.savez(file, allow_pickle=False, **arrays))
    return wanted(arrays)


def _save(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file through a temporary one of this thread's own, so that no reader sees it
    half written, not even while a server's thread makes the same file; an index that
    cannot be written (read-only) keeps what was made for this process only."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}{TEMPORARY}")
    try:
        with temporary.open("wb") as file:
            write(file)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _copies_path(index_dir: Path, leaves: list[SegmentReader]) -> Path:
    """The copy groups' file of an index whose segments are `leaves`, named after each
    segment and the records it still holds (a segment only ever loses records)."""
    state = ",".join(f"{leaf.segment().segment_id()}:{leaf.doc_count()}" for leaf in leaves)
    return index_dir / f"{COPIES_PREFIX}{hashlib.blake2b(state.encode(), digest_size=8).hexdigest()}.npy"


def _groups(index_dir: Path, leaves: list[SegmentReader], segments: list[dict[str, np.ndarray]]) -> np.ndarray:
    """The copy group of each document of the segments, from their file, or found and saved."""
    import numpy as np

    path = _copies_path(index_dir, leaves)
    total = sum(len(s["year"]) for s in segments)
    try:
        found = np.load(path, allow_pickle=False)
        if found.shape == (total,):
            return found
    except (OSError, ValueError, EOFError):
        pass  # missing, or cut short: found again
    from indexer.store.postings import deleted_records

    present = np.zeros(total, dtype=bool)
    start = 0
    for leaf, arrays in zip(leaves, segments):
        kept = np.ones(len(arrays["document"]), dtype=bool)
        kept[deleted_records(leaf)] = False
        present[start + arrays["document"][kept]] = True
        start += len(arrays["year"])
    group = copy_groups(*_fingerprints([_segment_arrays(index_dir, leaf, "fingerprints") for leaf in leaves]), present)
    _save(path, lambda file: np.save(file, group, allow_pickle=False))
    return group


def _part_of(key: str) -> _Part:
    return "files" if key.startswith(FILE_PREFIX) else "fingerprints" if key in _FINGERPRINT_ARRAYS else "records"


def _fingerprints(segments: list[dict[str, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    return (np.concatenate([np.zeros(0, np.uint64)] + [s["exact"] for s in segments]),
            np.concatenate([np.zeros((0, PERMUTATIONS), np.uint16)] + [s["signature"] for s in segments]))


def _computed(leaf: SegmentReader) -> dict[str, np.ndarray]:
    """A segment's arrays, from its Whoosh columns (deleted records included, as they
    keep their record numbers). A segment whose records have no ids any more has had its
    files deleted by a later commit: an error, rather than arrays of no documents."""
    import numpy as np

    if leaf.doc_count_all() and not leaf.has_column(DOC_ID):
        raise FileNotFoundError(f"The files of segment {leaf.segment().segment_id()} are gone: a commit replaced it.")
    doc_ids = list(leaf.column_reader(DOC_ID)) if leaf.has_column(DOC_ID) else []
    starts = [i for i, doc_id in enumerate(doc_ids) if i == 0 or doc_id != doc_ids[i - 1]]
    document = np.zeros(len(doc_ids), dtype=np.int32)
    document[starts[1:]] = 1
    arrays: dict[str, np.ndarray] = {"document": np.cumsum(document, dtype=np.int32)}

    def at_starts(name: str) -> list:
        if name not in leaf.schema or not leaf.has_column(name):
            return [None] * len(starts)
        column = leaf.column_reader(name)
        return [column[i] for i in starts]

    years = [y if isinstance(y, int) and 0 < y <= MAX_YEAR else 0 for y in at_starts(YEAR)]
    arrays["year"] = np.array(years, dtype=np.int32)
    for key, name in (("day", DATE_START), ("end", DATE_END)):
        arrays[key] = np.array([d if isinstance(d, int) else NO_DAY for d in at_starts(name)], dtype=np.int64)
    prints = [value or b"" for value in at_starts(FINGERPRINT)]
    arrays["exact"] = np.array([int.from_bytes(p[:EXACT_BYTES], "little") for p in prints], dtype=np.uint64)
    arrays["signature"] = np.array([np.frombuffer(p[EXACT_BYTES:], "<u2") if p else np.zeros(PERMUTATIONS, np.uint16)
                                    for p in prints], dtype=np.uint16).reshape(len(prints), PERMUTATIONS)
    for name in KEYWORD_FIELDS:
        carried = [sorted(set(split_values(joined))) for joined in at_starts(name)]
        values = sorted({value for found in carried for value in found})
        ordinal = {value: i for i, value in enumerate(values)}
        arrays[f"{name}.values"] = np.array(values, dtype=str)
        arrays[f"{name}.documents"] = np.array([d for d, found in enumerate(carried) for _ in found], dtype=np.int32)
        arrays[f"{name}.ordinals"] = np.array([ordinal[v] for found in carried for v in found], dtype=np.int32)
    return arrays | _file_arrays(leaf, starts)


def _file_arrays(leaf: SegmentReader, document_starts: list[int]) -> dict[str, np.ndarray]:
    """Per source file (its records are consecutive): first record, name, hash, mtime,
    size and number of documents."""
    import numpy as np

    names = list(leaf.column_reader(FILE)) if leaf.has_column(FILE) else []
    firsts = [i for i, name in enumerate(names) if i == 0 or name != names[i - 1]]
    arrays = {f"{FILE_PREFIX}first": np.array(firsts, dtype=np.int64)}
    for key, column_name in _FILE_COLUMNS.items():
        column = leaf.column_reader(column_name)
        numeric = key in ("mtime", "size")
        arrays[f"{FILE_PREFIX}{key}"] = np.array([column[i] for i in firsts], dtype=np.int64 if numeric else str)
    bounds = np.searchsorted(document_starts, firsts + [len(names)])
    arrays[f"{FILE_PREFIX}documents"] = np.diff(bounds).astype(np.int32)
    return arrays


def _joined(segments: list[dict[str, np.ndarray]]) -> Columns:
    """One Columns over segments read one after another."""
    import numpy as np

    offsets = np.cumsum([0] + [len(s["year"]) for s in segments])
    values: dict[str, tuple[str, ...]] = {}
    pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in KEYWORD_FIELDS:
        every = np.array(sorted({str(v) for s in segments for v in s[f"{name}.values"]}), dtype=str)
        values[name] = tuple(every.tolist())
        documents = [s[f"{name}.documents"] + offset for s, offset in zip(segments, offsets)]
        ordinals = [np.searchsorted(every, s[f"{name}.values"])[s[f"{name}.ordinals"]] for s in segments]
        pairs[name] = (np.concatenate([np.zeros(0, np.int64), *documents]),
                       np.concatenate([np.zeros(0, np.int64), *ordinals]))
    day, end = (np.concatenate([np.zeros(0, np.int64)] + [s[key] for s in segments]) for key in ("day", "end"))
    count = int(offsets[-1])
    return Columns(
        document=np.concatenate([np.zeros(0, np.int64)] + [s["document"] + o for s, o in zip(segments, offsets)]),
        year=np.concatenate([np.zeros(0, np.int32)] + [s["year"] for s in segments]),
        day=day,
        end=end,
        month=np.where((day // 100 == end // 100) & (day != NO_DAY), day // 100, 0),
        values=values,
        pairs=pairs,
        group=np.full(count, NO_GROUP, dtype=np.int64),
        joint=np.zeros(count, dtype=bool),
    )


def _with_copies(columns: Columns, group: np.ndarray) -> Columns:
    """The columns with their copy groups: each document of a group carries every issuer of
    the group; one with several issuers is a joint statement, of its own type when that
    says so already ("joint declaration"), else of type "joint statement"."""
    import numpy as np

    documents, ordinals = columns.pairs[ISSUER]
    grouped = group[documents] != NO_GROUP
    if grouped.any():
        issuer_count = len(columns.values[ISSUER])  # a pair is sorted as one number, first * issuer_count + ordinal
        labels, issuers = np.divmod(distinct(group[documents[grouped]] * issuer_count + ordinals[grouped]), issuer_count)
        per_group = np.bincount(labels, minlength=len(group))  # a group's number is below len(group)
        members = np.nonzero(group != NO_GROUP)[0]
        first, counts = (np.cumsum(per_group) - per_group)[group[members]], per_group[group[members]]
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        documents, ordinals = np.divmod(distinct(
            np.concatenate([documents[~grouped], np.repeat(members, counts)]) * issuer_count
            + np.concatenate([ordinals[~grouped], issuers[np.repeat(first, counts) + within]])), issuer_count)
    joint = np.bincount(documents, minlength=len(group)) >= 2
    types, (typed, kinds) = columns.values[TYPE], columns.pairs[TYPE]
    if joint.any():  # a type of its own, its joint version, then "joint statement" for the untyped
        names = np.array([*types, *(joint_type(value) for value in types), joint_type(None)], dtype=str)
        untyped = np.nonzero(joint & (np.bincount(typed, minlength=len(group)) == 0))[0]
        chosen = np.concatenate([np.where(joint[typed], kinds + len(types), kinds), np.full(len(untyped), 2 * len(types))])
        every, kinds = np.unique(names[chosen], return_inverse=True)
        typed, types = np.concatenate([typed, untyped]), tuple(every.tolist())
    return replace(columns, pairs={**columns.pairs, ISSUER: (documents, ordinals), TYPE: (typed, kinds)},
                   values={**columns.values, TYPE: types}, group=group, joint=joint)


class Column:
    """A field's column across the index's segments, read by record number; None for a
    record in a segment that has no column for it (Whoosh writes none when no record of
    the segment has a value, and its own multi-segment reader then shifts every record
    after that segment onto the wrong one)."""

    def __init__(self, reader: IndexReader, name: str) -> None:
        leaves = reader.leaf_readers()
        self._starts = [offset for _, offset in leaves]
        self._columns = [leaf.column_reader(name) if leaf.has_column(name) else None for leaf, _ in leaves]

    def __getitem__(self, docnum: int) -> Any:
        segment = bisect_right(self._starts, docnum) - 1
        column = self._columns[segment]
        return None if column is None else column[docnum - self._starts[segment]]


_COLUMNS: WeakKeyDictionary[IndexReader, dict[str, Column]] = WeakKeyDictionary()
"""Per open reader, its Column of each field read so far (a reader's segments never change)."""


def column(reader: IndexReader, name: str) -> Column:
    """The Column of a field, made once per open reader: making one reads the offsets of
    every value in every segment, which costs more than a search's own lookups."""
    columns = _COLUMNS.setdefault(reader, {})
    if name not in columns:
        columns[name] = Column(reader, name)
    return columns[name]
