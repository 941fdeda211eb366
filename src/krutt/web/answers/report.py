"""The allocation report as `krutt report --json` prints it and GET /api/v1/reports returns it."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop, message_numbers
from krutt.domain.periods import Period, calendar_month, iso_week, parse_day, week_containing
from krutt.services.allocation_report import AllocationReport, allocation_report
from krutt.web.accounts.models import User
from krutt.web.clock import today_in
from krutt.web.messages import render
from krutt.web.planning.alerts import alerts_for
from krutt.web.privacy.notices import manager_warnings
from krutt.web.sellers.models import Team
from krutt.web.sellers.policies import resolve_policy
from krutt.web.team.perceived import perceived_for_week
from krutt.web.timelog.repositories import TimeRepository


def report_period(
    *, week: str | None, month: str | None, first: str | None, last: str | None, today: date
) -> Period:
    """--week, --month or --from/--to; without any, the week containing today."""
    if last and not first:
        raise InvalidInput(gettext_noop("--to needs --from."))
    if first:
        if not last:
            raise InvalidInput(gettext_noop("--from needs --to."))
        return Period(first=parse_day(first), last=parse_day(last))
    if week:
        return iso_week(week)
    if month:
        return calendar_month(month)
    return week_containing(today)


def _round(value: Fraction, places: int = 4) -> float:
    return round(float(value), places)


def run_report(
    manager: User, *, period: Period, policy_key: str | None, now: datetime
) -> tuple[AllocationReport, list[Any]]:
    """The report and the judgement calls as they stood at the end of the period (or today)."""
    organisation = manager.organisation
    assert organisation is not None
    teams = list(Team.objects.filter(manager=manager))
    policy = resolve_policy(organisation, teams[0] if len(teams) == 1 else None, key=policy_key)
    result = allocation_report(
        manager_id=manager.pk,
        period=period,
        policy=policy,
        source=TimeRepository(organisation),
        now=now,
        team_wide_above=organisation.team_wide_above,
    )
    on = min(period.last, today_in(organisation))
    alerts = alerts_for(manager, on=on, now=now, policy=policy, allocation=result.allocation)
    return result, alerts


def report_document(
    manager: User, result: AllocationReport, alerts: list[Any], lang: str
) -> dict[str, Any]:
    allocation, planned, period = result.allocation, result.planned, result.period
    warnings = manager_warnings(manager)
    # The manager's own estimate, for a period that is one ISO week they gave one for.
    perceived = (
        perceived_for_week(manager, period.first)
        if period.first.isoweekday() == 1 and (period.last - period.first).days == 6
        else None
    )
    return {
        "manager": manager.email,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "policy": result.policy.key,
        "seller_hours": _round(allocation.seller_minutes / 60),
        "team_wide_hours": _round(allocation.team_wide_minutes / 60),
        # Calendar time in the period that has not happened yet (not in the shares).
        "planned_hours": _round(planned.seller_minutes / 60),
        "segments": {
            segment.value: {
                "hours": _round(a.minutes / 60),
                "share": _round(a.share),
                "min": _round(a.band.minimum),
                "max": _round(a.band.maximum) if a.band.maximum is not None else None,
                "status": a.status.value,
                "sellers": a.sellers,
                "planned_hours": _round(planned.segments[segment].minutes / 60),
            }
            for segment, a in allocation.segments.items()
        },
        "sellers": [
            {
                "email": s.email,
                "name": s.name,
                "segment": s.segment.value,
                "hours": _round(s.minutes / 60),
                "share": _round(s.share),
            }
            for s in allocation.sellers
        ],
        "alerts": [
            {
                "code": alert.code.value,
                "segment": alert.segment.value if alert.segment else None,
                "seller": alert.seller_email,
                "message": render(alert.message, lang),
                "numbers": message_numbers(alert.message),
            }
            for alert in alerts
        ],
        "perceived": (
            {s.value: _round(share) for s, share in perceived.items()}
            if perceived is not None
            else None
        ),
        "moves": [
            {"from": m.source.value, "to": m.target.value, "hours": _round(m.minutes / 60, 2)}
            for m in result.moves
        ],
        # Calendar measurement not announced (or due for review) for a team: § 9-2.
        "warnings": [render(w, lang) for w in warnings],
    }
