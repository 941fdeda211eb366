"""Splitting time over sellers and segments, judged against the policy's bands."""

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.alerts import AlertCode, allocation_alerts
from krutt.domain.allocation import (
    Move,
    Status,
    allocate_time,
    judge_share,
    moves_to_policy,
    time_by_segment,
)
from krutt.domain.messages import message_numbers, render_plain
from krutt.domain.policy import BIZTOOLS, Band
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from tests.builders import make_fact, make_roster_seller

TEAM = {1: Segment.TOP, 2: Segment.TOP, 3: Segment.NEW, 4: Segment.CORE, 5: Segment.UNDER}
ROSTER = [make_roster_seller(i, s) for i, s in TEAM.items()]


def allocate(*, facts, segment_on, **kwargs):
    return allocate_time(time=time_by_segment(facts, segment_on), **kwargs)


def by_team(seller_id, day):
    return TEAM[seller_id]


def test_a_group_entry_is_split_evenly_between_its_sellers():
    allocation = allocate(
        facts=[make_fact(1, 60, 1, 5), make_fact(2, 30, 3)],
        roster=ROSTER,
        segment_on=by_team,
        policy=BIZTOOLS,
    )
    minutes = {(r.seller_id, r.segment): r.minutes for r in allocation.sellers}
    assert minutes[(1, Segment.TOP)] == 30
    assert minutes[(5, Segment.UNDER)] == 30
    assert minutes[(3, Segment.NEW)] == 30
    assert allocation.seller_minutes == 90
    assert allocation.segments[Segment.TOP].share == Fraction(1, 3)
    assert allocation.segments[Segment.UNDER].status is Status.ABOVE
    assert allocation.segments[Segment.TOP].status is Status.BELOW
    assert allocation.segments[Segment.CORE].status is Status.BELOW
    assert allocation.segments[Segment.NEW].status is Status.ABOVE


def test_a_meeting_with_more_than_eight_sellers_is_team_wide_and_not_split():
    roster = [make_roster_seller(i, Segment.CORE) for i in range(1, 11)]
    big = make_fact(1, 60, *range(1, 10))
    eight = make_fact(2, 80, *range(1, 9))
    allocation = allocate(
        facts=[big, eight], roster=roster, segment_on=lambda s, d: Segment.CORE, policy=BIZTOOLS
    )
    assert allocation.team_wide_minutes == 60
    assert allocation.seller_minutes == 80
    assert {r.minutes for r in allocation.sellers if r.seller_id <= 8} == {10}


def test_the_team_wide_limit_is_configurable():
    roster = [make_roster_seller(i, Segment.CORE) for i in range(1, 5)]
    allocation = allocate(
        facts=[make_fact(1, 60, 1, 2, 3, 4)],
        roster=roster,
        segment_on=lambda s, d: Segment.CORE,
        policy=BIZTOOLS,
        team_wide_above=3,
    )
    assert (allocation.team_wide_minutes, allocation.seller_minutes) == (60, 0)


def test_time_counts_in_the_segment_the_seller_had_on_that_day():
    def promoted_on_the_18th(seller_id, day):
        return Segment.TOP if day >= date(2026, 11, 18) else Segment.CORE

    roster = [make_roster_seller(1, Segment.TOP)]
    allocation = allocate(
        facts=[
            make_fact(1, 60, 1, day=date(2026, 11, 17)),
            make_fact(2, 30, 1, day=date(2026, 11, 18)),
        ],
        roster=roster,
        segment_on=promoted_on_the_18th,
        policy=BIZTOOLS,
    )
    assert allocation.segments[Segment.CORE].minutes == 60
    assert allocation.segments[Segment.TOP].minutes == 30
    assert [(r.segment, r.minutes) for r in allocation.sellers] == [
        (Segment.TOP, 30),
        (Segment.CORE, 60),
    ]
    assert allocation.segments[Segment.TOP].sellers == 1
    assert allocation.segments[Segment.CORE].sellers == 1


