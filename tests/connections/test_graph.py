"""Microsoft Graph `calendarView/delta` against a local server that pages as Graph documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from krutt.connections import graph as g
from krutt.connections import http as h
from krutt.connections.errors import ConnectionFailed
from krutt.connections.graph import fetch_microsoft365
from krutt.connections.http import NetworkPolicy, SafeHttp
from krutt.connections.records import Fetch
from tests.conftest import MAILBOX
from tests.connections.servers import GraphServer, graph_event

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KARI = ("Kari Nordmann", "kari.nordmann@nordlys.example")


def sync(server: GraphServer, cursor: dict[str, object], *, secret: str = "s3cret",
         now: datetime = NOW, sleeps: list[float] | None = None) -> Fetch:  # fmt: skip
    with SafeHttp(policy=NetworkPolicy(allow_loopback=True)) as http:
        return fetch_microsoft365(
            tenant="nordlys", client_id="krutt-app", client_secret=secret, mailbox=MAILBOX,
            owner=MAILBOX, cursor=cursor, http=http, now=now, graph_url=server.base,
            login_url=server.base, sleep=(sleeps if sleeps is not None else []).append,
        )  # fmt: skip


def _seed(server: GraphServer, count: int) -> None:
    for n in range(count):
        day = 16 + n % 5
        server.put(
            graph_event(f"AAMk{n}", f"2026-11-{day}T{8 + n // 5:02d}:00:00",
                        f"2026-11-{day}T{9 + n // 5:02d}:00:00", f"Coaching {n}", [KARI])
        )  # fmt: skip


def test_the_first_sync_follows_every_next_link_and_keeps_the_delta_link(
    graph_server: GraphServer,
) -> None:
    _seed(graph_server, 7)
    found = sync(graph_server, {})
    assert found.full is True
    assert sorted(r.href for r in found.changed) == [f"AAMk{n}" for n in range(7)]
    pages = [p for m, p, _ in graph_server.requests if "calendarView/delta" in p]
    assert len(pages) == 3  # 3 + 3 + 1 events
    assert "startDateTime=2026-05-22T12" in pages[0] and "endDateTime=2027-02-12T12" in pages[0]
    assert "$skiptoken" in pages[1] and "$skiptoken" in pages[2]
    assert "$deltatoken" in found.cursor["delta_link"]
    headers = graph_server.requests[1][2]
    assert headers["authorization"].startswith("Bearer graph-")
    assert 'outlook.timezone="UTC"' in headers["prefer"]


def test_an_event_becomes_the_ics_the_import_reads(graph_server: GraphServer) -> None:
    graph_server.put(
        graph_event("AAMk1", "2026-11-16T08:00:00", "2026-11-16T09:00:00", "1:1 Kari; plan, Q4",
                    [KARI], sensitivity="private", showAs="free",
                    responseStatus={"response": "declined"})
    )  # fmt: skip
    [resource] = sync(graph_server, {}).changed
    text = resource.data.decode()
    assert "DTSTART:20261116T080000Z\r\nDTEND:20261116T090000Z" in text
    assert "SUMMARY:1:1 Kari\\; plan\\, Q4" in text
    assert "CLASS:PRIVATE" in text and "TRANSP:TRANSPARENT" in text
    assert f"ATTENDEE;PARTSTAT=DECLINED:mailto:{MAILBOX}" in text
    assert 'ATTENDEE;CN="Kari Nordmann";PARTSTAT=ACCEPTED:mailto:kari.nordmann@' in text
    assert resource.etag.startswith("AAMk1-")


def test_a_later_sync_gives_what_changed_and_what_was_removed(graph_server: GraphServer) -> None:
    _seed(graph_server, 4)
    first = sync(graph_server, {})
    graph_server.put(graph_event("AAMk1", "2026-11-17T10:00:00", "2026-11-17T11:00:00", "Moved"))
    graph_server.delete("AAMk2")
    graph_server.put(graph_event("AAMk9", "2026-11-18T10:00:00", "2026-11-18T11:00:00", "New"))
    later = sync(graph_server, first.cursor)
    assert later.full is False
    assert sorted(r.href for r in later.changed) == ["AAMk1", "AAMk9"]
    assert b"SUMMARY:Moved" in next(r.data for r in later.changed if r.href == "AAMk1")
    assert later.deleted == ["AAMk2"]
    assert later.cursor["delta_link"] != first.cursor["delta_link"]
    again = sync(graph_server, later.cursor)
    assert (again.full, again.changed, again.deleted) == (False, [], [])


def test_an_expired_delta_link_is_a_full_read(graph_server: GraphServer) -> None:
    _seed(graph_server, 2)
    first = sync(graph_server, {})
    graph_server.expire_delta_links()
    again = sync(graph_server, first.cursor)
    assert again.full is True
    assert sorted(r.href for r in again.changed) == ["AAMk0", "AAMk1"]
    statuses = [p for _m, p, _h in graph_server.requests if "$deltatoken" in p]
    assert len(statuses) == 1  # the 410 once, then the window again


def test_a_window_about_to_end_is_read_again_over_a_fresh_window(graph_server: GraphServer) -> None:
    _seed(graph_server, 2)
    first = sync(graph_server, {})
    later = sync(graph_server, first.cursor, now=NOW + timedelta(weeks=9))
    assert later.full is True
    assert later.cursor["window_end"] > first.cursor["window_end"]


def test_429_is_waited_out_as_retry_after_says(graph_server: GraphServer) -> None:
    _seed(graph_server, 1)
    graph_server.queued.append((429, {"Retry-After": "2"}, b'{"error":{"code":"TooManyRequests"}}'))
    sleeps: list[float] = []
    found = sync(graph_server, {}, sleeps=sleeps)
    assert [r.href for r in found.changed] == ["AAMk0"]
    assert sleeps == [2]


def test_a_long_retry_after_ends_the_sync_and_is_left_to_the_schedule(
    graph_server: GraphServer,
) -> None:
    graph_server.queued.append((429, {"Retry-After": "600"}, b"{}"))
    sleeps: list[float] = []
    with pytest.raises(ConnectionFailed) as failed:
        sync(graph_server, {}, sleeps=sleeps)
    assert (failed.value.message.text, failed.value.retry_after) == (h.BUSY, 600)
    assert sleeps == []


def test_a_wrong_client_secret_is_one_sentence(graph_server: GraphServer) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        sync(graph_server, {}, secret="wrong")
    assert failed.value.message.text == g.APP_REFUSED
    assert not any("calendarView" in p for _m, p, _h in graph_server.requests)


def test_a_mailbox_the_app_may_not_read_says_which_permission(graph_server: GraphServer) -> None:
    graph_server.forbidden.add(MAILBOX)
    with pytest.raises(ConnectionFailed) as failed:
        sync(graph_server, {})
    assert failed.value.message.text == g.NO_PERMISSION
    assert failed.value.message.params == {"mailbox": MAILBOX}


def test_an_answer_without_a_delta_link_is_refused(graph_server: GraphServer) -> None:
    graph_server.queued += [
        (200, {}, b'{"access_token": "x"}'),
        (200, {}, b'{"value": []}'),
    ]
    with pytest.raises(ConnectionFailed) as failed:
        sync(graph_server, {})
    assert failed.value.message.text == h.MALFORMED
