"""Does the policy pay? The five Results views for one manager's team (see `domain.outcome`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from krutt.domain.months import Month
from krutt.domain.outcome import (
    DEFAULT_OUTCOME_RULES,
    Outcome,
    OutcomeData,
    OutcomeRules,
    build_outcome,
    monday_of,
    outcome_window,
)
from krutt.domain.policy import AllocationPolicy
from krutt.domain.ramp import DEFAULT_RAMP_RULES, RampRules


class OutcomeSource(Protocol):
    def outcome_data(
        self, *, manager_id: int, first: Month, last: Month, weeks_from: date, weeks_until: date
    ) -> OutcomeData:
        """The manager's sellers with their segment history and all their monthly numbers;
        the manager's minutes per seller and month from `first` to `last` (by segment of the
        entry's day, coaching-type or not, entry size); and the minutes by week, segment and
        energy rating for entries on days from `weeks_from` up to `weeks_until` (excluded)."""
        ...


def outcome_report(
    *,
    manager_id: int,
    today: date,
    policy: AllocationPolicy,
    source: OutcomeSource,
    rules: OutcomeRules = DEFAULT_OUTCOME_RULES,
    ramp_rules: RampRules = DEFAULT_RAMP_RULES,
) -> Outcome:
    """Outcome, coaching effect, ramp, wear and retention over the complete months before today."""
    first, last = outcome_window(today=today, months=rules.months)
    this_monday = monday_of(today)
    data = source.outcome_data(
        manager_id=manager_id,
        # The leavers' last months may lie before the window.
        first=first.plus(-rules.leaver_months),
        last=last,
        weeks_from=this_monday - timedelta(weeks=rules.wear_weeks),
        weeks_until=this_monday,
    )
    return build_outcome(data=data, policy=policy, today=today, rules=rules, ramp_rules=ramp_rules)
