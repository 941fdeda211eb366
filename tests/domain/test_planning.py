"""Next week's plan: hours by policy and carry-over, placed as slots, each with its reason."""

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, render_plain
from krutt.domain.periods import Period, iso_week
from krutt.domain.plan_warnings import PlanWarningCode, capacity_warning
from krutt.domain.planning import WeekPlan, check_session_time, plan_sessions
from krutt.domain.planning_hours import SessionRules
from krutt.domain.policy import BIZTOOLS
from krutt.domain.purposes import purpose_of
from krutt.domain.response import Response, ResponseCheck
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.support import Decision, ManagerDecision, SupportState, SupportStatus
from krutt.domain.targets import target_shares
from krutt.domain.team import TeamSeller
from krutt.domain.workweek import Busy, WorkDay, WorkingHours, free_time

OSLO = ZoneInfo("Europe/Oslo")
W49 = iso_week("2026-W49")  # Monday 30 November 2026
TOP, NEW, CORE, UNDER = Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER


def seller(seller_id: int, name: str, segment: Segment, **fields: Any) -> TeamSeller:
    base = TeamSeller(
        seller_id=SellerId(seller_id),
        email=f"{name.lower()}@firma.no",
        name=name,
        segment=segment,
        started_on=date(2020, 1, 6),
    )
    return replace(base, **fields)


Meeting = tuple[datetime, datetime]


def week(*busy: Meeting, period: Period = W49, holidays: Iterable[date] = ()) -> list[WorkDay]:
    return free_time(
        period=period,
        hours=WorkingHours(),
        busy=[Busy(start=s, end=e) for s, e in busy],
        holidays=set(holidays),
        zone=OSLO,
    )


def at(day: int, hour: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=OSLO)


TEAM = [
    seller(1, "Kari", TOP, received_minutes=Fraction(240), last_one_on_one=date(2026, 11, 9)),
    seller(2, "Ola", TOP),
    seller(3, "Nora", NEW, started_on=date(2026, 10, 26), received_minutes=Fraction(60)),
    seller(4, "Per", CORE),
    seller(5, "Lise", UNDER),
]


def slots_of(plan: WeekPlan) -> dict[str, list[tuple[str, str, Activity, str]]]:
    return {
        s.name: [
            (
                slot.start.strftime("%a %H:%M"),
                slot.end.strftime("%H:%M"),
                slot.activity,
                render_plain(slot.reason),
            )
            for slot in s.slots
        ]
        for s in plan.sellers
    }


def test_a_small_team_gets_its_week_planned_slot_by_slot_with_reasons() -> None:
    plan = plan_sessions(
        week=W49,
        available_minutes=600,
        team=TEAM,
        policy=BIZTOOLS,
        workdays=week(
            (datetime(2026, 11, 30, 9, tzinfo=OSLO), datetime(2026, 11, 30, 12, tzinfo=OSLO))
        ),
        zone=OSLO,
    )
    assert plan.label == "2026-W49"
    assert {s: p.minutes for s, p in plan.segments.items()} == {
        TOP: 315,
        NEW: 150,
        CORE: 90,
        UNDER: 45,
    }
    assert [(s.name, s.minutes) for s in plan.sellers] == [
        ("Kari", 120),
        ("Ola", 195),
        ("Nora", 150),
        ("Per", 90),
        ("Lise", 45),
    ]
    one_on_one, coaching = Activity.ONE_ON_ONE, Activity.COACHING
    # Nine sessions over five days (Monday, with its meeting, has the least room): each day's
    # sessions spread over its free time, nobody twice on a day.
    assert slots_of(plan) == {
        "Kari": [
            ("Tue 10:00", "11:00", one_on_one, "Top seller: 21 days since the last 1:1."),
            ("Wed 09:45", "10:45", one_on_one, "Top seller: 21 days since the last 1:1."),
        ],
        "Ola": [
            ("Wed 12:30", "13:45", one_on_one, "Top seller: no 1:1 recorded yet."),
            ("Thu 12:45", "13:45", one_on_one, "Top seller: no 1:1 recorded yet."),
            ("Fri 12:45", "13:45", one_on_one, "Top seller: no 1:1 recorded yet."),
        ],
        "Nora": [
            ("Thu 09:45", "11:00", coaching, "New seller, week 6 of ramp."),
            ("Fri 09:45", "11:00", coaching, "New seller, week 6 of ramp."),
        ],
        "Per": [("Mon 13:15", "14:45", coaching, "Core performer: regular coaching.")],
        "Lise": [
            (
                "Tue 13:00",
                "13:45",
                Activity.PERFORMANCE_TALK,
                "Not delivering and no support plan yet: agree one.",
            )
        ],
    }
    assert Counter(slot.start.strftime("%a") for slot in plan.slots()) == {
        "Mon": 1,
        "Tue": 2,
        "Wed": 2,
        "Thu": 2,
        "Fri": 2,
    }
    assert (plan.planned_minutes, plan.placed_minutes, plan.unplaced, plan.warnings) == (
        600,
        600,
        [],
        [],
    )


