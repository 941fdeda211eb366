"""Plan a manager's coming week: hours by policy and carry-over, placed in their free time.

The shell fetches, this use case calculates. It needs the team as `TeamSeller` values
(segment now, start date, minutes received over the four weeks before the plan's week,
last 1:1, support status), the manager's busy events in the week, and the public
holidays (the shell reads them from a maintained calendar; the core stays stdlib-only).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.periods import Period, iso_week
from krutt.domain.planning import WeekPlan, plan_sessions
from krutt.domain.planning_hours import DEFAULT_SESSION_RULES, SessionRules
from krutt.domain.policy import AllocationPolicy
from krutt.domain.team import TeamSeller, last_four_weeks
from krutt.domain.workweek import DEFAULT_WORKING_HOURS, Busy, WorkingHours, free_time

# A week has 168 hours; a plan asking for more than a full working week of seller time is a typo.
MAX_HOURS = 60


def lookback_window(week: Period) -> Period:
    """The four weeks before the plan's week: fetch the seller time received in them."""
    return last_four_weeks(week.first)


def plan_week(
    *,
    week: str | Period,
    hours: Decimal | Fraction | int,
    policy: AllocationPolicy,
    zone: ZoneInfo,
    team: Sequence[TeamSeller],
    busy: Iterable[Busy] = (),
    holidays: Collection[date] = frozenset(),
    working_hours: WorkingHours = DEFAULT_WORKING_HOURS,
    rules: SessionRules = DEFAULT_SESSION_RULES,
    now: datetime | None = None,
) -> WeekPlan:
    """The plan for `week` (like `2026-W49`) with `hours` of seller time.

    Time before `now` is not planned, so a plan for the current week only fills what is
    left of it.
    """
    period = iso_week(week) if isinstance(week, str) else week
    amount = Fraction(hours)
    if not 0 < amount <= MAX_HOURS:
        raise InvalidInput(
            gettext_noop("Hours for the week must be more than 0 and at most {maximum}."),
            maximum=MAX_HOURS,
        )
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    workdays = free_time(
        period=period, hours=working_hours, busy=busy, holidays=holidays, zone=zone, not_before=now
    )
    return plan_sessions(
        week=period,
        available_minutes=int(amount * 60),
        team=team,
        policy=policy,
        workdays=workdays,
        zone=zone,
        rules=rules,
    )
