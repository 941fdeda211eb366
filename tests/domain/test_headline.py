"""The overview's headline: the segment furthest outside its band, with its numbers."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from krutt.domain.allocation import SellerTime, Status, allocate_time
from krutt.domain.headline import (
    ABOVE,
    ABOVE_ONE,
    BELOW,
    NO_TIME,
    WITHIN,
    choose_headline,
    miss,
)
from krutt.domain.messages import Label, Percent
from krutt.domain.policy import PRESETS
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from tests.builders import make_roster_seller

POLICY = PRESETS["biztools"]
PERIOD = Label("the last 4 complete weeks")
ROSTER = [
    make_roster_seller(1, Segment.TOP, name="Tor Topp"),
    make_roster_seller(2, Segment.NEW, name="Nina Ny"),
    make_roster_seller(3, Segment.CORE, name="Kåre Kjerne"),
    make_roster_seller(4, Segment.UNDER, name="Hanna Eide"),
    make_roster_seller(5, Segment.UNDER, name="Ulf Under"),
]


def _allocation(minutes: dict[int, int]):
    time = [
        SellerTime(SellerId(s), ROSTER[s - 1].segment_at_end, 1, m) for s, m in minutes.items() if m
    ]
    return allocate_time(time=time, roster=ROSTER, policy=POLICY)


def test_the_issue_example_names_the_segment_and_the_seller_who_takes_most_of_it():
    # 59 % to Not delivering, 60 % of that to Hanna Eide.
    allocation = _allocation({1: 200, 2: 100, 3: 110, 4: 354, 5: 236})
    headline = choose_headline(allocation, period=PERIOD)
    assert headline.message.text == ABOVE_ONE
    assert headline.message.params["share"] == Percent(Fraction(590, 1000))
    assert headline.message.params["seller"] == "Hanna Eide"
    assert headline.message.params["seller_share"] == Percent(Fraction(354, 590))
    assert (headline.segment, headline.seller_id) == (Segment.UNDER, SellerId(4))


def test_no_time_says_so_first():
    headline = choose_headline(_allocation({}), period=PERIOD)
    assert headline.message.text == NO_TIME
    assert headline.segment is None


def test_within_the_policy_names_the_largest_share():
    headline = choose_headline(_allocation({1: 550, 2: 250, 3: 150, 4: 50}), period=PERIOD)
    assert (headline.message.text, headline.segment) == (WITHIN, Segment.TOP)


def test_too_little_on_the_best_is_said_with_the_policy_minimum():
    headline = choose_headline(_allocation({1: 100, 2: 250, 3: 200, 4: 60, 5: 10}), period=PERIOD)
    assert (headline.message.text, headline.segment) == (BELOW, Segment.TOP)
    assert headline.message.params["minimum"] == Percent(Fraction(1, 2))


minutes = st.dictionaries(st.integers(1, 5), st.integers(0, 900), min_size=1)


@given(minutes)
def test_the_headline_is_about_the_segment_that_misses_its_band_most(spent):
    allocation = _allocation(spent)
    assume(allocation.seller_minutes > 0)
    headline = choose_headline(allocation, period=PERIOD)
    misses = {s: miss(allocation.segments[s]) for s in SEGMENT_ORDER}
    assert headline.segment is not None
    if max(misses.values()) == 0:
        assert headline.message.text == WITHIN
        assert all(allocation.segments[s].status is not Status.ABOVE for s in SEGMENT_ORDER)
    else:
        assert misses[headline.segment] == max(misses.values())
        assert headline.message.text in (ABOVE, ABOVE_ONE, BELOW)
    # The share it prints is the share the bars show.
    assert headline.message.params["share"] == Percent(allocation.segments[headline.segment].share)


@given(minutes)
def test_a_named_seller_takes_at_least_half_of_the_segments_time(spent):
    allocation = _allocation(spent)
    assume(allocation.seller_minutes > 0)
    headline = choose_headline(allocation, period=PERIOD)
    assume(headline.seller_id is not None)
    segment = allocation.segments[headline.segment]
    theirs = sum(
        s.minutes
        for s in allocation.sellers
        if s.seller_id == headline.seller_id and s.segment is headline.segment
    )
    assert theirs / segment.minutes >= Fraction(1, 2)
