"""The array helpers give numpy's answers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.arrays import distinct


@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=300))
def test_distinct_values_are_numpys_unique_values(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    found = distinct(array)
    assert found.dtype == array.dtype
    assert found.tolist() == np.unique(array).tolist()


def test_distinct_keeps_unsigned_values_and_leaves_its_argument_alone() -> None:
    array = np.array([2**64 - 1, 5, 5, 0, 2**63], dtype=np.uint64)
    assert distinct(array).tolist() == [0, 5, 2**63, 2**64 - 1]
    assert array.tolist() == [2**64 - 1, 5, 5, 0, 2**63]
