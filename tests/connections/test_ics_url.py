"""`ics-url`: conditional GET and a content hash; unchanged gives nothing."""

from __future__ import annotations

import pytest

from krutt.connections import ics_url
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy, SafeHttp
from tests.conftest import DATA
from tests.connections.servers import CalendarServer, Route

OUTLOOK = (DATA / "calendars" / "outlook-export.ics").read_bytes()
HTTP = SafeHttp(policy=NetworkPolicy(allow_loopback=True))


def test_the_first_fetch_gives_the_calendar_and_a_cursor(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/cal.ics"] = Route(body=OUTLOOK)
    feed = ics_url.fetch_ics_url(url=calendar_server.url("/cal.ics"), cursor={}, http=HTTP)
    assert feed.changed[0].data == OUTLOOK and feed.full
    assert set(feed.cursor) == {"sha256", "etag"}


def test_an_unchanged_calendar_is_a_304_and_gives_nothing(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/cal.ics"] = Route(body=OUTLOOK)
    first = ics_url.fetch_ics_url(url=calendar_server.url("/cal.ics"), cursor={}, http=HTTP)
    again = ics_url.fetch_ics_url(
        url=calendar_server.url("/cal.ics"), cursor=first.cursor, http=HTTP
    )
    assert again.empty
    assert again.cursor == first.cursor
    assert calendar_server.requests[1][1]["If-None-Match"] == first.cursor["etag"]


def test_a_server_without_etags_is_caught_by_the_hash(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/cal.ics"] = Route(body=OUTLOOK, etag=False)
    first = ics_url.fetch_ics_url(url=calendar_server.url("/cal.ics"), cursor={}, http=HTTP)
    again = ics_url.fetch_ics_url(
        url=calendar_server.url("/cal.ics"), cursor=first.cursor, http=HTTP
    )
    assert (first.changed[0].data, again.empty) == (OUTLOOK, True)
    assert "If-None-Match" not in calendar_server.requests[1][1]


def test_a_changed_calendar_is_given_again(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/cal.ics"] = Route(body=OUTLOOK)
    first = ics_url.fetch_ics_url(url=calendar_server.url("/cal.ics"), cursor={}, http=HTTP)
    changed = OUTLOOK.replace(b"END:VCALENDAR", b"X-CHANGED:1\r\nEND:VCALENDAR")
    calendar_server.routes["/cal.ics"] = Route(body=changed)
    again = ics_url.fetch_ics_url(
        url=calendar_server.url("/cal.ics"), cursor=first.cursor, http=HTTP
    )
    assert again.changed[0].data == changed
    assert again.cursor["sha256"] != first.cursor["sha256"]


def test_a_page_that_is_not_a_calendar_is_refused(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/login"] = Route(body=b"<html>Sign in</html>", content_type="text/html")
    with pytest.raises(ConnectionFailed) as failed:
        ics_url.fetch_ics_url(url=calendar_server.url("/login"), cursor={}, http=HTTP)
    assert failed.value.message.text == ics_url.NOT_A_CALENDAR


def test_webcal_addresses_are_https() -> None:
    assert ics_url._webcal("webcal://p.example.com/a.ics") == "https://p.example.com/a.ics"
