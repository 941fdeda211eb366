"""The allocation report: a manager's seller time in a period, per segment, against the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from krutt.domain.alerts import Alert, allocation_alerts
from krutt.domain.allocation import (
    DEFAULT_TEAM_WIDE_ABOVE,
    Allocation,
    Move,
    allocate_time,
    moves_to_policy,
)
from krutt.domain.periods import Period
from krutt.domain.policy import AllocationPolicy
from krutt.services.ports import TimeSource


@dataclass(frozen=True, kw_only=True, slots=True)
class AllocationReport:
    period: Period
    policy: AllocationPolicy
    allocation: Allocation
    alerts: list[Alert]
    moves: list[Move]


def period_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants the period's local days start and end (midnight to midnight in `zone`)."""
    start = datetime.combine(period.first, time.min, tzinfo=zone)
    end = datetime.combine(period.last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def allocation_report(
    *,
    manager_id: int,
    period: Period,
    policy: AllocationPolicy,
    source: TimeSource,
    team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE,
) -> AllocationReport:
    """Where the manager's seller time went in `period`, judged by the segment of each entry's day."""
    fetched = source.period_time(manager_id=manager_id, first=period.first, last=period.last)
    time_rows, roster = fetched.time, fetched.roster
    moved = sorted({t.seller_id for t in time_rows} - {r.seller_id for r in roster})
    if moved:
        roster = [*roster, *source.roster_of(moved, last=period.last)]
    allocation = allocate_time(
        time=time_rows, roster=roster, policy=policy, team_wide_above=team_wide_above
    )
    return AllocationReport(
        period=period,
        policy=policy,
        allocation=allocation,
        alerts=allocation_alerts(allocation),
        moves=moves_to_policy(allocation),
    )
