"""Facet filters and counts: which documents each filter allows, and how many matching
documents (not sections) carry each value.

Both come from the numpy columns of indexer.store.columns (which document carries which
value, its year, month and days), a few array operations per field whatever the number of
matches. Several values of one field widen it (OR), fields narrow each other (AND), and
each field is counted over the documents the *other* fields' filters allow, so that the
values next to a chosen one keep their counts and can be added to it. Documents without a
value count under "(none)", which can be chosen too. Years and months come in date order,
every one of their span, with zero for a gap.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from indexer.arrays import distinct
from indexer.fields import KEYWORD_FIELDS, MONTH, NONE, PERSON, YEAR
from search.request import month_label
from search.results import FacetCount, FacetResult

if TYPE_CHECKING:
    import numpy as np

    from indexer.store.columns import Columns
    from search.request import Filters, YearRange

DEFAULT_FACET_SIZE = 10
MAX_BUCKETS = {YEAR: 200, MONTH: 240}
"""The most years and months a facet gives (the latest); beyond, it says it was cut."""
DATES = "dates"
"""The key of the --from/--to filter among filter_masks's masks (it is no facet)."""
JOINT = "joint"
"""The key of the --joint filter among filter_masks's masks."""


def filter_masks(columns: Columns, filters: Filters) -> dict[str, np.ndarray]:
    """For each field the filters restrict (and DATES for --from/--to), whether each document
    passes that field's filter: it carries one of the chosen values (any alias, any case;
    year ranges inclusive; "(none)" when it carries none) and none of the excluded ones.
    A period is allowed when it overlaps the one asked for, as Whoosh's range queries read
    it; with `joint`, JOINT allows the joint statements."""
    import numpy as np

    from indexer.store.columns import NO_DAY
    from search.request import indexed_values, parse_month, parse_year_range

    every = np.ones(len(columns.year), dtype=bool)
    masks: dict[str, np.ndarray] = {}
    for name in filters.fields():
        excluded = filters.exclusions(name)
        if name == YEAR:
            mask = _in_years(columns.year, filters.years) if filters.years else every.copy()
            mask &= ~_in_years(columns.year, [parse_year_range(v) for v in excluded])
        elif name == MONTH:
            mask = np.isin(columns.month, filters.months) if filters.months else every.copy()
            mask &= ~np.isin(columns.month, [parse_month(v) for v in excluded])
        else:
            chosen = filters.selected(name)
            mask = _carrying(columns, name, indexed_values(name, chosen)) if chosen else every.copy()
            mask &= ~_carrying(columns, name, indexed_values(name, excluded))
        masks[name] = mask
    if filters.date_from or filters.date_to:
        mask = columns.day != NO_DAY
        if filters.date_from:
            mask &= columns.end >= _day_number(filters.date_from)
        if filters.date_to:
            mask &= columns.day <= _day_number(filters.date_to)
        masks[DATES] = mask
    if filters.joint:
        masks[JOINT] = columns.joint.copy()
    return masks


def _carrying(columns: Columns, name: str, values: set[str]) -> np.ndarray:
    """Whether each document carries one of `values` (lower case; "(none)": no value at all)."""
    import numpy as np

    documents, carried = columns.pairs[name]
    wanted = {value_key(name, value) for value in values}
    ordinals = [i for i, value in enumerate(columns.values[name]) if value_key(name, value) in wanted]
    found = np.zeros(len(columns.year), dtype=bool)
    found[documents[np.isin(carried, ordinals)]] = True
    if NONE in values:
        found |= ~_carries_any(columns, name)
    return found


def _carries_any(columns: Columns, name: str) -> np.ndarray:
    import numpy as np

    found = np.zeros(len(columns.year), dtype=bool)
    found[columns.pairs[name][0]] = True
    return found


def _in_years(years: np.ndarray, ranges: Iterable[YearRange]) -> np.ndarray:
    import numpy as np

    inside = np.zeros(len(years), dtype=bool)
    for span in ranges:
        inside |= (years >= span.start) & (years <= span.end)
    return inside


def _day_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def allowed_by(masks: Mapping[str, np.ndarray], but: str | None = None) -> np.ndarray | None:
    """The documents every mask allows (leaving out the mask of field `but`); None when
    no mask restricts them."""
    chosen = [mask for name, mask in masks.items() if name != but]
    if not chosen:
        return None
    allowed = chosen[0].copy()
    for mask in chosen[1:]:
        allowed &= mask
    return allowed


def count_facets(columns: Columns, documents: np.ndarray, fields: Iterable[str],
                 size: int = DEFAULT_FACET_SIZE, filters: Filters | None = None,
                 unfiltered: np.ndarray | None = None, masks: Mapping[str, np.ndarray] | None = None,
                 sizes: Mapping[str, int] | None = None) -> dict[str, FacetResult]:
    """Count facet values over `documents`, given by their numbers (each once).

    A field the `filters` restrict is counted instead over the `unfiltered` documents (the
    query's matches before any filter) that the other fields' `masks` allow, and its chosen
    values are marked `selected` and listed first (even when they fall outside the top `size`).
    Values come by count, then by value; years and months in date order. `sizes` gives
    some fields a size of their own."""
    import numpy as np

    fields = list(fields)
    for name in fields:
        if name not in (YEAR, MONTH) and name not in KEYWORD_FIELDS:
            raise ValueError(f"{name} is not a facet field")
    counted: dict[str, FacetResult] = {}
    for name in fields:
        over = documents
        if filters is not None and unfiltered is not None and masks and name in masks:
            others = allowed_by(masks, but=name)
            over = unfiltered if others is None else unfiltered[others[unfiltered]]
        selected = selected_values(name, filters) if filters is not None else set()
        if name in (YEAR, MONTH):
            counted[name] = _dated(name, (columns.year if name == YEAR else columns.month)[over], selected)
            continue
        chosen = np.zeros(len(columns.year), dtype=bool)
        chosen[over] = True
        found = _keyword_counts(columns, name, chosen)
        missing = int((chosen & ~_carries_any(columns, name)).sum())
        counted[name] = keyword_facet(name, found, columns.values[name], (sizes or {}).get(name, size), selected,
                                      missing)
    return counted


