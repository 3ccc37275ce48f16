"""Array helpers that the write path and the read path share.

numpy's stable sort of 64-bit numbers is a merge sort, several times slower than its
default sort; these helpers give the stable answers from the default sort, putting ties
back in the order of their positions with a second sort of (run, position) numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d array of numbers, in increasing order: np.unique's
    answer, found by sorting. Since numpy 2.3, np.unique asked for nothing else finds them
    with a hash table, which is many times slower on integers."""
    import numpy as np

    ordered = np.sort(values)
    return ordered[_run_starts(ordered)]


def stable_argsort(values: np.ndarray) -> np.ndarray:
    """`np.argsort(values, kind="stable")` of a 1-d array of numbers: equal values keep the
    order of their positions, so that what is built from the order does not depend on the
    sorting algorithm."""
    import numpy as np

    order = np.argsort(values)
    ordered = values[order]
    tied = ordered[1:] == ordered[:-1]
    if not tied.any():
        return order
    in_run = np.zeros(len(order), dtype=bool)
    in_run[1:] |= tied
    in_run[:-1] |= tied
    at = np.flatnonzero(in_run)  # whole runs of equal values, already in place
    run = np.cumsum(_run_starts(ordered[at]), dtype=np.int64)
    order[at] = np.sort(run * len(order) + order[at]) % len(order)  # by run, then by position
    return order


def first_positions(values: np.ndarray) -> np.ndarray:
    """The position of each distinct value's first occurrence in a 1-d array of numbers, in
    increasing order of the values: `np.unique(values, return_index=True)[1]`."""
    import numpy as np

    if not len(values):
        return np.zeros(0, dtype=np.intp)
    order = np.argsort(values)
    ordered = values[order]
    return np.minimum.reduceat(order, np.flatnonzero(_run_starts(ordered)))


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Which values of a sorted 1-d array differ from the one before (the first always)."""
    import numpy as np

    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts
