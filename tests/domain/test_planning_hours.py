"""Next week's hours: per segment by target share, per seller evenly with carry-over."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.planning_hours import SellerNeed, SessionRules, share_week
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId

TOP, NEW, CORE, UNDER = Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER
RULES = SessionRules()


def need(seller_id: int, segment: Segment, received: int = 0, sessions: int = 5) -> SellerNeed:
    return SellerNeed(
        seller_id=SellerId(seller_id),
        segment=segment,
        received=Fraction(received),
        sessions=sessions,
    )


def test_sessions_split_as_evenly_as_the_quarter_hours_allow_longest_first() -> None:
    assert RULES.split(285) == [75, 75, 75, 60]
    assert RULES.split(90) == [90]
    assert RULES.split(105) == [60, 45]
    assert RULES.split(0) == []


def test_the_next_total_skips_what_no_number_of_sessions_can_hold() -> None:
    hour_long = SessionRules(minimum=60, maximum=90)
    assert hour_long.next_total(60, sessions=5) == 75
    assert (
        hour_long.next_total(90, sessions=5) == 120
    )  # 105 min is too much for one, too little for two
    assert RULES.next_total(0, sessions=1) == 30
    assert RULES.next_total(90, sessions=1) is None


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"step": 7}, "The planning step must divide an hour (5, 10, 15, 30 or 60 minutes)."),
        (
            {"minimum": 100, "maximum": 90},
            "Sessions must last from 100 to 90 minutes, both whole multiples of 15.",
        ),
        ({"minimum": 40}, "Sessions must last from 40 to 90 minutes, both whole multiples of 15."),
    ],
)
def test_session_rules_that_cannot_work_are_refused(fields: dict[str, int], text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        SessionRules(**fields)
    assert render_plain(error.value.message) == text


def test_segments_get_their_target_share_and_sellers_behind_get_a_quarter_of_the_gap_back() -> None:
    # 10 h: top 52.5 % = 315 min, new 25 % = 150, core 15 % = 90, under 7.5 % = 45.
    # Top seller 1 got 4 h over the last four weeks, seller 2 nothing: with the gap of 4 h,
    # seller 2 gets the even share plus a quarter of it (157.5 + 30 = 187.5 on a 15-min grid).
    week = share_week(
        available=600,
        needs=[
            need(1, TOP, 240),
            need(2, TOP, 0),
            need(3, NEW, 60),
            need(4, CORE),
            need(5, UNDER, sessions=1),
        ],
        policy=BIZTOOLS,
        rules=RULES,
    )
    assert week.budget == 600
    assert week.segments == {TOP: 315, NEW: 150, CORE: 90, UNDER: 45}
    assert week.sellers == {1: 120, 2: 195, 3: 150, 4: 90, 5: 45}
    assert week.unassigned == 0


def test_equal_history_means_equal_hours() -> None:
    week = share_week(
        available=360, needs=[need(i, TOP, 120) for i in (1, 2, 3)], policy=BIZTOOLS, rules=RULES
    )
    assert week.sellers == {1: 120, 2: 120, 3: 120}


def test_with_more_sellers_than_hours_those_furthest_behind_get_the_first_sessions() -> None:
    needs = [need(i, TOP, received=10 * (8 - i)) for i in range(1, 9)]  # seller 8 got least
    week = share_week(available=120, needs=needs, policy=BIZTOOLS, rules=RULES)
    assert week.sellers == {1: 0, 2: 0, 3: 0, 4: 0, 5: 30, 6: 30, 7: 30, 8: 30}


def test_hours_a_segment_cannot_take_go_to_the_one_furthest_below_target_within_its_band() -> None:
    # The new seller can have one session (90 min) of the new band's 150: the 60 left go,
    # 15 min at a time, to whichever segment is furthest below its target and has room.
    week = share_week(
        available=600,
        needs=[need(1, TOP), need(2, NEW, sessions=1), need(3, CORE), need(4, UNDER)],
        policy=BIZTOOLS,
        rules=RULES,
    )
    assert week.segments == {TOP: 345, NEW: 90, CORE: 105, UNDER: 60}
    assert week.unassigned == 0


def test_what_no_seller_can_take_stays_unassigned() -> None:
    # Two top sellers can have at most 5 × 90 min each; the seller without a plan gets one talk.
    week = share_week(
        available=1800,
        needs=[need(1, TOP), need(2, TOP), need(3, UNDER, sessions=1)],
        policy=BIZTOOLS,
        rules=RULES,
    )
    assert week.segments == {TOP: 900, NEW: 0, CORE: 0, UNDER: 90}
    assert week.unassigned == 810


def test_everyone_gets_a_first_session_before_anyone_gets_more() -> None:
    week = share_week(
        available=130,
        needs=[need(1, TOP), need(2, NEW), need(3, CORE), need(4, UNDER)],
        policy=BIZTOOLS,
        rules=RULES,
    )
    assert week.budget == 120  # whole quarter hours only
    assert week.sellers == {1: 30, 2: 30, 3: 30, 4: 30}


def test_too_few_hours_for_everyone_favour_the_segments_the_policy_weights() -> None:
    week = share_week(
        available=90,
        needs=[need(1, TOP), need(2, NEW), need(3, CORE), need(4, UNDER)],
        policy=BIZTOOLS,
        rules=RULES,
    )
    assert week.sellers == {1: 30, 2: 30, 3: 30, 4: 0}


def test_a_segment_of_many_gets_first_sessions_before_a_top_seller_gets_a_second() -> None:
    # The reported case: 10 hours, the core's 15 % (90 min) would cover three of its five
    # sellers; all five get their first session before any top seller gets a second.
    needs = [need(1, TOP), need(2, TOP), *(need(i, CORE) for i in range(3, 8))]
    week = share_week(available=600, needs=needs, policy=BIZTOOLS, rules=RULES)
    assert [week.sellers[SellerId(i)] for i in range(3, 8)] == [30] * 5
    assert week.sellers[SellerId(1)] + week.sellers[SellerId(2)] == 450


def test_no_days_means_no_hours() -> None:
    week = share_week(available=600, needs=[need(1, TOP, sessions=0)], policy=BIZTOOLS, rules=RULES)
    assert (week.sellers, week.unassigned) == ({1: 0}, 600)


# --- invariants -------------------------------------------------------------------------------


@st.composite
def teams(draw: st.DrawFn) -> list[SellerNeed]:
    size = draw(st.integers(1, 15))
    return [
        need(
            i,
            draw(st.sampled_from(SEGMENT_ORDER)),
            received=draw(st.integers(0, 900)),
            sessions=draw(st.integers(0, 5)),
        )
        for i in range(1, size + 1)
    ]


@given(teams(), st.integers(0, 40 * 60))
def test_hours_given_never_exceed_the_hours_available_and_every_seller_gets_whole_sessions(
    needs: list[SellerNeed], available: int
) -> None:
    week = share_week(available=available, needs=needs, policy=BIZTOOLS, rules=RULES)
    assert sum(week.sellers.values()) + week.unassigned == week.budget <= available
    assert sum(week.segments.values()) == sum(week.sellers.values())
    for n in needs:
        minutes = week.sellers[n.seller_id]
        sessions = RULES.split(minutes)
        assert len(sessions) <= n.sessions
        assert all(RULES.minimum <= s <= RULES.maximum and s % RULES.step == 0 for s in sessions)
