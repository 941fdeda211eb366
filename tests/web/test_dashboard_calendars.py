"""The overview says when a connected calendar has not synced for a day, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from krutt.connections.http import REFUSED
from krutt.web.connections import secrets
from krutt.web.connections.models import CalendarConnection

# Monday 30 November 2026, 09:00 in Oslo.
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _connection(manager, *, last_success_at, error=None, created_at=None):  # type: ignore[no-untyped-def]
    return CalendarConnection.objects.create(
        organisation=manager.organisation,
        manager=manager,
        kind="caldav",
        settings={"host": "dav.nordlys.example", "url": "https://dav.nordlys.example/"},
        secret=secrets.encrypt("pw"),
        created_at=created_at or MONDAY - timedelta(days=30),
        last_success_at=last_success_at,
        last_status="failed" if error else "synced",
        last_error=error,
    )


REFUSED_401 = {"text": REFUSED, "params": {"status": "401"}}


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Calendar caldav · dav.nordlys.example not synced since Monday 30 November: "
               "the server refused the user name or password (HTTP 401)."),
        ("nb", "Kalenderen caldav · dav.nordlys.example er ikke synkronisert siden "
               "mandag 30. november: serveren godtok ikke brukernavnet eller passordet (HTTP 401)."),
    ],
)  # fmt: skip
def test_a_calendar_not_synced_for_a_day_is_on_the_overview_with_its_reason(
    world, client, language: str, sentence: str
) -> None:  # type: ignore[no-untyped-def]
    assert timezone.now() - MONDAY > timedelta(days=1)
    _connection(world.manager_a, last_success_at=MONDAY, error=REFUSED_401)
    world.manager_a.language = language
    world.manager_a.save()
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert sentence in body.replace("&#x27;", "'")
    assert reverse("calendar_connections") in body


def test_a_calendar_synced_within_the_day_is_not_mentioned(world, client) -> None:  # type: ignore[no-untyped-def]
    _connection(world.manager_a, last_success_at=timezone.now() - timedelta(hours=20))
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "not synced since" not in body
    assert "has not synced yet" not in body


def test_a_calendar_that_never_synced_says_since_it_was_connected(world, client) -> None:  # type: ignore[no-untyped-def]
    _connection(world.manager_a, last_success_at=None, created_at=MONDAY)
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert (
        "Calendar caldav · dav.nordlys.example, connected Monday 30 November, has not synced yet."
        in body
    )


def test_another_managers_stale_calendar_is_not_shown(world, client) -> None:  # type: ignore[no-untyped-def]
    _connection(world.manager_b, last_success_at=MONDAY, error=REFUSED_401)
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "dav.nordlys.example" not in body
