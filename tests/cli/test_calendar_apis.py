"""`krutt calendar connect --kind microsoft365|google` and their syncs, against local servers
that follow Graph's and Google's documented requests, paging and errors.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any as SettingsWrapper

import pytest

from krutt.web.audit.models import AuditEvent
from krutt.web.connections import secrets
from krutt.web.connections.models import CalendarConnection
from krutt.web.imports.models import ImportBatch
from krutt.web.timelog.models import TimeEntry
from tests.cli.test_calendar_connections import announce
from tests.conftest import MAILBOX
from tests.connections.servers import GoogleServer, GraphServer, google_event, graph_event

pytestmark = pytest.mark.django_db(transaction=True)

KARI = ("Kari Nordmann", "kari.nordmann@nordlys.example")
OLA = ("Ola Hansen", "ola.hansen@nordlys.example")
# Last week, so the meetings have happened and the sellers are on the team.
MONDAY = (datetime.now(UTC) - timedelta(days=7)).replace(hour=8, minute=0, second=0, microsecond=0)


def _at(hours: int) -> str:
    return (MONDAY + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture
def sample_team(sample_team):  # type: ignore[no-untyped-def]
    """The sample team, told of the measurement: a connected calendar needs it (§ 9-2)."""
    announce(sample_team)
    return sample_team


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


def _connect_graph(krutt, monkeypatch, secret: str = "s3cret"):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    return krutt(
        "calendar", "connect", "--manager", MAILBOX, "--kind", "microsoft365",
        "--tenant", "nordlys", "--client-id", "krutt-app", "--secret-stdin",
        "--mailbox", MAILBOX, "--lang", "en",
    )  # fmt: skip


@pytest.fixture
def graph(graph_server: GraphServer, settings: SettingsWrapper) -> GraphServer:
    settings.KRUTT_GRAPH_URL = graph_server.base
    settings.KRUTT_MICROSOFT_LOGIN_URL = graph_server.base
    graph_server.put(graph_event("AAMk1", _at(1), _at(2), "Coaching Kari", [KARI]))
    graph_server.put(graph_event("AAMk2", _at(3), _at(4), "1:1 Ola", [OLA]))
    graph_server.put(
        graph_event("AAMk3", _at(5), _at(6), "Pipeline Kari", [KARI],
                    responseStatus={"response": "declined"})
    )  # fmt: skip
    graph_server.put(graph_event("AAMk4", _at(26), _at(27), "Dentist", showAs="busy"))
    return graph_server


def test_a_microsoft365_calendar_syncs_through_the_file_imports_rules(
    sample_team, graph: GraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    connected = _connect_graph(krutt, monkeypatch)
    assert connected.code == 0, connected.err
    connection = CalendarConnection.objects.get()
    assert connection.settings == {
        "tenant": "nordlys",
        "client_id": "krutt-app",
        "mailbox": MAILBOX,
    }
    assert secrets.decrypt(connection.secret) == "s3cret"
    first = krutt("calendar", "sync", "--id", connection.pk, "--json", "--lang", "en")
    assert first.code == 0, first.err
    assert (first.json["status"], first.json["created"]) == ("synced", 2)
    assert first.json["skipped_reasons"] == {
        "declined": 1,
        "no_seller": 1,
    }  # the declined meeting is not time spent
    assert first.json["busy"]["created"] == 3  # the declined one is not busy either
    kari = TimeEntry.objects.get(sellers__email=KARI[1])
    assert (kari.minutes, kari.activity, kari.source) == (60, "coaching", "calendar")

    graph.delete("AAMk2")
    graph.put(graph_event("AAMk1", _at(1), _at(3), "Coaching Kari", [KARI]))
    later = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert later.code == 0, later.err
    assert (later.json["created"], later.json["updated"], later.json["removed"]) == (0, 1, 1)
    assert TimeEntry.objects.get().minutes == 120
    assert "$deltatoken" in graph.requests[-1][1]

    batches = ImportBatch.objects.count()
    again = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert (again.code, again.json["status"]) == (0, "unchanged")
    assert ImportBatch.objects.count() == batches


def test_a_wrong_client_secret_saves_nothing(
    sample_team, graph: GraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    audit = AuditEvent.objects.count()
    result = _connect_graph(sample_team, monkeypatch, secret="wrong")
    assert result.code == 2
    assert result.err == (
        "krutt: Microsoft 365 refused the app's tenant, client id or client secret.\n"
    )
    assert CalendarConnection.objects.count() == 0
    assert AuditEvent.objects.count() == audit


def test_a_client_secret_argument_is_refused(sample_team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as refused:
        sample_team(
            "calendar", "connect", "--manager", MAILBOX, "--kind", "microsoft365",
            "--tenant", "t", "--client-id", "c", "--secret", "s", "--mailbox", MAILBOX,
        )  # fmt: skip
    assert refused.value.code == 2
    assert CalendarConnection.objects.count() == 0


def test_a_google_calendar_syncs_with_a_service_account_key(
    sample_team, google_server: GoogleServer, settings: SettingsWrapper, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    settings.KRUTT_GOOGLE_CALENDAR_URL = google_server.base
    settings.KRUTT_GOOGLE_TOKEN_URL = google_server.token_url
    google_server.put(google_event("g1", _at(1) + "Z", _at(2) + "Z", "Coaching Kari", [KARI]))
    google_server.put(google_event("g2", _at(3) + "Z", _at(4) + "Z", "Salgsmøte", [KARI, OLA]))
    key = tmp_path / "key.json"
    key.write_text(google_server.key_file(), encoding="utf-8")
    connected = krutt(
        "calendar", "connect", "--manager", MAILBOX, "--kind", "google",
        "--key-file", str(key), "--mailbox", MAILBOX, "--every", "30",
    )  # fmt: skip
    assert connected.code == 0, connected.err
    connection = CalendarConnection.objects.get()
    assert connection.settings["service_account"] == google_server.client_email
    assert "PRIVATE KEY" not in str(connection.settings) + connection.secret
    first = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert first.code == 0, first.err
    assert (first.json["status"], first.json["created"]) == ("synced", 2)
    assert sorted(TimeEntry.objects.values_list("minutes", flat=True)) == [60, 60]

    google_server.delete("g1")
    later = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert (later.code, later.json["removed"], later.json["created"]) == (0, 1, 0)
    google_server.expire_sync_tokens()
    resync = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert resync.code == 0, resync.err
    assert resync.json["status"] == "synced"
    assert (resync.json["created"], resync.json["removed"]) == (0, 0)
    assert TimeEntry.objects.count() == 1


def test_a_google_key_that_is_not_a_key_is_one_sentence(sample_team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "key.json"
    key.write_text('{"type": "authorized_user"}', encoding="utf-8")
    result = sample_team(
        "calendar", "connect", "--manager", MAILBOX, "--kind", "google",
        "--key-file", str(key), "--mailbox", MAILBOX, "--lang", "en",
    )  # fmt: skip
    assert result.code == 2
    assert result.err.startswith("krutt: The key file is not a Google service account key")
    assert CalendarConnection.objects.count() == 0