def test_a_segment_without_sellers_hands_its_hours_to_the_others() -> None:
    team = [s for s in TEAM if s.segment is not UNDER]
    plan = plan_sessions(
        week=W49, available_minutes=600, team=team, policy=BIZTOOLS, workdays=week(), zone=OSLO
    )
    # top 21/37, new 10/37, core 6/37 of 40 quarter hours: 22.7, 10.8, 6.5 → 23, 11, 6.
    assert {s: p.minutes for s, p in plan.segments.items()} == {
        TOP: 345,
        NEW: 165,
        CORE: 90,
        UNDER: 0,
    }
    assert plan.segments[UNDER].sellers == 0
    assert plan.segments[TOP].target == Fraction(21, 37)


def test_more_sellers_than_hours_warns_and_says_what_the_hours_mean() -> None:
    team = [seller(i, f"Seller{i:02d}", SEGMENT_ORDER[i % 4]) for i in range(1, 16)]
    plan = plan_sessions(
        week=W49, available_minutes=180, team=team, policy=BIZTOOLS, workdays=week(), zone=OSLO
    )
    # Six sessions of 30 minutes: one each for six sellers, none for the other nine, and
    # nobody gets a second while they wait (the policy picks whose segment goes first).
    assert plan.planned_minutes == 180
    assert sorted(s.minutes for s in plan.sellers) == [0] * 9 + [30] * 6
    without = [s.name for s in plan.sellers if s.minutes == 0]
    # Top 3, new 2, core 1: each next session to the segment furthest below its target.
    assert without == [
        "Seller09",
        "Seller13",
        "Seller06",
        "Seller10",
        "Seller14",
        "Seller03",
        "Seller07",
        "Seller11",
        "Seller15",
    ]
    assert [w.code for w in plan.warnings] == [
        PlanWarningCode.LOW_CAPACITY,
        PlanWarningCode.SELLERS_WITHOUT_TIME,
    ]
    assert render_plain(plan.warnings[0].message) == (
        "3.0 h a week for 15 sellers is about 0.9 h per seller a month; the common guideline is "
        "3.0 h to 5.0 h of coaching per seller a month. Giving everyone 3.0 h would take 10.4 h a "
        "week, so at this level most sellers get little more than a check-in."
    )
    assert render_plain(plan.warnings[1].message) == (
        "No time this week for " + ", ".join(without) + ": 3.0 h does not stretch to a "
        "session of 30 minutes for each of the 15 sellers."
    )


def test_the_capacity_check_is_quiet_from_three_hours_a_seller_a_month() -> None:
    # 9 h a week × 52/12 = 39 h a month: 3 h each for 13 sellers, not for 14.
    assert capacity_warning(available_minutes=540, sellers=13) is None
    assert capacity_warning(available_minutes=540, sellers=14) is not None
    assert capacity_warning(available_minutes=540, sellers=0) is None


def test_a_week_full_of_meetings_reports_every_session_it_could_not_place() -> None:
    plan = plan_sessions(
        week=W49,
        available_minutes=600,
        team=TEAM,
        policy=BIZTOOLS,
        workdays=week((datetime(2026, 11, 30, tzinfo=OSLO), at(5, 0))),
        zone=OSLO,
    )
    assert plan.placed_minutes == 0
    assert [(u.name, u.minutes) for u in plan.unplaced] == [
        ("Kari", 120),
        ("Ola", 195),
        ("Nora", 150),
        ("Per", 90),
        ("Lise", 45),
    ]
    assert render_plain(plan.unplaced[0].reason) == (
        "Your working hours this week have no free time left for a session."
    )
    assert [w.code for w in plan.warnings] == [
        PlanWarningCode.NO_FREE_TIME,
        PlanWarningCode.SELLERS_WITHOUT_SLOT,
        PlanWarningCode.UNPLACED,
    ]
    assert render_plain(plan.warnings[0].message) == (
        "Week 2026-W49 has no free working time for a session: holidays and busy events fill it."
    )
    assert render_plain(plan.warnings[1].message) == (
        "No session this week with Kari, Ola, Nora, Per, Lise: no free slot of 30 minutes is "
        "left in your working hours."
    )
    assert render_plain(plan.warnings[2].message) == (
        "10.0 h of the plan did not fit in your free time; see the sessions not placed."
    )


