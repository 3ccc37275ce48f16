"""Facet counts: how many matching documents (not sections) carry each value.

Values are read from the facet fields' columns (one value string per record, read by
record number), never from stored fields, so a count costs a column lookup per matching
document whatever the size of its text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Iterable
from weakref import WeakKeyDictionary

from indexer.schema import KEYWORD_FIELDS, YEAR, split_values

DEFAULT_FACET_SIZE = 10
MAX_YEAR = 9999
"""Above it, a year column holds Whoosh's "no value" (2**31 - 1)."""


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One facet value and the number of matching documents that carry it."""

    value: str | int
    count: int


@dataclass(frozen=True, slots=True)
class FacetResult:
    """The largest values of one facet; `truncated` when more values exist."""

    field: str
    counts: tuple[FacetCount, ...]
    truncated: bool


def count_facets(
    searcher,  # noqa: ANN001 - a Whoosh searcher
    docnums: Iterable[int],
    fields: Iterable[str],
    size: int = DEFAULT_FACET_SIZE,
) -> dict[str, FacetResult]:
    """Count facet values over documents, given one record number per document.

    Documents without a value for a field are not counted in it (there is no
    "none" bucket); values are ordered by count, then by value.
    """
    fields = list(fields)
    if not fields:
        return {}
    for name in fields:
        if name != YEAR and name not in KEYWORD_FIELDS:
            raise ValueError(f"{name} is not a facet field")
    docnums = list(docnums)
    counters: dict[str, Counter[str | int]] = {}
    for name in fields:
        values = map(column(searcher.reader(), name).__getitem__, docnums)
        if name == YEAR:
            counters[name] = Counter(year for year in values if year is not None and 0 < year <= MAX_YEAR)
        else:
            counters[name] = Counter(value for joined in values for value in set(split_values(joined)))
    return {name: _top(name, counters[name], size) for name in fields}


class Column:
    """A field's column across the index's segments, read by record number; None for a
    record in a segment that has no column for it (Whoosh writes none when no record of
    the segment has a value, and its own multi-segment reader then shifts every record
    after that segment onto the wrong one)."""

    def __init__(self, reader, name: str) -> None:  # noqa: ANN001 - a Whoosh reader
        leaves = reader.leaf_readers()
        self._starts = [offset for _, offset in leaves]
        self._columns = [leaf.column_reader(name) if leaf.has_column(name) else None for leaf, _ in leaves]

    def __getitem__(self, docnum: int):  # noqa: ANN204 - the column's value type
        segment = bisect_right(self._starts, docnum) - 1
        column = self._columns[segment]
        return None if column is None else column[docnum - self._starts[segment]]


_COLUMNS: WeakKeyDictionary = WeakKeyDictionary()
"""Per open reader, its Column of each field read so far (a reader's segments never change)."""


def column(reader, name: str) -> Column:  # noqa: ANN001 - a Whoosh reader
    """The Column of a field, made once per open reader: making one reads the offsets of
    every value in every segment, which costs more than a search's own lookups."""
    columns = _COLUMNS.setdefault(reader, {})
    if name not in columns:
        columns[name] = Column(reader, name)
    return columns[name]


def _top(name: str, counter: Counter[str | int], size: int) -> FacetResult:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    counts = tuple(FacetCount(value, count) for value, count in ordered[:size])
    return FacetResult(name, counts, truncated=len(ordered) > size)
