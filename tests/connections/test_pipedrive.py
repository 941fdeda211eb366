"""Pipedrive deals against a local server that answers as API v2 does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from krutt.connections.crm_http import REFUSED, CrmClient
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import BUSY, NetworkPolicy, SafeHttp
from krutt.connections.pipedrive import fetch_pipedrive, pipedrive_client
from tests.connections.crm_servers import PipedriveServer

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def server() -> Iterator[PipedriveServer]:
    running = PipedriveServer(page_cap=100)
    yield running
    running.stop()


def client(
    server: PipedriveServer, token: str = "pd-test-token", sleeps: list[float] | None = None
) -> CrmClient:
    return pipedrive_client(
        SafeHttp(policy=NetworkPolicy(allow_loopback=True)),
        token=token,
        base=server.base,
        sleep=(sleeps if sleeps is not None else []).append,
    )


def test_a_full_read_follows_the_cursor_through_every_page(server: PipedriveServer) -> None:
    fetched = fetch_pipedrive(client=client(server), since=None, zone=OSLO)

    assert fetched.complete
    assert len(fetched.deals) == 342
    first = next(d for d in fetched.deals if d.deal_id == "1")
    assert (first.name, first.owner, first.amount, first.currency, first.stage) == (
        "Lisens 1",
        "Kari Nordmann",
        Decimal("1700.0"),
        "NOK",
        "Kontrakt",
    )
    assert (first.won, str(first.closed_on), str(first.created_on)) == (
        True,
        "2026-01-26",
        "2025-11-20",
    )
    deal_pages = [r for r in server.requests if r.path == "/api/v2/deals"]
    assert len(deal_pages) == 4  # 342 deals, the server gives 100 a page
    assert [r.query.get("cursor") is None for r in deal_pages] == [True, False, False, False]
    assert all(r.query["limit"] == "500" and "status" not in r.query for r in deal_pages)


def test_an_incremental_read_asks_for_updates_since_the_window_and_reports_deletions(
    server: PipedriveServer,
) -> None:
    full = fetch_pipedrive(client=client(server), since=None, zone=OSLO)
    server.change(1, value=1800)
    server.change(2, status="lost", won_time=None, lost_time="2026-01-20T09:00:00Z")
    server.delete(3)
    assert full.watermark is not None

    delta = fetch_pipedrive(
        client=client(server), since=full.watermark + timedelta(minutes=1), zone=OSLO
    )

    assert {d.deal_id: (d.amount, d.won, d.closed) for d in delta.deals} == {
        "1": (Decimal("1800"), True, True),
        "2": (Decimal("3100.0"), False, True),
    }
    assert delta.deleted == ["3"]
    ask = [r for r in server.requests if r.path == "/api/v2/deals"][-1]
    assert ask.query["status"] == "open,won,lost,deleted"
    assert ask.query["updated_since"].endswith("Z")


def test_a_429_with_a_short_retry_after_is_waited_out(server: PipedriveServer) -> None:
    sleeps: list[float] = []
    server.busy = [1, 1]

    fetched = fetch_pipedrive(client=client(server, sleeps=sleeps), since=None, zone=OSLO)

    assert (len(fetched.deals), sleeps) == (342, [1.0, 1.0])


def test_a_server_that_stays_busy_fails_the_read(server: PipedriveServer) -> None:
    server.busy = [1, 1, 1, 1]

    with pytest.raises(ConnectionFailed) as failed:
        fetch_pipedrive(client=client(server), since=None, zone=OSLO)

    assert failed.value.message.text == BUSY


def test_a_wrong_token_is_refused_in_one_sentence(server: PipedriveServer) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        fetch_pipedrive(client=client(server, token="nope"), since=None, zone=OSLO)

    assert failed.value.message.text == REFUSED
