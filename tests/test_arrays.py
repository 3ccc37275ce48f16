"""The array helpers give numpy's answers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.arrays import distinct, first_positions, stable_argsort


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


@given(st.lists(st.integers(min_value=-3, max_value=3) | st.integers(min_value=0, max_value=2**62), max_size=300))
def test_stable_argsort_is_numpys_stable_argsort(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    assert stable_argsort(array).tolist() == np.argsort(array, kind="stable").tolist()
    assert array.tolist() == values


def test_stable_argsort_puts_ties_in_order_of_position_among_many_values() -> None:
    array = np.random.default_rng(7).integers(0, 50, 5_000).astype(np.uint64)
    assert stable_argsort(array).tolist() == np.argsort(array, kind="stable").tolist()


@given(st.lists(st.integers(min_value=-5, max_value=5) | st.integers(min_value=0, max_value=2**62), max_size=300))
def test_first_positions_are_numpys_unique_indexes(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    found = first_positions(array)
    assert found.tolist() == np.unique(array, return_index=True)[1].tolist()
    assert array.tolist() == values
