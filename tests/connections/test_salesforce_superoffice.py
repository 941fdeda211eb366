"""Salesforce (SOQL, nextRecordsUrl, queryAll) and SuperOffice (OData Sale search) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from krutt.connections.crm_http import REFUSED
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy, SafeHttp
from krutt.connections.salesforce import fetch_salesforce, salesforce_client
from krutt.connections.superoffice import fetch_superoffice, superoffice_client
from tests.connections.crm_servers import SalesforceServer, SuperOfficeServer

OSLO = ZoneInfo("Europe/Oslo")


def http() -> SafeHttp:
    return SafeHttp(policy=NetworkPolicy(allow_loopback=True))


@pytest.fixture
def salesforce() -> Iterator[SalesforceServer]:
    server = SalesforceServer()
    yield server
    server.stop()


@pytest.fixture
def superoffice() -> Iterator[SuperOfficeServer]:
    server = SuperOfficeServer(page_cap=100)
    yield server
    server.stop()


def sf(server: SalesforceServer, secret: str = "sf-secret"):  # type: ignore[no-untyped-def]
    return salesforce_client(
        http(), client_id="3MVG9-krutt", client_secret=secret, base=server.base
    )


def test_salesforce_reads_every_opportunity_following_next_records_url(salesforce) -> None:  # type: ignore[no-untyped-def]
    fetched = fetch_salesforce(client=sf(salesforce), since=None, zone=OSLO)

    assert fetched.complete
    assert len(fetched.deals) == 342
    first = next(d for d in fetched.deals if d.deal_id == "00621874300037")
    assert (first.owner, first.owner_email, first.amount, first.won, str(first.closed_on)) == (
        "Kari Nordmann",
        "kari.nordmann@nordlys.example",
        Decimal("1700.0"),
        True,
        "2026-01-26",
    )
    assert first.account == "Fjordfisk AS"
    paths = [r.path for r in salesforce.requests]
    assert paths[0] == "/services/oauth2/token"
    assert paths[1] == "/services/data/v62.0/query"
    assert sum(p.startswith("/services/data/v62.0/query/") for p in paths) == 1  # 342 at 200 a page


def test_salesforce_reads_changes_and_deletions_with_query_all(salesforce) -> None:  # type: ignore[no-untyped-def]
    full = fetch_salesforce(client=sf(salesforce), since=None, zone=OSLO)
    salesforce.change("00621874300037", Amount=1800.0)
    salesforce.delete("00621874300074")
    assert full.watermark is not None

    delta = fetch_salesforce(
        client=sf(salesforce), since=full.watermark + timedelta(minutes=1), zone=OSLO
    )

    assert [(d.deal_id, d.amount) for d in delta.deals] == [("00621874300037", Decimal("1800.0"))]
    assert delta.deleted == ["00621874300074"]
    query = salesforce.requests[-1]
    assert query.path == "/services/data/v62.0/queryAll"
    assert "WHERE SystemModstamp >= " in query.query["q"]


def test_a_wrong_salesforce_secret_is_refused_in_one_sentence(salesforce) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectionFailed) as failed:
        sf(salesforce, secret="wrong")

    assert (failed.value.message.text, failed.value.message.params) == (REFUSED, {"status": 400})


def so(server: SuperOfficeServer, ticket: str = "7T:so-ticket"):  # type: ignore[no-untyped-def]
    return superoffice_client(http(), ticket=ticket, base=server.base)


def test_superoffice_reads_every_sale_page_by_page(superoffice) -> None:  # type: ignore[no-untyped-def]
    fetched = fetch_superoffice(client=so(superoffice), since=None, zone=OSLO)

    assert fetched.complete
    assert len(fetched.deals) == 342
    first = fetched.deals[0]
    assert (first.name, first.owner, first.amount, first.won, str(first.closed_on)) == (
        "Lisens 1",
        "Kari Nordmann",
        Decimal("1700.0"),
        True,
        "2026-01-26",
    )
    assert sum(d.won for d in fetched.deals) == 224
    assert sum(bool(d.closed and not d.won) for d in fetched.deals) == 75
    # Asked for 500, the server gives 100 a page: four pages and the empty one that ends it.
    assert [r.query.get("$skip") for r in superoffice.requests] == [
        None,
        "100",
        "200",
        "300",
        "342",
    ]


def test_superoffice_reads_only_sales_updated_in_the_window(superoffice) -> None:  # type: ignore[no-untyped-def]
    full = fetch_superoffice(client=so(superoffice), since=None, zone=OSLO)
    superoffice.change(5000, amount=1800.0, status=3)
    assert full.watermark is not None

    delta = fetch_superoffice(
        client=so(superoffice), since=full.watermark + timedelta(minutes=1), zone=OSLO
    )

    assert [(d.deal_id, d.amount, d.won, d.closed) for d in delta.deals] == [
        ("5000", Decimal("1800.0"), False, True)
    ]
    assert delta.deleted == []
    assert superoffice.requests[-1].query["$filter"].startswith("updated ge '")


def test_a_wrong_superoffice_ticket_is_refused(superoffice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectionFailed) as failed:
        fetch_superoffice(client=so(superoffice, ticket="nope"), since=None, zone=OSLO)

    assert failed.value.message.text == REFUSED
