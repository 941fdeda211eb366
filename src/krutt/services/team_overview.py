"""The dashboard's numbers: this week, the last four weeks and a twelve-week trend, from one read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Protocol

from krutt.domain.alerts import Alert, allocation_alerts
from krutt.domain.allocation import (
    Allocation,
    Move,
    RosterSeller,
    SellerTime,
    allocate_time,
    moves_to_policy,
)
from krutt.domain.periods import Period, week_containing
from krutt.domain.policy import AllocationPolicy
from krutt.domain.segments import SEGMENT_ORDER, Segment

TREND_WEEKS = 12


@dataclass(frozen=True, kw_only=True, slots=True)
class DailyTime:
    """Time per day (summed per seller, segment of the day and entry size) and the current roster."""

    time: list[tuple[date, SellerTime]]
    roster: list[RosterSeller]


class DailyTimeSource(Protocol):
    def daily_time(self, *, manager_id: int, first: date, last: date) -> DailyTime: ...


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
    alerts: list[Alert]
    trend: list[TrendPoint]
    last_entry_day: date | None


def team_overview(
    *,
    manager_id: int,
    today: date,
    policy: AllocationPolicy,
    source: DailyTimeSource,
    team_wide_above: int,
) -> TeamOverview:
    """What a manager should see first: where the time went against the policy, and its trend."""
    this_week = week_containing(today)
    first = this_week.first - timedelta(weeks=TREND_WEEKS - 1)
    read = source.daily_time(manager_id=manager_id, first=first, last=this_week.last)
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
            time=rows,
            roster=_with_missing(read.roster, rows),
            policy=policy,
            team_wide_above=team_wide_above,
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
        alerts=allocation_alerts(recent_allocation),
        trend=trend,
        last_entry_day=max(days) if days else None,
    )


def _with_missing(roster: list[RosterSeller], rows: Sequence[SellerTime]) -> list[RosterSeller]:
    """Sellers with time who have since left the roster still get a row (as whatever they were then)."""
    known = {r.seller_id for r in roster}
    extra = {row.seller_id: row.segment for row in rows if row.seller_id not in known}
    if not extra:
        return roster
    return [
        *roster,
        *(
            RosterSeller(seller_id=s, email="", name=f"#{s}", segment_at_end=segment)
            for s, segment in sorted(extra.items())
        ),
    ]
