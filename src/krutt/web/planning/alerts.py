"""The judgement calls for a manager's team on a day: allocation, neglect, ramp, support, stale data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from krutt.domain.alerts import Alert, AlertCode, allocation_alerts, team_alerts
from krutt.domain.allocation import Allocation
from krutt.domain.periods import Period
from krutt.domain.policy import AllocationPolicy
from krutt.domain.team import last_four_weeks
from krutt.web.accounts.models import User
from krutt.web.planning.team import TeamFacts, team_facts


def alerts_for(
    manager: User, *, on: date, now: datetime, policy: AllocationPolicy, allocation: Allocation
) -> list[Alert]:
    """Every alert for the manager's team as of `on` (the four weeks up to and including it),
    from the time that has happened by `now`."""
    window = alert_window(on)
    facts = team_facts(manager, on=on, window=window, now=now)
    return alerts_from(facts, on=on, window=window, policy=policy, allocation=allocation)


def alert_window(on: date) -> Period:
    """The four weeks up to and including `on`, which the alerts judge."""
    return last_four_weeks(on + timedelta(days=1))


def alerts_from(
    facts: TeamFacts, *, on: date, window: Period, policy: AllocationPolicy, allocation: Allocation
) -> list[Alert]:
    """The alerts of a team whose facts are read already (the director's page reads them all)."""
    alerts = team_alerts(
        team=facts.team,
        policy=policy,
        window=window,
        on=on,
        latest_performance=facts.latest_performance,
        last_time_recorded=facts.last_time_recorded,
        histories=facts.histories,
        allocation=allocation,
    )
    if allocation.seller_minutes == 0 and not any(a.code is AlertCode.STALE_DATA for a in alerts):
        alerts = allocation_alerts(allocation) + alerts
    return alerts
