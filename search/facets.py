"""Facet counts: how many matching documents (not sections) carry each value.

Counts come from the numpy columns of indexer.columns (which document carries which
value), a few array operations per field whatever the number of matches. `column` reads
one Whoosh column by record number, for the few records a page shows.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable
from weakref import WeakKeyDictionary

from indexer.schema import KEYWORD_FIELDS, YEAR

if TYPE_CHECKING:
    import numpy as np

    from indexer.columns import Columns
    from search.query import Filters

DEFAULT_FACET_SIZE = 10


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


def allowed_documents(columns: Columns, filters: Filters) -> np.ndarray | None:
    """For each document, whether the filters allow it, read from the columns as Whoosh
    reads the filter query (values in any case, any alias; year ranges inclusive). None
    when there is no filter, or a date filter (the columns keep no document's last day)."""
    import numpy as np

    from search.query import keyword_filters

    if filters.date_from or filters.date_to:
        return None
    allowed, restricted = np.ones(len(columns.year), dtype=bool), False
    for name, values in keyword_filters(filters):
        wanted = set(values)
        ordinals = [i for i, value in enumerate(columns.values[name]) if value.lower() in wanted]
        documents, carried = columns.pairs[name]
        carrying = np.zeros(len(allowed), dtype=bool)
        carrying[documents[np.isin(carried, ordinals)]] = True
        allowed &= carrying
        restricted = True
    if filters.years:
        in_range = np.zeros(len(allowed), dtype=bool)
        for years in filters.years:
            in_range |= (columns.year >= years.start) & (columns.year <= years.end)
        allowed &= in_range
        restricted = True
    return allowed if restricted else None


def count_facets(columns: Columns, documents: np.ndarray, fields: Iterable[str],
                 size: int = DEFAULT_FACET_SIZE) -> dict[str, FacetResult]:
    """Count facet values over documents, given by their numbers (each once).

    Documents without a value for a field are not counted in it (there is no
    "none" bucket); values are ordered by count, then by value.
    """
    import numpy as np

    fields = list(fields)
    for name in fields:
        if name != YEAR and name not in KEYWORD_FIELDS:
            raise ValueError(f"{name} is not a facet field")
    chosen = np.zeros(len(columns.year), dtype=bool)
    chosen[documents] = True
    counted: dict[str, FacetResult] = {}
    for name in fields:
        if name == YEAR:
            years, counts = np.unique(columns.year[documents], return_counts=True)
            found = {year: count for year, count in zip(years.tolist(), counts.tolist()) if year}
        else:
            owners, ordinals = columns.pairs[name]
            counts = np.bincount(ordinals[chosen[owners]], minlength=len(columns.values[name]))
            found = {columns.values[name][i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}
        counted[name] = _top(name, found, size)
    return counted


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


def _top(name: str, counter: dict[str | int, int], size: int) -> FacetResult:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    counts = tuple(FacetCount(value, count) for value, count in ordered[:size])
    return FacetResult(name, counts, truncated=len(ordered) > size)
