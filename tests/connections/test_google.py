"""Google Calendar `events.list` with sync tokens against a local server following its docs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from krutt.connections import google as gc
from krutt.connections import http as h
from krutt.connections.errors import ConnectionFailed
from krutt.connections.google import fetch_google
from krutt.connections.http import NetworkPolicy, SafeHttp
from krutt.connections.records import Fetch
from tests.conftest import MAILBOX
from tests.connections.servers import GoogleServer, google_event

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KARI = ("Kari Nordmann", "kari.nordmann@nordlys.example")
RATE = json.dumps(
    {"error": {"errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded"}],
               "code": 403, "message": "Rate Limit Exceeded"}}
).encode()  # fmt: skip


def sync(server: GoogleServer, cursor: dict[str, object], *, key: str | None = None,
         mailbox: str = MAILBOX, sleeps: list[float] | None = None) -> Fetch:  # fmt: skip
    with SafeHttp(policy=NetworkPolicy(allow_loopback=True)) as http:
        return fetch_google(
            key_file=key or server.key_file(), mailbox=mailbox, owner=MAILBOX, cursor=cursor,
            http=http, now=NOW, calendar_url=server.base, token_url=server.token_url,
            sleep=(sleeps if sleeps is not None else []).append,
        )  # fmt: skip


def _seed(server: GoogleServer, count: int) -> None:
    for n in range(count):
        day = 16 + n % 5
        server.put(
            google_event(f"ev{n}", f"2026-11-{day}T{9 + n // 5:02d}:00:00+01:00",
                         f"2026-11-{day}T{10 + n // 5:02d}:00:00+01:00", f"Coaching {n}", [KARI])
        )  # fmt: skip


def test_the_first_sync_follows_every_page_and_keeps_the_sync_token(
    google_server: GoogleServer,
) -> None:
    _seed(google_server, 7)
    found = sync(google_server, {})
    assert found.full is True
    assert sorted(r.href for r in found.changed) == [f"ev{n}" for n in range(7)]
    lists = [p for _m, p, _h in google_server.requests if p.startswith("/calendar/v3/")]
    assert len(lists) == 3
    assert "timeMin=2026-05-22T12%3A00%3A00%2B00%3A00" in lists[0]
    assert "singleEvents=true" in lists[0] and "pageToken" in lists[1]
    assert found.cursor["sync_token"].startswith("sync")


def test_the_service_account_signs_for_the_mailbox(google_server: GoogleServer) -> None:
    _seed(google_server, 1)
    sync(google_server, {})  # the server checks the RS256 signature, aud, scope and sub
    google_server.delegated.clear()
    with pytest.raises(ConnectionFailed) as failed:
        sync(google_server, {})
    assert failed.value.message.text == gc.DELEGATION_REFUSED


def test_an_event_becomes_the_ics_the_import_reads(google_server: GoogleServer) -> None:
    event = google_event("ev1", "2026-11-16T09:00:00+01:00", "2026-11-16T10:00:00+01:00",
                         "Coaching Kari", [KARI], visibility="private",
                         recurringEventId="series1",
                         originalStartTime={"dateTime": "2026-11-16T09:00:00+01:00"})  # fmt: skip
    event["attendees"][0]["responseStatus"] = "declined"  # type: ignore[index]
    google_server.put(event)
    [resource] = sync(google_server, {}).changed
    text = resource.data.decode()
    assert "UID:ev1\r\n" in text  # the instance's own id: one object, one event
    assert "DTSTART:20261116T080000Z\r\nDTEND:20261116T090000Z" in text
    assert "RECURRENCE-ID" not in text
    assert "CLASS:PRIVATE" in text
    assert f"ATTENDEE;PARTSTAT=DECLINED:mailto:{MAILBOX}" in text


def test_a_later_sync_gives_what_changed_and_what_was_cancelled(
    google_server: GoogleServer,
) -> None:
    _seed(google_server, 4)
    first = sync(google_server, {})
    google_server.put(google_event("ev1", "2026-11-17T11:00:00+01:00",
                                   "2026-11-17T12:00:00+01:00", "Moved"))  # fmt: skip
    google_server.delete("ev2")
    later = sync(google_server, first.cursor)
    assert later.full is False
    assert [r.href for r in later.changed] == ["ev1"]
    assert later.deleted == ["ev2"]
    incremental = [p for _m, p, _h in google_server.requests if "syncToken" in p]
    assert incremental and all("timeMin" not in p for p in incremental)
    again = sync(google_server, later.cursor)
    assert (again.full, again.changed, again.deleted) == (False, [], [])


def test_an_expired_sync_token_is_a_full_read(google_server: GoogleServer) -> None:
    _seed(google_server, 2)
    first = sync(google_server, {})
    google_server.expire_sync_tokens()
    again = sync(google_server, first.cursor)
    assert again.full is True
    assert sorted(r.href for r in again.changed) == ["ev0", "ev1"]


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [(403, {}, RATE), (429, {}, b'{"error": {"code": 429}}')],
    ids=["403-rateLimitExceeded", "429"],
)
def test_a_rate_limit_is_waited_out_with_backoff(
    google_server: GoogleServer, status, headers, body
) -> None:  # type: ignore[no-untyped-def]
    _seed(google_server, 1)
    token = (200, {}, b'{"access_token": "ya29.0"}')
    google_server.tokens.add("ya29.0")
    google_server.queued += [token, (status, headers, body), (status, headers, body)]
    sleeps: list[float] = []
    found = sync(google_server, {}, sleeps=sleeps)
    assert [r.href for r in found.changed] == ["ev0"]
    assert sleeps == [1, 2]


def test_a_403_that_is_not_a_rate_limit_is_a_refusal(google_server: GoogleServer) -> None:
    google_server.tokens.add("ya29.0")
    google_server.queued += [
        (200, {}, b'{"access_token": "ya29.0"}'),
        (403, {}, b'{"error": {"errors": [{"reason": "forbidden"}], "code": 403}}'),
    ]
    with pytest.raises(ConnectionFailed) as failed:
        sync(google_server, {})
    assert failed.value.message.text == gc.NO_PERMISSION


def test_a_file_that_is_not_a_service_account_key_is_one_sentence(
    google_server: GoogleServer,
) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        sync(google_server, {}, key='{"type": "authorized_user", "client_id": "x"}')
    assert failed.value.message.text == gc.NOT_A_KEY
    assert google_server.requests == []


def test_a_page_without_a_sync_token_is_refused(google_server: GoogleServer) -> None:
    google_server.tokens.add("ya29.0")
    google_server.queued += [(200, {}, b'{"access_token": "ya29.0"}'), (200, {}, b'{"items": []}')]
    with pytest.raises(ConnectionFailed) as failed:
        sync(google_server, {})
    assert failed.value.message.text == h.MALFORMED
