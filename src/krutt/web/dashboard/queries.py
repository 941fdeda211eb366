"""What the dashboard and the director's view read, assembled from one use case per team."""

from __future__ import annotations

from datetime import datetime

from krutt.domain.policy import AllocationPolicy
from krutt.services.team_overview import TeamOverview, team_overview
from krutt.web.accounts.models import Organisation, User
from krutt.web.sellers.models import Team
from krutt.web.sellers.policies import organisation_zone, resolve_policy
from krutt.web.timelog.repositories import TimeRepository


def manager_policy(organisation: Organisation, manager: User) -> AllocationPolicy:
    teams = list(Team.objects.filter(manager=manager))
    return resolve_policy(organisation, teams[0] if len(teams) == 1 else None)


def overview_for(
    manager: User, now: datetime, policy: AllocationPolicy | None = None
) -> TeamOverview:
    organisation = manager.organisation
    assert organisation is not None
    return team_overview(
        manager_id=manager.pk,
        now=now,
        zone=organisation_zone(organisation),
        policy=policy or manager_policy(organisation, manager),
        source=TimeRepository(organisation),
        team_wide_above=organisation.team_wide_above,
    )