def test_a_segment_without_sellers_is_empty_not_below():
    roster = [make_roster_seller(1, Segment.TOP), make_roster_seller(2, Segment.CORE)]
    allocation = allocate(
        facts=[make_fact(1, 60, 1)],
        roster=roster,
        segment_on=lambda s, d: roster[s - 1].segment_at_end,
        policy=BIZTOOLS,
    )
    assert allocation.segments[Segment.NEW].status is Status.EMPTY
    assert allocation.segments[Segment.UNDER].status is Status.EMPTY
    assert allocation.segments[Segment.NEW].share == 0
    # Core has a seller but got no time: below its 10 % minimum.
    assert allocation.segments[Segment.CORE].status is Status.BELOW
    assert allocation.segments[Segment.TOP].status is Status.WITHIN


def test_a_segment_with_sellers_but_no_minimum_is_within_at_zero():
    assert (
        judge_share(Fraction(0), Band(minimum=Fraction(0), maximum=Fraction(1, 10)), sellers=2)
        is Status.WITHIN
    )


def test_sellers_without_time_are_listed_with_zero_hours():
    allocation = allocate(
        facts=[make_fact(1, 45, 1)], roster=ROSTER, segment_on=by_team, policy=BIZTOOLS
    )
    assert [(r.seller_id, r.minutes) for r in allocation.sellers] == [
        (1, 45),
        (2, 0),
        (3, 0),
        (4, 0),
        (5, 0),
    ]


def test_moves_take_over_band_time_to_the_segments_below_their_band():
    # 10 h: top 2 h (20 %), new 2 h, core 1 h, under 5 h (50 %).
    facts = [make_fact(1, 120, 1), make_fact(2, 120, 3), make_fact(3, 60, 4), make_fact(4, 300, 5)]
    allocation = allocate(facts=facts, roster=ROSTER, segment_on=by_team, policy=BIZTOOLS)
    assert moves_to_policy(allocation) == [
        Move(source=Segment.UNDER, target=Segment.TOP, minutes=Fraction(240))
    ]


def test_alerts_say_in_a_sentence_which_segment_is_out_of_band():
    facts = [make_fact(1, 120, 1), make_fact(2, 120, 3), make_fact(3, 60, 4), make_fact(4, 300, 5)]
    alerts = allocation_alerts(
        allocate(facts=facts, roster=ROSTER, segment_on=by_team, policy=BIZTOOLS)
    )
    assert [(a.code, a.segment) for a in alerts] == [
        (AlertCode.ALLOCATION_BELOW, Segment.TOP),
        (AlertCode.ALLOCATION_ABOVE, Segment.UNDER),
    ]
    assert render_plain(alerts[1].message) == (
        "Not delivering got 50% of your seller time (5.0 h); the policy says at most 10%."
    )


def test_a_share_just_outside_its_band_never_reads_as_the_bound_itself():
    # 1000 min: under 103 min is 10.3 %, above the 10 % maximum; "10%" would contradict it.
    facts = [make_fact(1, 500, 1), make_fact(2, 250, 3), make_fact(3, 147, 4), make_fact(4, 103, 5)]
    alerts = allocation_alerts(
        allocate(facts=facts, roster=ROSTER, segment_on=by_team, policy=BIZTOOLS)
    )
    assert [render_plain(a.message) for a in alerts] == [
        "Not delivering got 10.3% of your seller time (1.7 h); the policy says at most 10%."
    ]
    assert message_numbers(alerts[0].message) == {
        "segment": "Not delivering",
        "share": 0.103,
        "hours": 1.72,
        "maximum": 0.1,
    }


def test_small_differences_are_not_worth_a_move():
    # Under at 10.3 %: 3 minutes over its band is rounding, not advice.
    facts = [make_fact(1, 500, 1), make_fact(2, 250, 3), make_fact(3, 147, 4), make_fact(4, 103, 5)]
    allocation = allocate(facts=facts, roster=ROSTER, segment_on=by_team, policy=BIZTOOLS)
    assert allocation.segments[Segment.UNDER].status is Status.ABOVE
    assert moves_to_policy(allocation) == []


