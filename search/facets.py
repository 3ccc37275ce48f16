"""Facet counts: how many matching documents (not sections) carry each value.

Counts come from the numpy columns of indexer.store.columns (which document carries which
value), a few array operations per field whatever the number of matches. `column` reads
one Whoosh column by record number, for the few records a page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from indexer.fields import KEYWORD_FIELDS, YEAR
from search.results import FacetCount, FacetResult

if TYPE_CHECKING:
    import numpy as np

    from indexer.store.columns import Columns
    from search.request import Filters

DEFAULT_FACET_SIZE = 10


def allowed_documents(columns: Columns, filters: Filters) -> np.ndarray | None:
    """For each document, whether the filters allow it, read from the columns as Whoosh
    reads the filter query (values in any case, any alias; year ranges inclusive). None
    when there is no filter, or a date filter (the columns keep no document's last day)."""
    import numpy as np

    from search.request import keyword_filters

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


def _top(name: str, counter: dict[str | int, int], size: int) -> FacetResult:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    counts = tuple(FacetCount(value, count) for value, count in ordered[:size])
    return FacetResult(name, counts, truncated=len(ordered) > size)
