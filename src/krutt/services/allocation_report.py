"""The allocation report: a manager's seller time in a period, per segment, against the policy.

Time counts once it has happened (the entry has ended by the clock given); what is
still ahead in the period is planned, reported apart and never in the shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    # What the calendar has ahead in the period, split the same way (not yet time spent).
    planned: Allocation
    alerts: list[Alert]
    moves: list[Move]


def allocation_report(
    *,
    manager_id: int,
    period: Period,
    policy: AllocationPolicy,
    source: TimeSource,
    now: datetime,
    team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE,
) -> AllocationReport:
    """Where the manager's seller time went in `period`, judged by the segment of each entry's day."""
    fetched = source.period_time(
        manager_id=manager_id, first=period.first, last=period.last, now=now
    )
    allocation = allocate_time(
        time=[row.time for row in fetched.time],
        roster=fetched.roster,
        policy=policy,
        team_wide_above=team_wide_above,
    )
    planned = allocate_time(
        time=[row.time for row in fetched.planned],
        # Without planned time no seller row is needed: an empty split costs nothing.
        roster=fetched.roster if fetched.planned else [],
        policy=policy,
        team_wide_above=team_wide_above,
    )
    return AllocationReport(
        period=period,
        policy=policy,
        allocation=allocation,
        planned=planned,
        alerts=allocation_alerts(allocation),
        moves=moves_to_policy(allocation),
    )
