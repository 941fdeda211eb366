"""The safe HTTP layer: https only, no private networks, bounded size and time."""

from __future__ import annotations

import pytest

from krutt.connections import http as h
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy, SafeHttp, check_url, policy_from_environment
from tests.connections.servers import CalendarServer, Route

LOOPBACK = NetworkPolicy(allow_loopback=True)


def resolver(names: dict[str, str]) -> h.Resolver:
    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        return h.system_resolver(host, port)

    return resolve


def test_plain_http_to_a_public_host_is_refused() -> None:
    with pytest.raises(ConnectionFailed) as refused:
        check_url(
            "http://calendar.example.com/a.ics",
            NetworkPolicy(),
            resolver({"calendar.example.com": "93.184.216.34"}),
        )
    assert refused.value.message.text == h.HTTPS_ONLY


def test_https_to_a_public_host_passes_the_check() -> None:
    check_url(
        "https://calendar.example.com/a.ics",
        NetworkPolicy(),
        resolver({"calendar.example.com": "93.184.216.34"}),
    )


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.5",
        "169.254.169.254",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "fc00::5",
        "::ffff:10.0.0.1",
        "0.0.0.0",  # noqa: S104 (an address refused, never bound)
    ],
)
def test_a_name_resolving_into_a_private_network_is_refused_in_production(address: str) -> None:
    with pytest.raises(ConnectionFailed) as refused:
        check_url(
            "https://calendar.example.com/a.ics",
            NetworkPolicy(),
            resolver({"calendar.example.com": address}),
        )
    assert refused.value.message.text == h.PRIVATE
    assert refused.value.message.params == {"host": "calendar.example.com"}


def test_loopback_is_allowed_only_with_the_environment_switch() -> None:
    assert policy_from_environment({}).allow_loopback is False
    assert policy_from_environment({"KRUTT_ALLOW_LOOPBACK_CONNECTIONS": "1"}).allow_loopback is True
    check_url("http://127.0.0.1:8080/a.ics", LOOPBACK)
    with pytest.raises(ConnectionFailed):
        check_url("http://127.0.0.1:8080/a.ics", NetworkPolicy())


def test_other_schemes_are_refused() -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/a.ics", "gopher://x/", "https:///nohost"):
        with pytest.raises(ConnectionFailed) as refused:
            check_url(url, LOOPBACK)
        assert refused.value.message.text == h.HTTPS_ONLY


def test_a_redirect_into_a_private_network_is_refused_before_it_is_followed(
    calendar_server: CalendarServer,
) -> None:
    calendar_server.routes["/moved"] = Route(
        status=302, headers={"Location": "https://intranet.example.com/secret"}
    )
    http = SafeHttp(policy=LOOPBACK, resolver=resolver({"intranet.example.com": "192.168.7.7"}))
    with pytest.raises(ConnectionFailed) as refused:
        http.request("GET", calendar_server.url("/moved"))
    assert refused.value.message.params == {"host": "intranet.example.com"}
    assert [path for path, _ in calendar_server.requests] == ["/moved"]


def test_a_redirect_on_loopback_is_followed(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    calendar_server.routes["/new"] = Route(body=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    answer = SafeHttp(policy=LOOPBACK).request("GET", calendar_server.url("/old"))
    assert (answer.status, answer.body) == (200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


def test_endless_redirects_stop(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    with pytest.raises(ConnectionFailed) as refused:
        SafeHttp(policy=LOOPBACK).request("GET", calendar_server.url("/loop"))
    assert refused.value.message.text == h.TOO_MANY_REDIRECTS
    assert len(calendar_server.requests) == 6


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (401, h.REFUSED),
        (403, h.REFUSED),
        (404, h.NOT_FOUND),
        (500, h.SERVER_ERROR),
        (503, h.SERVER_ERROR),
        (410, h.GONE),
    ],
)
def test_an_error_status_is_one_sentence(
    calendar_server: CalendarServer, status: int, text: str
) -> None:
    calendar_server.routes["/x"] = Route(status=status, body=b"nope")
    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=LOOPBACK).request("GET", calendar_server.url("/x"))
    assert failed.value.message.text == text
    assert failed.value.resync is (status == 410)


def test_429_carries_retry_after(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/busy"] = Route(status=429, headers={"Retry-After": "17"})
    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=LOOPBACK).request("GET", calendar_server.url("/busy"))
    assert (failed.value.message.text, failed.value.retry_after) == (h.BUSY, 17)


def test_a_slow_server_times_out(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/slow"] = Route(body=b"x", delay=2.0)
    policy = NetworkPolicy(allow_loopback=True, timeout_seconds=0.3)
    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=policy).request("GET", calendar_server.url("/slow"))
    assert failed.value.message.text == h.TIMED_OUT


def test_an_answer_over_the_size_limit_is_refused(calendar_server: CalendarServer) -> None:
    calendar_server.routes["/huge"] = Route(body=b"x" * 300_000)
    policy = NetworkPolicy(allow_loopback=True, max_bytes=100_000)
    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=policy).request("GET", calendar_server.url("/huge"))
    assert failed.value.message.text == h.TOO_LARGE


def test_a_compressed_answer_is_bounded_after_decompression(
    calendar_server: CalendarServer,
) -> None:
    import gzip

    bomb = gzip.compress(b"A" * 2_000_000)
    calendar_server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    policy = NetworkPolicy(allow_loopback=True, max_bytes=1_000_000)
    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=policy).request("GET", calendar_server.url("/bomb"))
    assert failed.value.message.text == h.TOO_LARGE


def test_a_server_that_is_down_is_unreachable() -> None:
    from tests.connections.servers import free_port

    with pytest.raises(ConnectionFailed) as failed:
        SafeHttp(policy=LOOPBACK).request("GET", f"http://127.0.0.1:{free_port()}/a.ics")
    assert failed.value.message.text == h.UNREACHABLE
