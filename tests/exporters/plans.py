"""Small plans for the exporter tests, built by the real planner."""

from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from krutt.domain.periods import iso_week
from krutt.domain.planning import WeekPlan, plan_sessions
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller
from krutt.domain.workweek import Busy, WorkingHours, free_time

OSLO = ZoneInfo("Europe/Oslo")

TEAM = [
    TeamSeller(
        seller_id=SellerId(1),
        email="kari@firma.no",
        name="Kari Nordmann",
        segment=Segment.TOP,
        started_on=date(2019, 1, 7),
        received_minutes=Fraction(240),
        last_one_on_one=date(2026, 11, 9),
    ),
    TeamSeller(
        seller_id=SellerId(2),
        email="ola@firma.no",
        name="Ola Ås, jr.",  # a comma and a non-ASCII letter in the attendee's name
        segment=Segment.TOP,
        started_on=date(2019, 1, 7),
    ),
    TeamSeller(
        seller_id=SellerId(3),
        email="nora@firma.no",
        name="Nora",
        segment=Segment.NEW,
        started_on=date(2026, 10, 26),
        received_minutes=Fraction(60),
    ),
    TeamSeller(
        seller_id=SellerId(4),
        email="lise@firma.no",
        name="Lise",
        segment=Segment.UNDER,
        started_on=date(2019, 1, 7),
    ),
]


def week_plan(week: str = "2026-W49", hours: int = 6, busy: tuple[Busy, ...] = ()) -> WeekPlan:
    period = iso_week(week)
    workdays = free_time(period=period, hours=WorkingHours(), busy=busy, holidays=set(), zone=OSLO)
    return plan_sessions(
        week=period,
        available_minutes=hours * 60,
        team=TEAM,
        policy=BIZTOOLS,
        workdays=workdays,
        zone=OSLO,
    )


MONDAY_MEETING = Busy(
    start=datetime(2026, 11, 30, 8, tzinfo=OSLO), end=datetime(2026, 11, 30, 16, tzinfo=OSLO)
)
