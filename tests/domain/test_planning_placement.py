"""Placing sessions in the free time: one a day per seller, on the grid, what does not fit reported."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from krutt.domain.periods import Period, iso_week
from krutt.domain.placement import Leftover, Placement, SessionRequest, Shortfall, place_sessions
from krutt.domain.planning_hours import SessionRules
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy, WorkDay, WorkingHours, free_time

OSLO = ZoneInfo("Europe/Oslo")
RULES = SessionRules()
TOP, NEW, CORE, UNDER = Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=OSLO)


def days(first: int, last: int, *busy: tuple[datetime, datetime]) -> list[WorkDay]:
    period = Period(first=date(2026, 12, first), last=date(2026, 12, last))
    return free_time(
        period=period,
        hours=WorkingHours(),
        busy=[Busy(start=s, end=e) for s, e in busy],
        holidays=set(),
        zone=OSLO,
    )


def request(seller_id: int, segment: Segment, *lengths: int) -> SessionRequest:
    return SessionRequest(seller_id=SellerId(seller_id), segment=segment, lengths=lengths)


def shown(placement: Placement) -> list[tuple[int, str, str]]:
    return [
        (
            s.seller_id,
            s.span.start.astimezone(OSLO).strftime("%a %H:%M"),
            s.span.end.astimezone(OSLO).strftime("%H:%M"),
        )
        for s in placement.sessions
    ]


def test_a_seller_gets_at_most_one_session_a_day_and_days_are_filled_evenly() -> None:
    placement = place_sessions(
        requests=[request(1, TOP, 60, 60), request(2, NEW, 45)],
        week=days(1, 2),
        planned={TOP: 120, NEW: 45},
        rules=RULES,
    )
    # Tuesday's two sessions with equal room before, between and after them (120 minutes
    # each, on the quarter-hour grid); Wednesday's one in the middle of the day.
    assert shown(placement) == [
        (1, "Tue 10:00", "11:00"),
        (2, "Tue 13:00", "13:45"),
        (1, "Wed 11:30", "12:30"),
    ]
    assert placement.leftovers == []


def test_sessions_stay_on_the_quarter_hour_grid_after_a_meeting() -> None:
    placement = place_sessions(
        requests=[request(1, TOP, 30)],
        week=days(1, 1, (at(1, 8), at(1, 9, 10))),
        planned={TOP: 30},
        rules=RULES,
    )
    # Free from 09:15 (the grid after 09:10) to 16:00: the session sits in the middle.
    assert shown(placement) == [(1, "Tue 12:15", "12:45")]


def test_a_session_that_fits_only_in_part_is_shortened_and_the_rest_placed_on_another_day() -> None:
    placement = place_sessions(
        requests=[request(1, TOP, 90)],
        week=days(
            1, 2, (at(1, 8, 45), at(1, 16)), (at(2, 8), at(2, 9, 10)), (at(2, 10), at(2, 16))
        ),
        planned={TOP: 90},
        rules=RULES,
    )
    assert shown(placement) == [(1, "Tue 08:00", "08:45"), (1, "Wed 09:15", "10:00")]
    assert placement.leftovers == []


def test_a_second_session_on_the_only_working_day_is_reported_not_dropped() -> None:
    placement = place_sessions(
        requests=[request(1, TOP, 60, 60)], week=days(1, 1), planned={TOP: 120}, rules=RULES
    )
    assert shown(placement) == [(1, "Tue 11:30", "12:30")]
    assert placement.leftovers == [
        Leftover(seller_id=SellerId(1), minutes=60, cause=Shortfall.SELLER_DAYS_TAKEN)
    ]


def test_a_week_full_of_meetings_places_nothing_and_says_so() -> None:
    week = free_time(
        period=iso_week("2026-W49"),
        hours=WorkingHours(),
        busy=[Busy(start=datetime(2026, 11, 30, tzinfo=OSLO), end=at(5, 0))],
        holidays=set(),
        zone=OSLO,
    )
    placement = place_sessions(
        requests=[request(1, TOP, 60, 60)], week=week, planned={TOP: 120}, rules=RULES
    )
    assert placement.sessions == []
    assert placement.leftovers == [
        Leftover(seller_id=SellerId(1), minutes=120, cause=Shortfall.NO_FREE_TIME)
    ]


def test_when_time_runs_short_the_segment_furthest_behind_its_plan_goes_next() -> None:
    # Two free hours for a plan of 10: the top seller's hour first, then the new seller
    # (new is furthest behind), whose 75 minutes shrink to the 60 left.
    placement = place_sessions(
        requests=[
            request(1, TOP, 60, 60),
            request(2, TOP, 75, 60, 60),
            request(3, NEW, 75, 75),
            request(4, CORE, 90),
            request(5, UNDER, 45),
        ],
        week=days(1, 1, (at(1, 10), at(1, 16))),
        planned={TOP: 315, NEW: 150, CORE: 90, UNDER: 45},
        rules=RULES,
    )
    assert shown(placement) == [(1, "Tue 08:00", "09:00"), (3, "Tue 09:00", "10:00")]
    assert [(x.seller_id, x.minutes) for x in placement.leftovers] == [
        (1, 60),
        (2, 195),
        (3, 90),
        (4, 90),
        (5, 45),
    ]
    assert {x.cause for x in placement.leftovers} == {Shortfall.NO_FREE_TIME}
