"""Facet counts: how many matching documents (not sections) carry each value."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from indexer.schema import KEYWORD_FIELDS, YEAR, split_values

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
    counters: dict[str, Counter[str | int]] = {name: Counter() for name in fields}
    for docnum in docnums:
        stored = searcher.stored_fields(docnum)
        for name in fields:
            counters[name].update(_values(stored, name))
    return {name: _top(name, counters[name], size) for name in fields}


def _values(stored: dict, name: str) -> list[str | int]:
    if name == YEAR:
        return [stored[YEAR]] if stored.get(YEAR) is not None else []
    if name in KEYWORD_FIELDS:
        return list(dict.fromkeys(split_values(stored.get(name))))
    raise ValueError(f"{name} is not a facet field")


def _top(name: str, counter: Counter[str | int], size: int) -> FacetResult:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    counts = tuple(FacetCount(value, count) for value, count in ordered[:size])
    return FacetResult(name, counts, truncated=len(ordered) > size)