def test_easter_week_2027_plans_only_the_three_working_days() -> None:
    easter = iso_week("2027-W12")  # Maundy Thursday 25 and Good Friday 26 March 2027
    plan = plan_sessions(
        week=easter,
        available_minutes=600,
        team=TEAM,
        policy=BIZTOOLS,
        workdays=week(period=easter, holidays=(date(2027, 3, 25), date(2027, 3, 26))),
        zone=OSLO,
    )
    days = Counter(slot.start.date() for slot in plan.slots())
    assert sorted(days) == [date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)]
    # Ola, furthest behind, could have four sessions in a full week; three days allow three.
    assert [(s.name, s.minutes, len(s.slots)) for s in plan.sellers] == [
        ("Kari", 120, 2),
        ("Ola", 195, 3),
        ("Nora", 150, 2),
        ("Per", 90, 1),
        ("Lise", 45, 1),
    ]
    assert plan.unplaced == []


def test_no_team_no_plan_but_a_sentence() -> None:
    plan = plan_sessions(
        week=W49, available_minutes=600, team=[], policy=BIZTOOLS, workdays=week(), zone=OSLO
    )
    assert plan.sellers == []
    assert [render_plain(w.message) for w in plan.warnings] == [
        "There are no sellers on your team to plan for."
    ]


# --- why each seller is met -------------------------------------------------------------------


def status(state: SupportState, **fields: Any) -> SupportStatus:
    base = SupportStatus(
        seller_id=SellerId(5),
        state=state,
        plan=None,
        sufficiency=None,
        response=None,
        decision=None,
        explanation=Message("x"),
    )
    return replace(base, **fields)


def purpose(support: SupportStatus | None) -> tuple[Activity, str, int | None]:
    p = purpose_of(seller(5, "Lise", UNDER, support=support), week=W49)
    return p.activity, render_plain(p.reason), p.sessions


def test_non_deliverers_are_met_for_what_their_support_ledger_says() -> None:
    decided = ManagerDecision(
        decision=Decision.TRANSITION, decided_on=date(2026, 11, 20), reason="r"
    )
    responding = ResponseCheck(
        response=Response.RESPONDING,
        before=Fraction(52, 100),
        since=Fraction(71, 100),
        months_before=3,
        months_since=3,
        message=Message("x"),
    )
    assert purpose(None) == (
        Activity.PERFORMANCE_TALK,
        "Not delivering and no support plan yet: agree one.",
        1,
    )
    assert purpose(status(SupportState.IN_SUPPORT)) == (
        Activity.COACHING,
        "Support plan: weekly follow-up.",
        None,
    )
    assert purpose(status(SupportState.RESPONDED, response=responding)) == (
        Activity.ONE_ON_ONE,
        "Support plan, responding (from 52% to 71%): weekly follow-up.",
        None,
    )
    assert purpose(status(SupportState.NOT_RESPONDING)) == (
        Activity.CAREER_TALK,
        "Transition conversation: sufficient support, no response.",
        1,
    )
    assert purpose(status(SupportState.NOT_RESPONDING, decision=decided)) == (
        Activity.CAREER_TALK,
        "Transition conversation, as you decided on 2026-11-20.",
        1,
    )
    role = ManagerDecision(decision=Decision.CHANGE_ROLE, decided_on=date(2026, 11, 20), reason="r")
    assert purpose(status(SupportState.NOT_RESPONDING, decision=role))[1] == (
        "Conversation about a change of role, as you decided on 2026-11-20."
    )
    carry_on = ManagerDecision(
        decision=Decision.CONTINUE, decided_on=date(2026, 11, 20), reason="r"
    )
    assert purpose(status(SupportState.NOT_RESPONDING, decision=carry_on)) == (
        Activity.COACHING,
        "Support plan, continued as you decided on 2026-11-20: weekly follow-up.",
        None,
    )


