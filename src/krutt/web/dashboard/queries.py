"""What the dashboard and the director's view read, assembled from one use case per team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krutt.domain.months import Month
from krutt.domain.policy import AllocationPolicy
from krutt.services.team_overview import TeamOverview, team_overview
from krutt.web.accounts.models import Organisation, User
from krutt.web.sellers.models import MonthlyResult, Seller, Team
from krutt.web.sellers.policies import resolve_policy
from krutt.web.sellers.repositories import employed_between
from krutt.web.timelog.repositories import TimeRepository

STALE_TIME_DAYS = 7


@dataclass(frozen=True, kw_only=True)
class StaleData:
    """Numbers the page cannot be trusted on: a month without results, a week without time."""

    missing_month: Month | None
    days_without_time: int | None


def manager_policy(organisation: Organisation, manager: User) -> AllocationPolicy:
    teams = list(Team.objects.filter(manager=manager))
    return resolve_policy(organisation, teams[0] if len(teams) == 1 else None)


def overview_for(manager: User, today: date) -> TeamOverview:
    organisation = manager.organisation
    assert organisation is not None
    return team_overview(
        manager_id=manager.pk,
        today=today,
        policy=manager_policy(organisation, manager),
        source=TimeRepository(organisation),
        team_wide_above=organisation.team_wide_above,
    )


def stale_data(manager: User, overview: TeamOverview) -> StaleData:
    """No result for anyone on the team for last month, or no time logged for a week."""
    last_month = Month.of(overview.today).plus(-1)
    sellers = Seller.objects.filter(team__manager=manager).filter(employed_between(last_month.first_day(), last_month.last_day()))
    reported = MonthlyResult.objects.filter(
        seller__in=sellers, month=last_month.first_day(), actual__isnull=False
    ).exists()
    idle = None
    if overview.last_entry_day is None:
        idle = STALE_TIME_DAYS * 12
    elif (overview.today - overview.last_entry_day).days >= STALE_TIME_DAYS:
        idle = (overview.today - overview.last_entry_day).days
    return StaleData(missing_month=None if reported else last_month, days_without_time=idle)
