"""HubSpot deals against a local server that answers as CRM v3 does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from krutt.connections.crm_http import REFUSED, CrmClient
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import BUSY, NetworkPolicy, SafeHttp
from krutt.connections.hubspot import fetch_hubspot, hubspot_client
from tests.connections.crm_servers import HubSpotServer

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def server() -> Iterator[HubSpotServer]:
    running = HubSpotServer()
    yield running
    running.stop()


class Sleeps(list[float]):
    """A clock that moves only when slept on, and remembers each sleep."""

    now = 0.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def client(
    server: HubSpotServer, *, token: str = "pat-na1-test", sleeps: Sleeps | None = None
) -> CrmClient:
    clock = sleeps if sleeps is not None else Sleeps()
    return hubspot_client(
        SafeHttp(policy=NetworkPolicy(allow_loopback=True)),
        token=token,
        base=server.base,
        sleep=clock,
        monotonic=clock.monotonic,
    )


def test_a_full_read_lists_every_deal_with_owner_stage_and_exact_amount(
    server: HubSpotServer,
) -> None:
    fetched = fetch_hubspot(client=client(server), since=None, zone=OSLO)

    assert fetched.complete
    assert len(fetched.deals) == 342
    first = next(d for d in fetched.deals if d.deal_id == "21874300037")
    assert (first.name, first.owner, first.owner_email) == (
        "Lisens 1",
        "Kari Nordmann",
        "kari.nordmann@nordlys.example",
    )
    assert (first.amount, first.stage, first.won, first.closed) == (
        Decimal("1700"),
        "Closed won",
        True,
        True,
    )
    assert str(first.closed_on) == "2026-01-26"
    assert sum(d.won is True for d in fetched.deals) == 224
    assert sum(d.closed is True and not d.won for d in fetched.deals) == 75
    # 342 deals at 100 a page; owners twice (active, archived); the pipelines once.
    paths = [r.path for r in server.requests]
    assert paths.count("/crm/v3/objects/deals") == 4
    assert fetched.watermark == max(d.modified_at for d in fetched.deals)


def test_an_incremental_read_searches_from_the_window_and_lists_archived_deals(
    server: HubSpotServer,
) -> None:
    full = fetch_hubspot(client=client(server), since=None, zone=OSLO)
    server.change("21874300037", amount="1800")
    server.change("21874300074", dealstage="closedlost", hs_is_closed_won="false")
    server.archive("21874300111")
    assert full.watermark is not None

    delta = fetch_hubspot(
        client=client(server), since=full.watermark + timedelta(minutes=1), zone=OSLO
    )

    assert not delta.complete
    assert {d.deal_id: (d.amount, d.won) for d in delta.deals} == {
        "21874300037": (Decimal("1800"), True),
        "21874300074": (Decimal("3100"), False),
    }
    assert delta.deleted == ["21874300111"]
    assert delta.watermark == server.now
    search = next(r for r in server.requests if r.path.endswith("/search"))
    assert search.body["sorts"] == [
        {"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}
    ]


def test_a_window_larger_than_the_search_cap_moves_forward_instead_of_paging_past_it() -> None:
    server = HubSpotServer(search_limit=150)
    try:
        since = server.now
        for deal_id in list(server.deals)[:260]:
            server.change(deal_id, amount="10")

        delta = fetch_hubspot(client=client(server), since=since, zone=OSLO, search_limit=150)
    finally:
        server.stop()

    assert {d.deal_id for d in delta.deals} == set(list(server.deals)[:260])
    searches = [r for r in server.requests if r.path.endswith("/search")]
    assert all(int(r.body.get("after") or 0) + 100 <= 150 for r in searches)
    assert len({r.body["filterGroups"][0]["filters"][0]["value"] for r in searches}) == 3


def test_requests_are_paced_to_four_a_second(server: HubSpotServer) -> None:
    sleeps = Sleeps()

    fetch_hubspot(client=client(server, sleeps=sleeps), since=None, zone=OSLO)

    assert sleeps == [0.25] * (len(server.requests) - 1)


def test_a_short_retry_after_is_waited_out(server: HubSpotServer) -> None:
    sleeps = Sleeps()
    server.busy = [2]

    fetched = fetch_hubspot(client=client(server, sleeps=sleeps), since=None, zone=OSLO)

    assert len(fetched.deals) == 342
    assert 2.0 in sleeps


def test_a_long_retry_after_fails_the_read_with_the_wait_the_server_asked(
    server: HubSpotServer,
) -> None:
    server.busy = [600]

    with pytest.raises(ConnectionFailed) as failed:
        fetch_hubspot(client=client(server), since=None, zone=OSLO)

    assert (failed.value.message.text, failed.value.retry_after) == (BUSY, 600)


def test_a_wrong_token_is_one_sentence(server: HubSpotServer) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        fetch_hubspot(client=client(server, token="wrong"), since=None, zone=OSLO)

    assert failed.value.message.text == REFUSED
    assert failed.value.message.params == {"status": 401}
