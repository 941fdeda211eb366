"""Perceived against measured: four shares that sum to 100, and the largest average gap."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.errors import InvalidInput
from krutt.domain.perceived import (
    CLOSE_ENOUGH,
    OVER,
    UNDER,
    WeekComparison,
    average_gaps,
    gap_message,
    perceived_split,
)
from krutt.domain.segments import SEGMENT_ORDER, Segment

T, N, C, U = SEGMENT_ORDER


def _split(top, new, core, under):
    return {
        T: Fraction(top, 100),
        N: Fraction(new, 100),
        C: Fraction(core, 100),
        U: Fraction(under, 100),
    }


def test_four_percentages_that_sum_to_100_become_shares():
    assert perceived_split({T: 50, N: 25, C: 15, U: 10}) == _split(50, 25, 15, 10)


def test_a_split_that_does_not_sum_to_100_is_refused_with_its_sum():
    with pytest.raises(InvalidInput) as refused:
        perceived_split({T: 50, N: 25, C: 15, U: 15})
    assert refused.value.message.params == {"total": 105}


def test_the_issue_example_underestimating_the_tail():
    weeks = [
        WeekComparison(perceived=_split(50, 25, 15, 10), measured=_split(35, 25, 12, 28))
        for _ in range(8)
    ]
    message = gap_message(weeks)
    assert message is not None
    assert (message.plural, message.params["segment"], message.params["points"]) == (
        UNDER[1],
        Segment.UNDER.label,
        18,
    )
    assert message.params["weeks"] == 8


def test_an_overestimate_and_a_close_estimate():
    over = gap_message(
        [WeekComparison(perceived=_split(70, 10, 10, 10), measured=_split(40, 20, 20, 20))]
    )
    assert over is not None and (over.text, over.params["segment"]) == (OVER[0], Segment.TOP.label)
    close = gap_message(
        [WeekComparison(perceived=_split(50, 25, 15, 10), measured=_split(52, 24, 14, 10))]
    )
    assert close is not None and close.text == CLOSE_ENOUGH[0]
    assert gap_message([]) is None


percent = st.integers(0, 100)


@given(percent, percent, percent, percent)
def test_a_split_is_accepted_exactly_when_it_sums_to_100(top, new, core, under):
    given_split = {T: top, N: new, C: core, U: under}
    if top + new + core + under == 100:
        assert sum(perceived_split(given_split).values()) == 1
    else:
        with pytest.raises(InvalidInput):
            perceived_split(given_split)


@st.composite
def shares(draw: st.DrawFn) -> tuple[int, int, int]:
    """Three shares that leave the fourth 0–100 (drawn within what is left: no filtering)."""
    top = draw(st.integers(0, 100))
    new = draw(st.integers(0, 100 - top))
    core = draw(st.integers(0, 100 - top - new))
    return top, new, core


@given(st.lists(st.tuples(shares(), shares()), min_size=1, max_size=8))
def test_the_gaps_of_splits_that_sum_to_one_sum_to_zero(pairs):
    weeks = [
        WeekComparison(perceived=_split(*p, 100 - sum(p)), measured=_split(*m, 100 - sum(m)))
        for p, m in pairs
    ]
    assert sum(average_gaps(weeks).values()) == 0
