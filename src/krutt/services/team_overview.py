"""The dashboard's numbers: this week, the last four weeks and a twelve-week trend, from one read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

from krutt.domain.alerts import Alert, allocation_alerts
from krutt.domain.allocation import (
    Allocation,
    Move,
    SellerTime,
    allocate_time,
    moves_to_policy,
)
from krutt.domain.periods import Period, week_containing
from krutt.domain.policy import AllocationPolicy
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.services.ports import TimeSource

TREND_WEEKS = 12


@dataclass(frozen=True, kw_only=True, slots=True)
class TrendPoint:
    week: Period
    seller_minutes: Fraction
    shares: dict[Segment, Fraction]


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamOverview:
    today: date
    this_week: Period
    recent: Period
    this_week_allocation: Allocation
    recent_allocation: Allocation
    # Shifts that would bring the last four weeks within the bands, per week.
    weekly_moves: list[Move]
    # What the calendar has for the rest of this week: planned, not yet spent.
    planned_this_week: Allocation
    alerts: list[Alert]
    trend: list[TrendPoint]
    last_entry_day: date | None


def team_overview(
    *,
    manager_id: int,
    now: datetime,
    zone: tzinfo,
    policy: AllocationPolicy,
    source: TimeSource,
    team_wide_above: int,
) -> TeamOverview:
    """What a manager should see first: where the time went against the policy, and its trend.

    Counted time is what has happened by `now`; the rest of this week is planned.
    """
    today = now.astimezone(zone).date()
    this_week = week_containing(today)
    first = this_week.first - timedelta(weeks=TREND_WEEKS - 1)
    read = source.period_time(manager_id=manager_id, first=first, last=this_week.last, now=now)
    weeks = [
        Period(first=first + timedelta(weeks=i), last=first + timedelta(weeks=i, days=6))
        for i in range(TREND_WEEKS)
    ]
    recent = Period(first=this_week.first - timedelta(weeks=3), last=this_week.last)
    by_week: dict[date, list[SellerTime]] = defaultdict(list)
    for day, row in read.time:
        by_week[week_containing(day).first].append(row)

    def allocate(rows: Sequence[SellerTime]) -> Allocation:
        return allocate_time(
            time=rows, roster=read.roster, policy=policy, team_wide_above=team_wide_above
        )

    trend = []
    for week in weeks:
        allocation = allocate(by_week.get(week.first, []))
        trend.append(
            TrendPoint(
                week=week,
                seller_minutes=allocation.seller_minutes,
                shares={s: allocation.segments[s].share for s in SEGMENT_ORDER},
            )
        )
    recent_rows = [row for day, row in read.time if recent.contains(day)]
    recent_allocation = allocate(recent_rows)
    this_week_allocation = allocate(by_week.get(this_week.first, []))
    weekly_moves = [
        Move(source=m.source, target=m.target, minutes=m.minutes / 4)
        for m in moves_to_policy(recent_allocation)
    ]
    days = [day for day, _ in read.time]
    return TeamOverview(
        today=today,
        this_week=this_week,
        recent=recent,
        this_week_allocation=this_week_allocation,
        recent_allocation=recent_allocation,
        weekly_moves=weekly_moves,
        planned_this_week=allocate([row for day, row in read.planned]),
        alerts=allocation_alerts(recent_allocation),
        trend=trend,
        last_entry_day=max(days) if days else None,
    )