def test_a_non_deliverer_with_exhausted_support_gets_one_transition_conversation_not_coaching() -> (
    None
):
    team = [
        seller(1, "Kari", TOP),
        seller(5, "Lise", UNDER, support=status(SupportState.NOT_RESPONDING)),
    ]
    plan = plan_sessions(
        week=W49, available_minutes=1200, team=team, policy=BIZTOOLS, workdays=week(), zone=OSLO
    )
    lise = plan.sellers[1]
    assert [(s.activity, s.minutes) for s in lise.slots] == [(Activity.CAREER_TALK, 90)]


def test_a_top_seller_met_this_week_counts_days_from_monday() -> None:
    p = purpose_of(seller(1, "Kari", TOP, last_one_on_one=date(2026, 12, 2)), week=W49)
    assert render_plain(p.reason) == "Top seller: 0 days since the last 1:1."


# --- invariants -------------------------------------------------------------------------------

RULES = SessionRules()


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[TeamSeller], list[Meeting], set[date], int]:
    size = draw(st.integers(0, 15))
    team = [
        seller(
            i,
            f"S{i:02d}",
            draw(st.sampled_from(SEGMENT_ORDER)),
            received_minutes=Fraction(draw(st.integers(0, 1200))),
            started_on=W49.first - timedelta(days=draw(st.integers(-3, 400))),
        )
        for i in range(1, size + 1)
    ]
    busy: list[Meeting] = []
    for _ in range(draw(st.integers(0, 40))):
        start = datetime(2026, 11, 30, 7, tzinfo=OSLO) + timedelta(
            minutes=draw(st.integers(0, 5 * 24 * 60))
        )
        busy.append((start, start + timedelta(minutes=draw(st.integers(5, 300)))))
    holidays = draw(
        st.sets(st.sampled_from([W49.first + timedelta(days=d) for d in range(5)]), max_size=3)
    )
    return team, busy, holidays, draw(st.integers(0, 30 * 60))


@given(scenarios())
def test_a_plan_never_overbooks_overlaps_or_leaves_working_hours_and_drops_nothing(
    scenario: tuple[list[TeamSeller], list[Meeting], set[date], int],
) -> None:
    team, busy, holidays, available = scenario
    workdays = week(*busy, holidays=holidays)
    plan = plan_sessions(
        week=W49,
        available_minutes=available,
        team=team,
        policy=BIZTOOLS,
        workdays=workdays,
        zone=OSLO,
    )
    assert plan.planned_minutes <= available
    assert plan.placed_minutes + sum(u.minutes for u in plan.unplaced) == plan.planned_minutes
    hours = {d.day: d.hours for d in workdays}
    slots = plan.slots()
    for slot in slots:
        day = slot.start.date()
        assert day in hours and day not in holidays
        assert hours[day].start <= slot.start and slot.end <= hours[day].end
        assert RULES.minimum <= slot.minutes <= RULES.maximum
        assert not any(s < slot.end and slot.start < e for s, e in busy)
    for first, second in itertools.pairwise(slots):
        assert first.end <= second.start
    per_day = Counter((slot.seller_id, slot.start.date()) for slot in slots)
    assert set(per_day.values()) <= {1}
    # Everyone without a session is named in a warning; and nobody has a second session
    # while a seller with a target has none, unless that seller is named for having no
    # free slot that fits.
    warned = " ".join(render_plain(w.message) for w in plan.warnings)
    without = [s for s in plan.sellers if not s.slots]
    note(f"without a session: {[s.name for s in without]}; warnings: {warned}")
    assert [s.name for s in without if s.name not in warned] == []
    targets = target_shares(BIZTOOLS, {s.segment for s in team})
    waiting = [s for s in without if targets.share(s.segment) > 0]
    if any(len(s.slots) > 1 for s in plan.sellers):
        no_slot = [
            render_plain(w.message)
            for w in plan.warnings
            if w.code is PlanWarningCode.SELLERS_WITHOUT_SLOT
        ]
        assert [s.name for s in waiting if not any(s.name in text for text in no_slot)] == []


