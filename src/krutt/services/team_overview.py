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
from krutt.domain.headline import Headline, choose_headline
from krutt.domain.messages import Label, gettext_noop
from krutt.domain.periods import Period, week_containing
from krutt.domain.policy import AllocationPolicy
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.services.ports import TimeSource

TREND_WEEKS = 12
RECENT = gettext_noop("the last 4 complete weeks")
SO_FAR = gettext_noop("this week so far")


@dataclass(frozen=True, kw_only=True, slots=True)
class TrendPoint:
    week: Period
    seller_minutes: Fraction
    shares: dict[Segment, Fraction]
    # The current week is still running: drawn apart, never read as a result.
    complete: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamOverview:
    today: date
    this_week: Period
    # Monday to today: the part of this week that has happened.
    this_week_so_far: Period
    # The last four complete weeks, this week left out (it is not over).
    recent: Period
    this_week_allocation: Allocation
    recent_allocation: Allocation
    # Shifts that would have brought the last four complete weeks within the bands: over
    # the whole period (as `krutt report` for it says) and per week.
    moves: list[Move]
    weekly_moves: list[Move]
    headline: Headline
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
    recent = Period(
        first=this_week.first - timedelta(weeks=4), last=this_week.first - timedelta(days=1)
    )
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
                complete=week.last < today,
            )
        )
    # The last four complete weeks are read on their own, as `krutt report` reads them: the
    # sellers on the team then and the segment they ended those weeks in, so both agree.
    recent_read = source.period_time(
        manager_id=manager_id, first=recent.first, last=recent.last, now=now
    )
    recent_allocation = allocate_time(
        time=[row.time for row in recent_read.time],
        roster=recent_read.roster,
        policy=policy,
        team_wide_above=team_wide_above,
    )
    this_week_allocation = allocate(by_week.get(this_week.first, []))
    moves = moves_to_policy(recent_allocation)
    weekly_moves = [Move(source=m.source, target=m.target, minutes=m.minutes / 4) for m in moves]
    days = [day for day, _ in read.time]
    return TeamOverview(
        today=today,
        this_week=this_week,
        this_week_so_far=Period(first=this_week.first, last=min(today, this_week.last)),
        recent=recent,
        this_week_allocation=this_week_allocation,
        recent_allocation=recent_allocation,
        moves=moves,
        weekly_moves=weekly_moves,
        # Before four complete weeks have any time (a new team), this week is all there is.
        headline=(
            choose_headline(this_week_allocation, period=Label(SO_FAR))
            if recent_allocation.seller_minutes == 0 and this_week_allocation.seller_minutes
            else choose_headline(recent_allocation, period=Label(RECENT))
        ),
        planned_this_week=allocate([row for day, row in read.planned]),
        alerts=allocation_alerts(recent_allocation),
        trend=trend,
        last_entry_day=max(days) if days else None,
    )