def keyword_facet(name: str, found: dict[str, int], values: Iterable[str], size: int, selected: set[str],
                  missing: int) -> FacetResult:
    """A keyword field's facet from its documents per value (`found`): the `size` largest
    values, those `selected` (lower case, "(none)" included) first even when no document
    counted has them (`values`: every value the index holds), and "(none)" for the
    `missing` documents without a value."""
    wanted = {value_key(name, chosen_value) for chosen_value in selected}
    shown = {value_key(name, value) for value in found}
    found = dict(found)
    for value in sorted(values):  # a chosen value no document counted has, in one spelling
        key = value_key(name, value)
        if key in wanted and key not in shown:
            found[value] = 0
            shown.add(key)
    picked = {value for value in found if value_key(name, value) in wanted}
    return _top(name, found, size, picked, missing, NONE in selected)


def value_key(fieldname: str, value: str) -> str:
    """What two spellings of one value share: its lower case, and for a person's name its
    letters without accents too ("António Guterres" and "Antonio Guterres" are one person)."""
    if fieldname != PERSON:
        return value.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c))


def _keyword_counts(columns: Columns, name: str, chosen: np.ndarray) -> dict[str, int]:
    """Documents per value of a keyword field among the `chosen` ones; values spelled two
    ways (value_key) count once, under the spelling most documents use."""
    import numpy as np

    owners, ordinals = columns.pairs[name]
    values = columns.values[name]
    live = chosen[owners]
    counts = np.bincount(ordinals[live], minlength=len(values))
    keys = [value_key(name, value) for value in values]
    if len(set(keys)) == len(keys):
        return {values[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}
    groups = {key: n for n, key in enumerate(dict.fromkeys(keys))}
    group_of = np.array([groups[key] for key in keys], dtype=np.int64)
    pairs = distinct(owners[live].astype(np.int64) * len(groups) + group_of[ordinals[live]])
    grouped = np.bincount(pairs % len(groups), minlength=len(groups))
    spelling: dict[int, int] = {}
    for i, group in enumerate(group_of.tolist()):
        if group not in spelling or counts[i] > counts[spelling[group]]:
            spelling[group] = i
    return {values[spelling[g]]: int(grouped[g]) for g in np.flatnonzero(grouped).tolist()}


def selected_values(name: str, filters: Filters) -> set:
    """A field's chosen values: lower case, year ranges, or month numbers."""
    from search.request import indexed_values

    if name == YEAR:
        return set(filters.years)
    if name == MONTH:
        return set(filters.months)
    return indexed_values(name, filters.selected(name))


def _top(name: str, counter: dict[str, int], size: int, picked: set[str], missing: int,
         none_chosen: bool) -> FacetResult:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    top = [value for value, _ in ordered[:size]]
    shown = [value for value, _ in ordered if value in picked] + [value for value in top if value not in picked]
    counts = [FacetCount(value, counter[value], value in picked) for value in shown]
    if missing or none_chosen:
        counts.append(FacetCount(NONE, missing, none_chosen))
    return FacetResult(name, tuple(counts), truncated=len(ordered) > len(top))


def _dated(name: str, values: np.ndarray, chosen: set) -> FacetResult:
    import numpy as np

    numbers, counts = np.unique(values, return_counts=True)
    return dated_facet(name, {int(n): int(c) for n, c in zip(numbers.tolist(), counts.tolist())}, chosen)


def dated_facet(name: str, found: dict[int, int], chosen: set) -> FacetResult:
    """The year or month facet of documents counted per year (or YYYYMM month; 0 for none):
    every one from the first to the last (the latest MAX_BUCKETS), in date order, with zero
    for those no document has; "(none)" last. `chosen`: the filter's year ranges or months."""
    found = dict(found)
    missing = found.pop(0, 0)
    if name == YEAR:
        span = list(range(min(found), max(found) + 1)) if found else []
        is_chosen = lambda year: any(r.start <= year <= r.end for r in chosen)
        none_chosen = any(r.start <= 0 <= r.end for r in chosen)
        label = lambda year: year
    else:
        span = _months(min(found), max(found)) if found else []
        is_chosen = lambda month: month in chosen
        none_chosen = 0 in chosen
        label = month_label
    cut = len(span) > MAX_BUCKETS[name]
    span = span[-MAX_BUCKETS[name]:]
    counts_out = [FacetCount(label(n), found.get(n, 0), is_chosen(n)) for n in span]
    if missing or none_chosen:
        counts_out.append(FacetCount(NONE, missing, none_chosen))
    return FacetResult(name, tuple(counts_out), truncated=cut)


def _months(first: int, last: int) -> list[int]:
    """Every month number (YYYYMM) from `first` to `last`."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month + 89 if month % 100 == 12 else month + 1
    return months
