"""The allocation report: a manager's seller time in a period, per segment, against the policy."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from krutt.domain.alerts import Alert, allocation_alerts
from krutt.domain.allocation import (
    DEFAULT_TEAM_WIDE_ABOVE,
    Allocation,
    Move,
    RosterSeller,
    TimeFact,
    allocate_time,
    moves_to_policy,
)
from krutt.domain.periods import Period
from krutt.domain.policy import AllocationPolicy
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.ports import TeamMember, TimeSource


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
    zone: ZoneInfo,
    source: TimeSource,
    team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE,
) -> AllocationReport:
    """Where the manager's seller time went in `period`, judged by the segment of each entry's day."""
    start, end = period_bounds(period, zone)
    recorded = source.recorded_time(manager_id=manager_id, start=start, end=end)
    members = source.team_members(manager_id=manager_id, first=period.first, last=period.last)
    known = {m.seller_id for m in members}
    moved = sorted({s for r in recorded for s in r.seller_ids} - known)
    if moved:
        members = [*members, *source.sellers_by_id(moved)]
    timelines = source.segment_timelines(
        [m.seller_id for m in members], first=period.first, last=period.last
    )
    segment_on = SegmentLookup(timelines)
    facts = [
        TimeFact(
            entry_id=r.entry_id,
            day=r.started_at.astimezone(zone).date(),
            minutes=r.minutes,
            seller_ids=r.seller_ids,
        )
        for r in recorded
    ]
    roster = [_roster_seller(m, segment_on, period) for m in members]
    allocation = allocate_time(
        facts=facts, roster=roster, segment_on=segment_on, policy=policy, team_wide_above=team_wide_above
    )
    return AllocationReport(
        period=period,
        policy=policy,
        allocation=allocation,
        alerts=allocation_alerts(allocation),
        moves=moves_to_policy(allocation),
    )


def _roster_seller(member: TeamMember, segment_on: SegmentLookup, period: Period) -> RosterSeller:
    # A seller who left during the period is listed with the segment of their last day.
    last = min(period.last, member.ended_on) if member.ended_on else period.last
    return RosterSeller(
        seller_id=member.seller_id,
        email=member.email,
        name=member.name,
        segment_at_end=segment_on(member.seller_id, last),
    )


class SegmentLookup:
    """The segment of a seller on a day, read from their stored history."""

    def __init__(self, timelines: Mapping[SellerId, Sequence[tuple[date, Segment]]]) -> None:
        self._days = {s: [d for d, _ in t] for s, t in timelines.items()}
        self._segments = {s: [seg for _, seg in t] for s, t in timelines.items()}

    def __call__(self, seller_id: SellerId, day: date) -> Segment:
        days = self._days.get(seller_id)
        if not days:
            raise LookupError(f"seller {seller_id} has no segment history")
        # A day before the first entry (time logged before the start date) takes the first segment.
        index = max(bisect.bisect_right(days, day) - 1, 0)
        return self._segments[seller_id][index]
