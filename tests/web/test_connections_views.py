"""The Calendar page: connect and test, sync now, disconnect; only one's own connections."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from krutt.web.audit.models import AuditEvent
from krutt.web.connections.models import CalendarConnection
from tests.conftest import DATA
from tests.connections.servers import CalendarServer, Route
from tests.web.factories import announce

OUTLOOK = (DATA / "calendars" / "outlook-export.ics").read_bytes()
SECRET_PATH = "/owa/calendar/8f2a1c0d4b/reachcalendar.ics"


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    """Both teams were told of the measurement, so a calendar may be connected."""
    announce(world.team_a)
    announce(world.team_b)
    return world


def _post(client, server: CalendarServer, action: str, **extra: str):  # type: ignore[no-untyped-def]
    data = {"kind": "ics-url", "url": server.url(SECRET_PATH), "every": "60", "action": action}
    return client.post(reverse("calendar_connections"), data | extra, follow=True)


def test_a_manager_connects_a_published_calendar_and_its_first_sync_is_queued(
    world, client, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    calendar_server.routes[SECRET_PATH] = Route(body=OUTLOOK)
    client.force_login(world.manager_a)
    page = _post(client, calendar_server, "connect")
    assert page.status_code == 200
    connection = CalendarConnection.objects.get()
    assert (connection.manager, connection.kind) == (world.manager_a, "ics-url")
    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["args"] == [connection.pk]
    text = page.content.decode()
    assert "127.0.0.1" in text
    assert "8f2a1c0d4b" not in text  # the address is a secret: only its host is shown
    assert not any("8f2a1c0d4b" in str(e.changes) for e in AuditEvent.objects.all())


def test_test_tries_the_calendar_and_saves_nothing(
    world, client, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    calendar_server.routes[SECRET_PATH] = Route(body=OUTLOOK)
    client.force_login(world.manager_a)
    page = _post(
        client,
        calendar_server,
        "test",
    )
    assert (
        "The calendar answered" in page.content.decode()
        or "Kalenderen svarte" in page.content.decode()
    )
    assert CalendarConnection.objects.count() == 0
    assert len(calendar_server.requests) == 1


def test_a_calendar_that_fails_is_not_saved_and_the_page_says_why(
    world, client, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    calendar_server.routes[SECRET_PATH] = Route(status=404)
    client.force_login(world.manager_a)
    client.post(reverse("set_language"), {"language": "en"})
    page = _post(client, calendar_server, "connect")
    assert "The calendar was not found at that address (HTTP 404)." in page.content.decode()
    assert CalendarConnection.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_the_password_is_never_shown_back(world, client, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager_a)
    page = _post(
        client,
        calendar_server,
        "connect",
        kind="caldav",
        username="anne",
        password="hunter2-secret",
    )
    assert "hunter2-secret" not in page.content.decode()
    assert CalendarConnection.objects.count() == 0


def _connected(world, calendar_server: CalendarServer, client) -> CalendarConnection:  # type: ignore[no-untyped-def]
    calendar_server.routes[SECRET_PATH] = Route(body=OUTLOOK)
    client.force_login(world.manager_a)
    _post(client, calendar_server, "connect")
    return CalendarConnection.objects.get()


def test_sync_now_queues_a_job(world, client, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    connection = _connected(world, calendar_server, client)
    DBTaskResult.objects.all().delete()
    response = client.post(reverse("calendar_sync"), {"connection": connection.pk})
    assert response.status_code == 302
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[connection.pk]]


@pytest.mark.parametrize("route", ["calendar_sync", "calendar_disconnect"])
def test_another_managers_connection_is_a_404_and_nothing_changes(
    world, client, calendar_server: CalendarServer, route: str
) -> None:  # type: ignore[no-untyped-def]
    connection = _connected(world, calendar_server, client)
    jobs = DBTaskResult.objects.count()
    client.force_login(world.manager_b)
    assert client.post(reverse(route), {"connection": connection.pk}).status_code == 404
    assert client.post(reverse(route), {"connection": "x"}).status_code == 404
    assert CalendarConnection.objects.filter(pk=connection.pk).exists()
    assert DBTaskResult.objects.count() == jobs
    page = client.get(reverse("calendar_connections"))
    assert "127.0.0.1" not in page.content.decode()


def test_disconnect_removes_the_connection(world, client, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    connection = _connected(world, calendar_server, client)
    response = client.post(reverse("calendar_disconnect"), {"connection": connection.pk})
    assert response.status_code == 302
    assert CalendarConnection.objects.count() == 0
    assert AuditEvent.objects.filter(action="connection.disconnect").count() == 1


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_page_speaks_both_languages(world, client, lang: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager_a)
    client.post(reverse("set_language"), {"language": lang})
    text = client.get(reverse("calendar_connections")).content.decode()
    assert ("Koble til en kalender" if lang == "nb" else "Connect a calendar") in text


def test_a_director_is_sent_to_the_dashboard(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.director_a)
    response = client.get(reverse("calendar_connections"))
    assert (response.status_code, response["Location"]) == (302, reverse("dashboard"))


def test_a_manager_connects_microsoft365_and_the_secret_is_never_shown_back(
    world, client, graph_server, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KRUTT_GRAPH_URL = settings.KRUTT_MICROSOFT_LOGIN_URL = graph_server.base
    graph_server.mailbox = world.manager_a.email
    client.force_login(world.manager_a)
    client.post(reverse("set_language"), {"language": "en"})
    data = {"kind": "microsoft365", "tenant": "nordlys", "client_id": "krutt-app",
            "mailbox": world.manager_a.email, "every": "60"}  # fmt: skip
    refused = client.post(
        reverse("calendar_connections"),
        data | {"client_secret": "wrong-secret-123", "action": "connect"},
    )
    text = refused.content.decode()
    assert "Microsoft 365 refused the app&#x27;s tenant, client id or client secret." in text
    assert "wrong-secret-123" not in text
    assert CalendarConnection.objects.count() == 0
    client.post(
        reverse("calendar_connections"), data | {"client_secret": "s3cret", "action": "connect"}
    )
    connection = CalendarConnection.objects.get()
    assert (connection.kind, connection.settings["tenant"]) == ("microsoft365", "nordlys")
    page = client.get(reverse("calendar_connections")).content.decode()
    assert f"microsoft365 · {world.manager_a.email}" in page
    assert "s3cret" not in page


def test_a_manager_connects_google_with_the_key_file(
    world, client, google_server, settings
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.KRUTT_GOOGLE_CALENDAR_URL = google_server.base
    settings.KRUTT_GOOGLE_TOKEN_URL = google_server.token_url
    google_server.mailbox = world.manager_a.email
    google_server.delegated = {world.manager_a.email}
    client.force_login(world.manager_a)
    key = SimpleUploadedFile("key.json", google_server.key_file().encode())
    client.post(
        reverse("calendar_connections"),
        {
            "kind": "google",
            "mailbox": world.manager_a.email,
            "every": "60",
            "key_file": key,
            "action": "connect",
        },
    )
    connection = CalendarConnection.objects.get()
    assert connection.settings["service_account"] == google_server.client_email
    page = client.get(reverse("calendar_connections")).content.decode()
    assert "PRIVATE KEY" not in page
