"""Perceived against measured in the web: the weekly question, sliders that sum to 100, the gap."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from krutt.domain.periods import iso_week_label, week_containing
from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.team.models import PerceivedSplit
from tests.web.factories import make_entry


def _last_week(world):
    return week_containing(today_in(world.organisation)).first - timedelta(weeks=1)


def test_the_overview_asks_once_a_week_and_then_shows_perceived_beside_measured(world, client):
    world.manager_a.language = "en"
    world.manager_a.save()
    monday = _last_week(world)
    make_entry(world.manager_a, [world.sellers_a[3]], monday + timedelta(days=1), 90)
    make_entry(world.manager_a, [world.sellers_a[0]], monday + timedelta(days=2), 30)
    client.force_login(world.manager_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert (
        f'<a href="{reverse("perceived")}">Say how you think last week&#x27;s time split</a>'
        in page
    )
    response = client.post(
        reverse("perceived"),
        {"week": iso_week_label(monday), "top": 60, "new": 20, "core": 10, "under": 10},
    )
    assert response.status_code == 302
    row = PerceivedSplit.objects.get(manager=world.manager_a)
    assert (row.week, row.top, row.under, row.shared) == (monday, 60, 10, False)
    assert AuditEvent.objects.get(action="perceived.save").changes["top"] == 60
    page = client.get(reverse("dashboard")).content.decode()
    assert "Say how you think last week" not in page
    assert "What you believed against what was measured" in page
    # 90 of 120 minutes went to the one not delivering: 75 % against the 10 % believed.
    assert "You underestimate the time on Not delivering by 65 points in 1 week." in page


def test_a_split_that_does_not_sum_to_100_is_refused_and_nothing_is_stored(world, client):
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    response = client.post(
        reverse("perceived"),
        {"week": iso_week_label(_last_week(world)), "top": 60, "new": 30, "core": 10, "under": 10},
    )
    assert response.status_code == 400
    assert "The four shares must sum to 100; these sum to 110." in response.content.decode()
    assert not PerceivedSplit.objects.exists()


def test_the_director_never_sees_a_managers_estimate(world, client):
    monday = _last_week(world)
    PerceivedSplit.objects.create(
        manager=world.manager_a, week=monday, top=1, new=2, core=3, under=94
    )
    client.force_login(world.director_a)
    page = client.get(reverse("org_overview")).content.decode()
    assert "94" not in page
    assert client.get(reverse("perceived")).status_code == 302


def test_a_shared_estimate_reaches_the_director(world, client):
    monday = _last_week(world)
    PerceivedSplit.objects.create(
        manager=world.manager_a, week=monday, top=1, new=2, core=3, under=94, shared=True
    )
    world.director_a.language = "en"
    world.director_a.save()
    client.force_login(world.director_a)
    page = client.get(reverse("org_overview")).content.decode()
    assert "believed against measured" in page
    assert "Not delivering 94%" in page
