"""`krutt calendar connect|list|sync|disconnect` against real servers on loopback.

A local HTTP server publishes the sample calendars (ics-url); a real Radicale server
holds them as CalDAV objects. Either way the sync gives the file import's report.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from krutt.web.audit.models import AuditEvent
from krutt.web.connections import secrets
from krutt.web.connections.models import CalendarConnection, CalendarObject, SyncRun
from krutt.web.imports.models import ImportBatch
from krutt.web.planning.models import BusyBlock
from krutt.web.timelog.models import TimeEntry
from tests.conftest import DATA
from tests.connections.servers import CalendarServer, Radicale, Route, split_events

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
MANAGER = EXPECTED["manager"]
OUTLOOK = DATA / "calendars" / "outlook-export.ics"
GOOGLE = DATA / "calendars" / "google-export.ics"
# What may differ between a file import and a sync of the same calendar: names and ids.
# The worker and the sync check their database connection as a long-running process does
# (close_old_connections), which ends a test wrapped in one transaction: these tests
# commit for real, as the processes do.
pytestmark = pytest.mark.django_db(transaction=True)

# The file import runs before the team is told of the measurement, so it warns (§ 9-2).
NAMING = {"file", "batch", "connection", "status", "error", "next_sync_at", "calendar", "warnings"}


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


def _file_report(krutt, path) -> dict:  # type: ignore[no-untyped-def]
    """The file import's JSON report, then undone, so the database is as before."""
    result = krutt("import", "calendar", path, "--manager", MANAGER, "--lang", "en", "--json")
    assert result.code == 0, result.err
    report = result.json
    assert krutt("import", "undo", str(report["batch"])).code == 0
    return report


def _without(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in NAMING}


def announce(krutt) -> None:  # type: ignore[no-untyped-def]
    """The sample team was told of the measurement (arbeidsmiljøloven § 9-2)."""
    result = krutt(
        "privacy", "notice", "--team", "Salg Øst", "--informed-on", "2026-01-05",
        "--discussed-on", "2025-12-15", "--purpose", "Følge opp fordelingen av tid",
    )  # fmt: skip
    assert result.code == 0, result.err


def _connect_ics(krutt, url: str):  # type: ignore[no-untyped-def]
    announce(krutt)
    return krutt("calendar", "connect", "--manager", MANAGER, "--kind", "ics-url", "--url", url)


def _connect_caldav(krutt, monkeypatch, url: str, password: str = "secret"):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return krutt(
        "calendar", "connect", "--manager", MANAGER, "--kind", "caldav", "--url", url,
        "--username", "marte", "--password-stdin", "--every", "30",
    )  # fmt: skip


