"""Reading never writes (RELIABILITY Part B, item 9; ASVS 3.5.3): a GET leaves the database as it was.

A link, a prefetching browser or a crawler following links must not change anyone's data,
so every route is requested with GET, by every role, and every table is compared.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from krutt.domain.periods import iso_week_label
from krutt.web.clock import today_in
from tests.web.factories import World
from tests.web.routes import all_routes, database_fingerprint, own_url

ROUTES = all_routes()


def _query_variants(world: World) -> list[str]:
    """The GET parameters the pages themselves link to, including weeks far from today."""
    today = today_in(world.organisation)
    weeks = [iso_week_label(today + timedelta(days=days)) for days in (-3650, -7, 7, 400, 3650)]
    urls = []
    for week in weeks:
        urls += [
            f"{reverse('time_log')}?week={week}",
            f"{reverse('plan')}?week={week}",
            f"{reverse('plan')}?week={week}&hours=4",
            f"{reverse('plan_ics')}?week={week}",
        ]
    for period in ("4weeks", "quarter", "year", "nonsense"):
        urls.append(f"{reverse('seller_list')}?period={period}&sort=name&segment=top")
    urls += [
        f"{reverse('seller_list')}?team={world.team_b.pk}",
        f"{reverse('settings')}?team={world.team_a.pk}",
        f"{reverse('settings')}?team={world.team_b.pk}",
        f"{reverse('import_preview')}?upload=not-a-token",
    ]
    return urls


@pytest.mark.parametrize(
    "who", ["anonymous", "manager_a", "manager_b", "director_a", "admin", "seller_a"]
)
def test_a_get_on_every_route_changes_no_table(world, client, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    urls = [own_url(r, world) for r in ROUTES] + _query_variants(world)
    before = database_fingerprint()

    statuses = {url: client.get(url).status_code for url in urls}

    after = database_fingerprint()
    changed = sorted(t for t in before if before[t] != after.get(t))
    assert changed == [], (who, changed)
    assert sorted(set(after) - set(before)) == []
    assert 500 not in statuses.values()


def test_the_planner_stops_at_the_stored_segments_instead_of_extending_them(world, client):
    # "Next week →" has no end; past the horizon a GET used to refresh every seller's history.
    client.force_login(world.manager_a)
    world.manager_a.language = "en"
    world.manager_a.save()
    horizon = world.organisation.segments_through
    last = iso_week_label(horizon - timedelta(days=horizon.weekday()))

    response = client.get(f"{reverse('plan')}?week=2400-W01", follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    # It says so, for the week asked for, instead of showing another week.
    assert (
        "Week 2400-W01 is further ahead than krutt can plan: the segments are known to the end "
        f"of next month, so plans go no further than week {last}."
    ) in page
    assert response.context["week_label"] == "2400-W01"
    assert response.context.get("plan") is None
    assert f'href="?week={last}"' in page
    world.organisation.refresh_from_db()
    assert world.organisation.segments_through == horizon
