"""What the dashboard and the director's view read, assembled from one use case per team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from krutt.domain.policy import AllocationPolicy
from krutt.services.ports import TimeSource
from krutt.services.team_overview import TeamOverview, team_overview
from krutt.web.accounts.models import Organisation, User
from krutt.web.sellers.models import Team
from krutt.web.sellers.policies import organisation_zone, resolve_policy
from krutt.web.timelog.repositories import TimeRepository


def manager_policy(organisation: Organisation, manager: User) -> AllocationPolicy:
    return managers_policies(organisation, [manager.pk])[manager.pk]


def managers_policies(
    organisation: Organisation, manager_ids: Sequence[int]
) -> dict[int, AllocationPolicy]:
    """Each manager's policy: their team's if they lead one team, else the organisation's."""
    teams: dict[int, list[Team]] = defaultdict(list)
    for team in Team.objects.filter(manager_id__in=list(manager_ids)):
        teams[team.manager_id].append(team)  # type: ignore[index]
    return {
        m: resolve_policy(organisation, teams[m][0] if len(teams[m]) == 1 else None)
        for m in manager_ids
    }


def overview_for(
    manager: User,
    now: datetime,
    policy: AllocationPolicy | None = None,
    *,
    source: TimeSource | None = None,
) -> TeamOverview:
    """The manager's overview; `source` shares one read between several managers' overviews."""
    organisation = manager.organisation
    assert organisation is not None
    return team_overview(
        manager_id=manager.pk,
        now=now,
        zone=organisation_zone(organisation),
        policy=policy or manager_policy(organisation, manager),
        source=source or TimeRepository(organisation),
        team_wide_above=organisation.team_wide_above,
    )