@pytest.mark.parametrize("sample", [OUTLOOK, GOOGLE], ids=["outlook", "google"])
def test_an_ics_url_sync_gives_the_file_imports_report(
    sample_team, calendar_server: CalendarServer, sample
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    expected = _file_report(krutt, sample)
    calendar_server.routes["/published.ics"] = Route(body=sample.read_bytes())
    connected = _connect_ics(krutt, calendar_server.url("/published.ics"))
    assert connected.code == 0, connected.err
    synced = krutt("calendar", "sync", "--all", "--json", "--lang", "en")
    assert synced.code == 0, synced.err
    [report] = synced.json
    assert report["status"] == "synced"
    assert _without(report) == _without(expected)
    assert report["created"] > 0
    batch = ImportBatch.objects.get(pk=report["batch"])
    assert (batch.kind, batch.channel) == ("calendar", "sync")


def test_an_unchanged_published_calendar_writes_nothing(
    sample_team, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/published.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/published.ics")).code == 0
    connection = CalendarConnection.objects.get()
    assert krutt("calendar", "sync", "--id", connection.pk).code == 0
    entries, batches = TimeEntry.objects.count(), ImportBatch.objects.count()
    again = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert again.code == 0
    assert (again.json["status"], again.json["connection"]) == ("unchanged", connection.pk)
    assert (TimeEntry.objects.count(), ImportBatch.objects.count()) == (entries, batches)
    assert calendar_server.requests[-1][1]["If-None-Match"]


def test_a_caldav_sync_gives_the_file_imports_report_then_only_changes(
    sample_team, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    expected = _file_report(krutt, GOOGLE)
    url = radicale.make_calendar("marte", "sales")
    objects = split_events(GOOGLE.read_bytes())
    for name, ics in objects:
        radicale.put("marte", "sales", name, ics)
    announce(krutt)
    connected = _connect_caldav(krutt, monkeypatch, url)
    assert connected.code == 0, connected.err
    first = krutt("calendar", "sync", "--all", "--json", "--lang", "en")
    assert first.code == 0, first.err
    [report] = first.json
    assert _without(report) == _without(expected)
    connection = CalendarConnection.objects.get()
    assert CalendarObject.objects.filter(connection=connection).count() == len(objects)
    assert connection.cursor["sync_token"]

    # The server changes: one event is deleted; nothing else.
    radicale.delete("marte", "sales", objects[0][0])
    later = krutt("calendar", "sync", "--id", connection.pk, "--json", "--lang", "en")
    assert later.code == 0, later.err
    assert later.json["status"] == "synced"
    assert CalendarObject.objects.filter(connection=connection).count() == len(objects) - 1
    gone = later.json["removed"] + later.json["busy"]["removed"]
    assert gone >= 1
    assert later.json["created"] == 0

    again = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert (again.code, again.json["status"]) == (0, "unchanged")


def _unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


def test_a_later_caldav_sync_imports_only_the_changed_events_and_keeps_the_rest(
    sample_team, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    announce(krutt)
    url = radicale.make_calendar("marte", "sales")
    objects = split_events(OUTLOOK.read_bytes())
    for name, ics in objects:
        radicale.put("marte", "sales", name, ics)
    assert _connect_caldav(krutt, monkeypatch, url).code == 0
    connection = CalendarConnection.objects.get()
    first = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert first.code == 0, first.err
    entries = {e.external_key: e.minutes for e in TimeEntry.objects.all()}
    # One weekly series changes on the server: each meeting ends an hour later.
    uids = {key.rpartition("|")[0] for key in entries}
    name, ics = next(
        (n, i) for n, i in objects if any(f"UID:{u}\r\n" in _unfolded(i) for u in uids)
    )
    text = ics.decode()
    start = text.index("DTEND")
    line = text[start : text.index("\r\n", start)]
    stamp = line.rpartition(":")[2]
    later_end = stamp[:9] + f"{int(stamp[9:11]) + 1:02d}" + stamp[11:]
    radicale.put(
        "marte", "sales", name, text.replace(line, line.replace(stamp, later_end)).encode()
    )
    later = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert later.code == 0, later.err
    assert (later.json["events"], later.json["unchanged"]) == (1, 0)  # only the changed one
    assert (later.json["created"], later.json["removed"]) == (0, 0)
    now = {e.external_key: e.minutes for e in TimeEntry.objects.all()}
    assert set(now) == set(entries)  # every entry is still there
    moved = {k for k in now if now[k] != entries[k]}
    assert len(moved) == later.json["updated"] > 0
    assert len({k.rpartition("|")[0] for k in moved}) == 1  # all of that one series
    assert all(now[k] == entries[k] + 60 for k in moved)


def test_an_emptied_caldav_calendar_syncs_to_zero_events(
    sample_team, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    announce(krutt)
    url = radicale.make_calendar("marte", "sales")
    objects = split_events(GOOGLE.read_bytes())
    for name, ics in objects:
        radicale.put("marte", "sales", name, ics)
    assert _connect_caldav(krutt, monkeypatch, url).code == 0
    connection = CalendarConnection.objects.get()
    first = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert first.code == 0, first.err
    written = TimeEntry.objects.filter(calendar=f"connection:{connection.pk}").count()
    busy = BusyBlock.objects.filter(calendar=f"connection:{connection.pk}").count()
    assert (written, busy) == (first.json["created"], first.json["busy"]["created"])
    assert written > 0
    logged = krutt(
        "log", "--manager", MANAGER, "--seller", "kari.nordmann@nordlys.example",
        "--minutes", "30", "--activity", "coaching", "--at", "2026-11-02T09:00",
    )  # fmt: skip
    assert logged.code == 0, logged.err

    # Every event is deleted on the server: the calendar is empty, not broken.
    for name, _ics in objects:
        radicale.delete("marte", "sales", name)
    emptied = krutt("calendar", "sync", "--id", connection.pk, "--json", "--lang", "en")
    assert emptied.code == 0, emptied.err
    assert emptied.json["status"] == "synced"
    assert (emptied.json["removed"], emptied.json["busy"]["removed"]) == (written, busy)
    assert emptied.json["created"] == 0
    assert TimeEntry.objects.filter(calendar=f"connection:{connection.pk}").count() == 0
    assert BusyBlock.objects.filter(calendar=f"connection:{connection.pk}").count() == 0
    assert TimeEntry.objects.filter(source="manual").count() == 1  # logged by hand: kept
    assert CalendarObject.objects.filter(connection=connection).count() == 0
    connection.refresh_from_db()
    assert (connection.last_status, connection.last_error) == ("synced", None)
    # The emptying is a batch like any other: undo brings the entries back.
    assert krutt("import", "undo", str(emptied.json["batch"])).code == 0
    assert TimeEntry.objects.filter(calendar=f"connection:{connection.pk}").count() == written

    again = krutt("calendar", "sync", "--id", connection.pk, "--json")
    assert (again.code, again.json["status"]) == (0, "unchanged")


def test_a_wrong_caldav_password_saves_nothing(
    sample_team, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    url = radicale.make_calendar("marte", "sales")
    announce(krutt)
    audit = AuditEvent.objects.count()
    result = _connect_caldav(krutt, monkeypatch, url, password="wrong")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "refused the user name or password" in result.err or "brukernavnet" in result.err
    assert CalendarConnection.objects.count() == 0
    assert AuditEvent.objects.count() == audit


def test_the_password_is_encrypted_at_rest_and_never_audited(
    sample_team, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    url = radicale.make_calendar("marte", "sales")
    announce(krutt)
    assert _connect_caldav(krutt, monkeypatch, url, password="secret").code == 0
    connection = CalendarConnection.objects.get()
    assert "secret" not in connection.secret
    assert secrets.decrypt(connection.secret) == "secret"
    listed = krutt("calendar", "list", "--json")
    assert "secret" not in listed.out
    assert not any("secret" in json.dumps(e.changes) for e in AuditEvent.objects.all())


def test_a_password_argument_is_refused(sample_team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as refused:
        sample_team(
            "calendar", "connect", "--manager", MANAGER, "--kind", "caldav",
            "--url", "http://127.0.0.1:1/", "--username", "u", "--password", "p",
        )  # fmt: skip
    assert refused.value.code == 2
    assert CalendarConnection.objects.count() == 0


def test_the_list_has_the_documented_keys(sample_team, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(sample_team, calendar_server.url("/p.ics")).code == 0
    [row] = sample_team("calendar", "list", "--json").json
    assert set(row) == {
        "id", "manager", "kind", "every_minutes", "last_sync_at", "last_status",
        "last_error", "next_sync_at",
    }  # fmt: skip
    assert (row["manager"], row["kind"], row["every_minutes"]) == (MANAGER, "ics-url", 60)
    assert (row["last_sync_at"], row["last_status"], row["last_error"]) == (None, "new", None)


def test_a_failed_sync_changes_nothing_and_says_why(
    sample_team, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/p.ics")).code == 0
    connection = CalendarConnection.objects.get()
    calendar_server.routes["/p.ics"] = Route(status=500, body=b"oops")
    batches = ImportBatch.objects.count()
    before = timezone.now()
    result = krutt("calendar", "sync", "--id", connection.pk, "--lang", "en")
    assert result.code == 2
    assert result.err == (
        f"krutt: Calendar {connection.pk}: the sync failed: The server 127.0.0.1 answered "
        "with an error (HTTP 500).\n"
    )
    assert (TimeEntry.objects.count(), BusyBlock.objects.count()) == (0, 0)
    assert ImportBatch.objects.count() == batches
    connection.refresh_from_db()
    assert (connection.last_status, connection.failures) == ("failed", 1)
    assert before + timedelta(minutes=5) <= connection.next_sync_at
    assert connection.next_sync_at <= timezone.now() + timedelta(minutes=5)
    [row] = krutt("calendar", "list", "--json", "--lang", "en").json
    assert row["last_error"] == "The server 127.0.0.1 answered with an error (HTTP 500)."
    assert SyncRun.objects.get().status == "failed"


def test_disconnect_removes_the_entries_the_connection_wrote(
    sample_team, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/p.ics")).code == 0
    connection = CalendarConnection.objects.get()
    assert krutt("calendar", "sync", "--id", connection.pk).code == 0
    assert TimeEntry.objects.count() > 0
    result = krutt("calendar", "disconnect", connection.pk)
    assert result.code == 0, result.err
    assert (TimeEntry.objects.count(), BusyBlock.objects.count()) == (0, 0)
    assert CalendarConnection.objects.count() == 0


def test_disconnect_can_keep_the_entries(sample_team, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/p.ics")).code == 0
    connection = CalendarConnection.objects.get()
    assert krutt("calendar", "sync", "--id", connection.pk).code == 0
    entries = TimeEntry.objects.count()
    assert krutt("calendar", "disconnect", connection.pk, "--keep-entries").code == 0
    assert TimeEntry.objects.count() == entries
    assert CalendarConnection.objects.count() == 0


def test_the_worker_once_runs_due_syncs_only(sample_team, calendar_server: CalendarServer) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/p.ics")).code == 0
    first = krutt("worker", "--once", "--lang", "en")
    assert first.code == 0, first.err
    assert "time entries" in first.out
    requests = len(calendar_server.requests)
    second = krutt("worker", "--once")
    assert (second.code, second.out) == (0, "")
    assert len(calendar_server.requests) == requests  # not due: not fetched


def test_a_key_file_that_cannot_be_read_is_one_sentence(sample_team) -> None:  # type: ignore[no-untyped-def]
    result = sample_team(
        "calendar", "connect", "--manager", MANAGER, "--kind", "google",
        "--key-file", "missing.json", "--mailbox", "m@x.example", "--lang", "en",
    )  # fmt: skip
    assert (result.code, result.err) == (2, "krutt: The key file missing.json cannot be read.\n")
    assert CalendarConnection.objects.count() == 0


def test_a_queued_sync_job_is_run_by_the_worker(
    sample_team, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from krutt.web.connections.tasks import sync_connection

    krutt = sample_team
    calendar_server.routes["/p.ics"] = Route(body=OUTLOOK.read_bytes())
    assert _connect_ics(krutt, calendar_server.url("/p.ics")).code == 0
    connection = CalendarConnection.objects.get()
    # Not due on its schedule: only the job makes it sync.
    CalendarConnection.objects.update(next_sync_at=timezone.now() + timedelta(hours=1))
    sync_connection.enqueue(connection.pk)
    result = krutt("worker", "--once")
    assert result.code == 0, result.err
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value) == ("SUCCESSFUL", "synced")
    assert SyncRun.objects.get().status == "synced"


def test_a_calendar_is_not_connected_for_a_team_not_told_of_the_measurement(
    sample_team, calendar_server: CalendarServer
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    calendar_server.routes["/published.ics"] = Route(body=OUTLOOK.read_bytes())
    refused = krutt(
        "calendar", "connect", "--manager", MANAGER, "--kind", "ics-url",
        "--url", calendar_server.url("/published.ics"), "--lang", "en",
    )  # fmt: skip
    assert refused.code == 2
    assert refused.err.startswith(
        "krutt: A connected calendar cannot be switched on for Salg Øst until the sellers have "
        "been informed"
    )
    assert refused.err.count("\n") == 1
    assert CalendarConnection.objects.count() == 0
    assert calendar_server.requests == []
    # A file import still works; its summary carries the warning.
    imported = krutt("import", "calendar", OUTLOOK, "--manager", MANAGER, "--lang", "en")
    assert imported.code == 0, imported.err
    assert (
        "Calendar measurement for Salg Øst has not been announced to the sellers "
        "(Working Environment Act § 9-2)" in imported.out
    )