def test_no_time_at_all_is_one_alert_not_four():
    alerts = allocation_alerts(
        allocate(facts=[], roster=ROSTER, segment_on=by_team, policy=BIZTOOLS)
    )
    assert [a.code for a in alerts] == [AlertCode.NO_TIME_RECORDED]


# --- invariants -------------------------------------------------------------------------------

segments = st.sampled_from(list(Segment))


@st.composite
def teams_and_time(draw):
    size = draw(st.integers(1, 14))
    plan = {i: draw(st.lists(segments, min_size=3, max_size=3)) for i in range(1, size + 1)}
    roster = [make_roster_seller(i, plan[i][2]) for i in plan]
    facts = []
    for entry_id in range(draw(st.integers(0, 30))):
        group = draw(
            st.lists(st.integers(1, size), min_size=1, max_size=min(size, 12), unique=True)
        )
        day = date(2026, 11, draw(st.integers(16, 22)))
        facts.append(make_fact(entry_id, draw(st.integers(1, 600)), *group, day=day))

    def segment_on(seller_id: SellerId, day: date) -> Segment:
        return plan[seller_id][0 if day.day < 18 else 1 if day.day < 20 else 2]

    return roster, facts, segment_on, draw(st.integers(1, 10))


@given(teams_and_time())
def test_every_minute_is_counted_exactly_once(case):
    roster, facts, segment_on, limit = case
    allocation = allocate(
        facts=facts, roster=roster, segment_on=segment_on, policy=BIZTOOLS, team_wide_above=limit
    )
    assert allocation.seller_minutes + allocation.team_wide_minutes == sum(f.minutes for f in facts)
    assert sum(r.minutes for r in allocation.sellers) == allocation.seller_minutes
    assert sum(a.minutes for a in allocation.segments.values()) == allocation.seller_minutes


@given(teams_and_time())
def test_shares_sum_to_one_whenever_there_is_seller_time(case):
    roster, facts, segment_on, limit = case
    allocation = allocate(
        facts=facts, roster=roster, segment_on=segment_on, policy=BIZTOOLS, team_wide_above=limit
    )
    if allocation.seller_minutes:
        assert sum(a.share for a in allocation.segments.values()) == 1
        assert sum(r.share for r in allocation.sellers) == 1
    else:
        assert all(a.share == 0 for a in allocation.segments.values())


@given(teams_and_time())
def test_every_seller_is_listed_and_each_row_belongs_to_one_segment(case):
    roster, facts, segment_on, limit = case
    allocation = allocate(
        facts=facts, roster=roster, segment_on=segment_on, policy=BIZTOOLS, team_wide_above=limit
    )
    assert {r.seller_id for r in allocation.sellers} == {s.seller_id for s in roster}
    pairs = [(r.seller_id, r.segment) for r in allocation.sellers]
    assert len(pairs) == len(set(pairs))
    for segment, a in allocation.segments.items():
        assert a.sellers == len({r.seller_id for r in allocation.sellers if r.segment is segment})
        assert (a.status is Status.EMPTY) == (a.sellers == 0)


@given(teams_and_time())
def test_following_the_moves_never_leaves_a_segment_further_below_its_band(case):
    roster, facts, segment_on, limit = case
    allocation = allocate(
        facts=facts, roster=roster, segment_on=segment_on, policy=BIZTOOLS, team_wide_above=limit
    )
    moves = moves_to_policy(allocation)
    after = {s: a.minutes for s, a in allocation.segments.items()}
    for move in moves:
        assert move.minutes > 0
        after[move.source] -= move.minutes
        after[move.target] += move.minutes
    total = allocation.seller_minutes
    assert sum(after.values()) == total
    for segment, a in allocation.segments.items():
        if a.status is Status.EMPTY:
            continue
        shortfall_before = max(Fraction(0), a.band.minimum * total - a.minutes)
        shortfall_after = max(Fraction(0), a.band.minimum * total - after[segment])
        assert shortfall_after <= shortfall_before
