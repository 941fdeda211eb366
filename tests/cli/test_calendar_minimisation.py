"""From a calendar krutt keeps start, duration, sellers, activity and the event's identity.

Never the subject, description, location or other attendees: a calendar whose events
carry a marker in each of those is imported from a file, published as an ics-url and
held on a real CalDAV server; after the import and both syncs the marker is nowhere in
the database, and the import still counts the same meetings.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from krutt.web.connections.models import CalendarObject
from krutt.web.timelog.models import TimeEntry
from tests.cli.test_calendar_connections import GOOGLE, MANAGER, OUTLOOK, announce
from tests.cli.test_privacy import _found
from tests.connections.servers import CalendarServer, Radicale, Route, split_events

pytestmark = pytest.mark.django_db(transaction=True)

MARKERS = ["MRKSUBJ", "MRKDESC", "MRKLOC", "MRKGUEST", "mrkguest@elsewhere.example", "MRKNOTE"]


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


def _marked(ics: bytes) -> bytes:
    """The calendar with a marker in every subject, description, location and guest list."""
    text = ics.decode("utf-8")
    # Folded lines first, so a marker is never split across a fold.
    text = re.sub(r"\r?\n[ \t]", "", text)
    text = re.sub(r"(?m)^(SUMMARY[^:\r\n]*:)([^\r\n]*)", r"\1\2 MRKSUBJ", text)
    text = re.sub(r"(?m)^(DESCRIPTION|LOCATION|COMMENT)[^:\r\n]*:.*\r?\n", "", text)
    extra = (
        "DESCRIPTION:Agenda MRKDESC\\, with a private word\r\n"
        "LOCATION:Meeting room MRKLOC\r\n"
        "COMMENT:MRKNOTE\r\n"
    )
    text = re.sub(r"(?m)^BEGIN:VEVENT\r?\n", lambda m: m.group(0) + extra, text)
    guest = "ATTENDEE;CN=MRKGUEST Outsider;PARTSTAT=ACCEPTED:mailto:mrkguest@elsewhere.example\r\n"
    # Only where the event already names attendees, so the sellers it finds stay the same.
    text = re.sub(r"(?m)^(ATTENDEE[^\r\n]*\r?\n)(?!ATTENDEE)", lambda m: m.group(1) + guest, text)
    return text.encode("utf-8")


def test_no_subject_description_location_or_guest_of_an_event_is_stored(
    sample_team, tmp_path, calendar_server: CalendarServer, radicale: Radicale, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    krutt = sample_team
    announce(krutt)
    outlook = tmp_path / "outlook.ics"
    outlook.write_bytes(_marked(OUTLOOK.read_bytes()))
    assert b"MRKDESC" in outlook.read_bytes()
    plain = krutt("import", "calendar", OUTLOOK, "--manager", MANAGER, "--json", "--dry-run")

    imported = krutt("import", "calendar", outlook, "--manager", MANAGER, "--json")

    assert imported.code == 0, imported.err
    assert imported.json["created"] == plain.json["created"] > 0, json.dumps(imported.json)[:2500]
    # The same calendar, published as an address and kept on a CalDAV server.
    google = _marked(GOOGLE.read_bytes())
    assert b"mrkguest@elsewhere.example" in google
    calendar_server.routes["/published.ics"] = Route(body=google)
    assert krutt(
        "calendar", "connect", "--manager", MANAGER, "--kind", "ics-url",
        "--url", calendar_server.url("/published.ics"),
    ).code == 0  # fmt: skip
    url = radicale.make_calendar("marte", "sales")
    for name, ics in split_events(google):
        radicale.put("marte", "sales", name, ics)
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    connected = krutt(
        "calendar", "connect", "--manager", MANAGER, "--kind", "caldav", "--url", url,
        "--username", "marte", "--password-stdin",
    )  # fmt: skip
    assert connected.code == 0, connected.err

    synced = krutt("calendar", "sync", "--all", "--json")

    assert synced.code == 0, synced.err
    assert [r["status"] for r in synced.json] == ["synced", "synced"]
    assert CalendarObject.objects.count() == len(split_events(google))
    assert TimeEntry.objects.filter(source="calendar").count() > 0
    assert sorted(set(_found(MARKERS))) == []
