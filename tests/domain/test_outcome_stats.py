"""The intervals behind the Results figures: Fisher z for a correlation, a seeded bootstrap for a slope."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.domain.outcome_stats import bootstrap_slope, correlation_interval, slope


def test_a_correlation_gets_its_fisher_z_interval():
    # r = √0.6 over 5 pairs: z = atanh(r) ± 1.6449/√2.
    estimate = correlation_interval([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert estimate is not None
    assert estimate.value == pytest.approx(math.sqrt(0.6))
    assert (estimate.low, estimate.high) == (
        pytest.approx(-0.130618, abs=1e-6),
        pytest.approx(0.975493, abs=1e-6),
    )
    assert estimate.n == 5


def test_flat_or_too_short_series_have_no_correlation():
    assert correlation_interval([1, 2, 3, 4], [5, 5, 5, 5]) is None
    assert correlation_interval([1, 1, 1, 1], [1, 2, 3, 4]) is None
    assert correlation_interval([1, 2, 3], [1, 2, 3]) is None


def test_the_slope_is_the_least_squares_slope():
    assert slope([0, 1, 2, 3], [1, 3, 5, 7]) == pytest.approx(2.0)
    assert slope([2, 2, 2], [1, 2, 3]) is None


def test_an_exact_line_has_a_bootstrap_interval_of_one_point():
    estimate = bootstrap_slope([0, 1, 2, 3, 4], [1, 3, 5, 7, 9], resamples=200)
    assert estimate is not None
    assert (estimate.value, estimate.low, estimate.high, estimate.n) == (
        pytest.approx(2.0),
        pytest.approx(2.0),
        pytest.approx(2.0),
        5,
    )


def test_the_same_seed_gives_the_same_interval_and_another_seed_another():
    xs = [0.0, 1.0, 2.0, 3.0, 4.0, 0.5, 1.5, 2.5]
    ys = [0.1, 0.0, 0.3, 0.2, 0.5, -0.1, 0.2, 0.1]
    first = bootstrap_slope(xs, ys, seed=7)
    assert first == bootstrap_slope(xs, ys, seed=7)
    assert first != bootstrap_slope(xs, ys, seed=8)


pairs = st.lists(
    st.tuples(
        st.floats(min_value=-100, max_value=100, allow_nan=False),
        st.floats(min_value=-100, max_value=100, allow_nan=False),
    ),
    min_size=4,
    max_size=40,
)


@given(pairs)
def test_a_correlation_interval_lies_in_minus_one_to_one_around_r(rows):
    xs, ys = [x for x, _ in rows], [y for _, y in rows]
    estimate = correlation_interval(xs, ys)
    assume(estimate is not None)
    assert estimate is not None
    assert -1 <= estimate.low <= estimate.value + 1e-12
    assert estimate.value - 1e-12 <= estimate.high <= 1


@given(pairs, st.integers(min_value=0, max_value=2**32))
def test_a_bootstrap_interval_is_ordered_and_repeatable(rows, seed):
    xs, ys = [x for x, _ in rows], [y for _, y in rows]
    estimate = bootstrap_slope(xs, ys, resamples=50, seed=seed)
    assume(estimate is not None)
    assert estimate is not None
    assert estimate.low <= estimate.high
    assert estimate == bootstrap_slope(xs, ys, resamples=50, seed=seed)
