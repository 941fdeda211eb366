"""`caldav` against a real Radicale server: sync tokens, changes, deletions, bad tokens."""

from __future__ import annotations

import pytest

from krutt.connections import http as h
from krutt.connections.caldav_sync import fetch_caldav
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy
from tests.connections.servers import Radicale

LOOPBACK = NetworkPolicy(allow_loopback=True)


def event(uid: str, summary: str, day: int = 3) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T080000Z\r\nDTSTART:202612{day:02d}T090000Z\r\n"
        f"DTEND:202612{day:02d}T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def sync(url: str, cursor: dict[str, object], password: str = "secret"):  # type: ignore[no-untyped-def]
    return fetch_caldav(
        url=url,
        username="marte",
        password=password,
        calendar_name=None,
        cursor=cursor,
        policy=LOOPBACK,
    )


def test_the_first_sync_reads_every_event_and_keeps_a_token(radicale: Radicale) -> None:
    url = radicale.make_calendar("marte", "sales")
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola"))
    radicale.put("marte", "sales", "b", event("b@x", "1:1 Kari"))
    found = sync(url, {})
    assert found.full is True
    assert sorted(r.href for r in found.changed) == ["/marte/sales/a.ics", "/marte/sales/b.ics"]
    assert all(b"BEGIN:VEVENT" in r.data and r.etag for r in found.changed)
    assert found.deleted == []
    assert found.cursor["sync_token"]
    assert found.cursor["calendar_url"].rstrip("/") == url.rstrip("/")


def test_a_later_sync_gives_only_what_changed_and_what_was_deleted(radicale: Radicale) -> None:
    url = radicale.make_calendar("marte", "sales")
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola"))
    radicale.put("marte", "sales", "b", event("b@x", "1:1 Kari"))
    radicale.put("marte", "sales", "c", event("c@x", "Pipeline"))
    first = sync(url, {})
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola moved", day=4))
    radicale.delete("marte", "sales", "b")
    radicale.put("marte", "sales", "d", event("d@x", "New"))
    later = sync(url, first.cursor)
    assert later.full is False
    assert sorted(r.href for r in later.changed) == ["/marte/sales/a.ics", "/marte/sales/d.ics"]
    assert b"moved" in next(r.data for r in later.changed if r.href.endswith("a.ics"))
    assert later.deleted == ["/marte/sales/b.ics"]
    assert later.cursor["sync_token"] != first.cursor["sync_token"]


def test_nothing_changed_gives_nothing(radicale: Radicale) -> None:
    url = radicale.make_calendar("marte", "sales")
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola"))
    first = sync(url, {})
    again = sync(url, first.cursor)
    assert (again.full, again.changed, again.deleted) == (False, [], [])


def test_a_token_the_server_does_not_know_means_a_full_read(radicale: Radicale) -> None:
    url = radicale.make_calendar("marte", "sales")
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola"))
    first = sync(url, {})
    stale = {**first.cursor, "sync_token": "http://radicale.org/ns/sync/0000000000bogus"}
    again = sync(url, stale)
    assert again.full is True
    assert [r.href for r in again.changed] == ["/marte/sales/a.ics"]


def test_a_wrong_password_is_one_sentence(radicale: Radicale) -> None:
    url = radicale.make_calendar("marte", "sales")
    with pytest.raises(ConnectionFailed) as failed:
        sync(url, {}, password="wrong")
    assert failed.value.message.text == h.REFUSED


def test_caldav_refuses_private_addresses_in_production() -> None:
    with pytest.raises(ConnectionFailed) as failed:
        fetch_caldav(
            url="http://127.0.0.1:5232/marte/sales/", username="m", password="p",
            calendar_name=None, cursor={}, policy=NetworkPolicy(),
        )  # fmt: skip
    assert failed.value.message.text == h.PRIVATE


def test_the_servers_authentication_scheme_is_kept_and_a_stale_one_is_asked_again(
    radicale: Radicale,
) -> None:
    url = radicale.make_calendar("marte", "sales")
    radicale.put("marte", "sales", "a", event("a@x", "Coaching Ola"))
    first = sync(url, {})
    assert first.cursor["auth_type"] == "basic"  # later syncs skip the 401 challenge
    stale = {**first.cursor, "auth_type": "digest"}  # the server changed its scheme
    again = sync(url, stale)
    assert (again.full, again.changed, again.cursor["auth_type"]) == (False, [], "basic")