@given(scenarios())
def test_with_free_days_the_sessions_spread_so_no_day_has_two_more_than_another(
    scenario: tuple[list[TeamSeller], list[Meeting], set[date], int],
) -> None:
    team, _busy, holidays, asked = scenario
    workdays = week(holidays=holidays)  # every working day wholly free
    # Free days available: the plan asks for at most half of the working time.
    available = min(asked, len(workdays) * 8 * 60 // 2)
    plan = plan_sessions(
        week=W49,
        available_minutes=available,
        team=team,
        policy=BIZTOOLS,
        workdays=workdays,
        zone=OSLO,
    )
    per_day = Counter(slot.start.date() for slot in plan.slots())
    counts = [per_day[d.day] for d in workdays]
    note(f"sessions per working day: {counts}")
    assert max(counts) - min(counts) <= 1
    # And in a day they spread over its hours: while the day has room for a quarter hour
    # before, between and after its sessions, none starts at 08:00 and none is back to back.
    for day in workdays:
        mine = sorted((s for s in plan.slots() if s.start.date() == day.day), key=lambda s: s.start)
        room = day.hours.end - day.hours.start - sum((s.end - s.start for s in mine), timedelta())
        if not mine or room < timedelta(minutes=RULES.step * (len(mine) + 1)):
            continue
        assert mine[0].start > day.hours.start
        for first, second in itertools.pairwise(mine):
            assert first.end < second.start


teams_by_segment = st.tuples(
    st.integers(1, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)
).map(lambda counts: [s for s, n in zip(SEGMENT_ORDER, counts, strict=True) for _ in range(n)])


@given(teams_by_segment, st.integers(8, 30).map(lambda h: h * 60))
def test_segment_shares_keep_within_their_bands_when_the_team_and_the_week_allow_it(
    segments: list[Segment], available: int
) -> None:
    team = [
        seller(i, f"S{i:02d}", segment, support=status(SupportState.IN_SUPPORT))
        for i, segment in enumerate(segments, 1)
    ]
    targets = target_shares(BIZTOOLS, set(segments))
    members = Counter(segments)
    # The team allows it when the bands can hold all the time and every segment's share is
    # at least a short session for each of its sellers and at most what they can take.
    allowed = targets.within_bands and all(
        members[s] * RULES.minimum <= share * available - RULES.step
        and share * available + RULES.step <= members[s] * 5 * RULES.maximum
        for s, share in targets.shares.items()
    )
    note(f"targets {targets.shares}, within bands {targets.within_bands}, allowed {allowed}")
    assume(allowed)
    plan = plan_sessions(
        week=W49,
        available_minutes=available,
        team=team,
        policy=BIZTOOLS,
        workdays=week(),
        zone=OSLO,
    )
    note(f"unplaced: {plan.unplaced}")
    assume(not plan.unplaced)
    total = plan.planned_minutes
    grid = Fraction(RULES.step, total)  # shares are whole quarter hours of the total
    for segment in set(segments):
        share = Fraction(plan.segments[segment].minutes, total)
        band = BIZTOOLS.band(segment)
        assert share >= band.minimum - grid
        assert band.maximum is None or share <= band.maximum + grid


def test_a_seller_listed_twice_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="only once"):
        plan_sessions(
            week=W49,
            available_minutes=60,
            team=[TEAM[0], TEAM[0]],
            policy=BIZTOOLS,
            workdays=week(),
            zone=OSLO,
        )


# --- a session the manager moves or adds ----------------------------------------------------


def refused(start: datetime, end: datetime, holidays: Iterable[date] = ()) -> str | None:
    try:
        check_session_time(
            start=start, end=end, hours=WorkingHours(), holidays=set(holidays), zone=OSLO
        )
    except InvalidInput as error:
        return render_plain(error.message)
    return None


def test_a_session_must_lie_in_the_working_time_of_a_working_day() -> None:
    assert refused(at(1, 8), at(1, 9)) is None
    assert refused(at(1, 15), at(1, 16)) is None
    assert refused(at(5, 10), at(5, 11)) == "2026-12-05 is not one of your working days."
    assert (
        refused(at(24, 10), at(24, 11), holidays={date(2026, 12, 24)})
        == "2026-12-24 is a public holiday; choose a working day."
    )
    outside = "A session must lie within your working hours, 08:00 to 16:00."
    assert refused(at(1, 7), at(1, 8)) == outside
    assert refused(at(1, 15) + timedelta(minutes=30), at(1, 16) + timedelta(minutes=15)) == outside
    assert refused(at(1, 15), at(2, 9)) == outside
    assert refused(at(1, 10), at(1, 10)) == "A session must end after it starts."
