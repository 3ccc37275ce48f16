"""Array helpers that the write path and the read path share."""

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
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
