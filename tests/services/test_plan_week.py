"""The plan use case: a week by its ISO name, hours as typed, holidays from a maintained calendar."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import holidays
import pytest

from krutt.domain.allocation import SellerTime
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.periods import Period, iso_week
from krutt.domain.planning import WeekPlan
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller, received_by_seller
from krutt.domain.workweek import Busy, WorkingHours
from krutt.services.plan_week import lookback_window, plan_week

OSLO = ZoneInfo("Europe/Oslo")
NORWAY_2027 = holidays.country_holidays("NO", years=2027)


def member(seller_id: int, segment: Segment, received: int = 0) -> TeamSeller:
    return TeamSeller(
        seller_id=SellerId(seller_id),
        email=f"s{seller_id}@firma.no",
        name=f"Seller {seller_id}",
        segment=segment,
        started_on=date(2020, 1, 6),
        received_minutes=Fraction(received),
    )


TEAM = [
    member(1, Segment.TOP),
    member(2, Segment.TOP),
    member(3, Segment.NEW),
    member(4, Segment.CORE),
]


def days_planned(plan: WeekPlan) -> list[date]:
    return sorted({slot.start.date() for slot in plan.slots()})


def test_the_carry_over_looks_at_the_four_weeks_before_the_plan() -> None:
    assert lookback_window(iso_week("2026-W49")) == Period(
        first=date(2026, 11, 2), last=date(2026, 11, 29)
    )


def test_minutes_received_split_entries_evenly_and_leave_out_team_wide_meetings() -> None:
    time = [
        SellerTime(seller_id=SellerId(1), segment=Segment.TOP, sellers_in_entry=1, minutes=90),
        SellerTime(seller_id=SellerId(1), segment=Segment.CORE, sellers_in_entry=2, minutes=60),
        SellerTime(seller_id=SellerId(2), segment=Segment.TOP, sellers_in_entry=2, minutes=60),
        SellerTime(seller_id=SellerId(2), segment=Segment.TOP, sellers_in_entry=9, minutes=90),
    ]
    assert received_by_seller(time) == {1: Fraction(120), 2: Fraction(30)}


def test_easter_2027_from_the_norwegian_holiday_calendar_leaves_three_days_then_four() -> None:
    before = plan_week(
        week="2027-W12", hours=8, policy=BIZTOOLS, zone=OSLO, team=TEAM, holidays=NORWAY_2027
    )
    after = plan_week(
        week="2027-W13", hours=8, policy=BIZTOOLS, zone=OSLO, team=TEAM, holidays=NORWAY_2027
    )
    assert days_planned(before) == [date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)]
    assert days_planned(after) == [
        date(2027, 3, 30),
        date(2027, 3, 31),
        date(2027, 4, 1),
        date(2027, 4, 2),
    ]
    # After the switch to summer time the grid still counts from 08:00 local (06:00 UTC).
    assert after.slots()[0].start.isoformat() == "2027-03-30T09:45:00+02:00"
    assert (before.unplaced, after.unplaced) == ([], [])


def test_hours_may_be_typed_with_decimals() -> None:
    plan = plan_week(week="2026-W49", hours=Decimal("7.5"), policy=BIZTOOLS, zone=OSLO, team=TEAM)
    assert (plan.available_minutes, plan.planned_minutes) == (450, 450)


def test_a_plan_for_the_current_week_fills_only_what_is_left_of_it() -> None:
    plan = plan_week(
        week="2026-W49",
        hours=4,
        policy=BIZTOOLS,
        zone=OSLO,
        team=TEAM,
        now=datetime(2026, 12, 3, 12, 5, tzinfo=OSLO),
        busy=[
            Busy(
                start=datetime(2026, 12, 4, 8, tzinfo=OSLO),
                end=datetime(2026, 12, 4, 10, tzinfo=OSLO),
            )
        ],
        working_hours=WorkingHours.parse("Mon-Fri 08:00-15:00"),
    )
    assert [(s.start.strftime("%a %H:%M"), s.end.strftime("%H:%M")) for s in plan.slots()] == [
        ("Thu 12:30", "13:30"),
        ("Thu 13:45", "14:45"),
        ("Fri 11:00", "12:15"),
        ("Fri 13:15", "14:00"),
    ]
    assert all(slot.start >= datetime(2026, 12, 3, 12, 5, tzinfo=OSLO) for slot in plan.slots())


@pytest.mark.parametrize("hours", [0, -2, 61])
def test_hours_out_of_range_are_refused(hours: int) -> None:
    with pytest.raises(InvalidInput) as error:
        plan_week(week="2026-W49", hours=hours, policy=BIZTOOLS, zone=OSLO, team=TEAM)
    assert (
        render_plain(error.value.message)
        == "Hours for the week must be more than 0 and at most 60."
    )


def test_an_impossible_week_is_refused_in_words() -> None:
    with pytest.raises(InvalidInput) as error:
        plan_week(week="2026-W54", hours=5, policy=BIZTOOLS, zone=OSLO, team=TEAM)
    assert render_plain(error.value.message) == "2026 has no week 54."
