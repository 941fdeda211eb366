"""A director reads the teams under them, as they stand now (RELIABILITY Part B, item 3).

Moving a manager's team under another director (`krutt user add … --role director --team …`)
takes effect on the very next request of both directors: no permission is cached in
the session.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from krutt.web.accounts.models import Role, User
from krutt.web.accounts.users import save_user
from tests.web.factories import World, make_user


@pytest.fixture
def director_b(world: World) -> User:
    """A second director, over team B."""
    director = make_user(world.organisation, "dag@test.example", Role.DIRECTOR, "Dag Direktør")
    world.team_b.director = director
    world.team_b.save()
    return director


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _detail(seller_id: int) -> str:
    return reverse("seller_detail", kwargs={"seller_id": seller_id})


def _normalised(body: bytes) -> bytes:
    # The language switch carries a fresh CSRF token and the current path on every page.
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return re.sub(rb'name="next" value="[^"]*"', b"", body)


def _move(team: str, director: User, world: World) -> None:
    save_user(
        organisation=world.organisation,
        email=director.email,
        role=Role.DIRECTOR,
        name=None,
        teams=[team],
        password=None,
    )


def _reaches(client: Client, world: World) -> dict[str, bool]:
    """Which team's sellers the signed-in director reaches, by page and by list."""
    listing = client.get(reverse("seller_list")).content
    overview = client.get(reverse("org_overview")).content.decode()
    return {
        "A detail": client.get(_detail(world.sellers_a[0].pk)).status_code == 200,
        "B detail": client.get(_detail(world.sellers_b[0].pk)).status_code == 200,
        "A listed": b"Tora Topp" in listing,
        "B listed": b"CANARY-TEAM-B-Siri" in listing,
        "A overview": "Team A" in overview,
        "B overview": "Team B" in overview,
    }


ONLY_A = {
    "A detail": True,
    "B detail": False,
    "A listed": True,
    "B listed": False,
    "A overview": True,
    "B overview": False,
}
ONLY_B = {key: not value for key, value in ONLY_A.items()}
BOTH = dict.fromkeys(ONLY_A, True)
NONE = dict.fromkeys(ONLY_A, False)


def test_each_director_reaches_only_the_teams_under_them(world, director_b):
    assert _reaches(_signed_in(world.director_a), world) == ONLY_A
    assert _reaches(_signed_in(director_b), world) == ONLY_B


def test_moving_a_managers_team_to_another_director_takes_effect_on_the_next_request(
    world, director_b
):
    old, new = _signed_in(world.director_a), _signed_in(director_b)
    assert old.get(_detail(world.sellers_a[0].pk)).status_code == 200

    _move("Team A", director_b, world)

    gone = old.get(_detail(world.sellers_a[0].pk))
    missing = old.get(_detail(999999))
    assert gone.status_code == 404
    assert _normalised(gone.content) == _normalised(missing.content)
    assert b"Tora Topp" not in gone.content
    assert _reaches(old, world) == NONE
    assert _reaches(new, world) == BOTH


def test_a_director_gains_a_team_moved_under_them_and_loses_their_own_when_swapped(
    world, director_b
):
    a_director, b_director = _signed_in(world.director_a), _signed_in(director_b)
    assert _reaches(a_director, world) == ONLY_A

    _move("Team B", world.director_a, world)
    _move("Team A", director_b, world)

    assert _reaches(a_director, world) == ONLY_B
    assert _reaches(b_director, world) == ONLY_A
    # A manager's own reach follows the team they manage, whoever directs it.
    manager = _signed_in(world.manager_a)
    assert manager.get(_detail(world.sellers_a[0].pk)).status_code == 200
    assert manager.get(_detail(world.sellers_b[0].pk)).status_code == 404
