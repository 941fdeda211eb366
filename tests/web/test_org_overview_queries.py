"""The director's teams page reads every team in a fixed number of queries (issue 9).

Today it ran 4 + 9 queries per team: a director over twenty teams waited on two hundred
round trips. The count must not grow with the number of teams.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.clock import today_in
from krutt.web.sellers.models import Team
from tests.web.factories import make_entry, make_seller, make_user, refresh


def _organisation_with(teams: int) -> User:
    organisation = Organisation.objects.create(name=f"Firma med {teams} team")
    director = make_user(organisation, f"dir{teams}@test.example", Role.DIRECTOR, "Dina")
    today = today_in(organisation)
    for n in range(teams):
        manager = make_user(organisation, f"m{teams}-{n}@test.example", Role.MANAGER, f"Leder {n}")
        team = Team.objects.create(
            organisation=organisation, name=f"Team {n:02}", manager=manager, director=director
        )
        sellers = [
            make_seller(team, f"Topp {n}", f"t{teams}-{n}@test.example", date(2019, 1, 7), "1.3"),
            make_seller(team, f"Under {n}", f"u{teams}-{n}@test.example", date(2018, 5, 1), "0.5"),
            make_seller(team, f"Ny {n}", f"n{teams}-{n}@test.example", today.replace(day=1), None),
        ]
        for back in (7, 14):
            make_entry(manager, sellers[:1], today - timedelta(days=back), 60)
            make_entry(manager, sellers[1:2], today - timedelta(days=back), 90, "performance_talk")
    refresh(organisation)
    return director


def _queries_for(director: User) -> tuple[int, str]:
    client = Client()
    client.force_login(director)
    client.get(reverse("org_overview"))  # warm: sessions, segment refresh, the language
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("org_overview"))
    assert page.status_code == 200
    return len(queries), page.content.decode()


@pytest.mark.django_db
def test_the_teams_page_costs_the_same_for_one_five_and_twenty_teams() -> None:
    counts = {}
    for teams in (1, 5, 20):
        counts[teams], body = _queries_for(_organisation_with(teams))
        # Every team is on the page with its own numbers.
        assert body.count('<section class="card" aria-labelledby="team-') == teams, teams
        assert f"Team {teams - 1:02}" in body
    assert counts[1] == counts[5] == counts[20], counts
