"""The CRM page (director and admin): connect and test, sync now, owners to match, disconnect."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from krutt.web.accounts.models import Organisation
from krutt.web.audit.models import AuditEvent
from krutt.web.connections import secrets
from krutt.web.crm.models import CrmConnection
from krutt.web.sellers.models import SellerAlias
from tests.connections.crm_servers import HubSpotServer


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


@pytest.fixture
def hubspot() -> Iterator[HubSpotServer]:
    server = HubSpotServer()
    yield server
    server.stop()


def _post(client, server: HubSpotServer, action: str, secret: str = "pat-na1-test"):  # type: ignore[no-untyped-def]
    data = {
        "kind": "hubspot",
        "url": server.base,
        "secret": secret,
        "every": "360",
        "won": "Signert",
        "lost": "",
        "action": action,
    }
    return client.post(reverse("crm_connections"), data, follow=True)


def _saved(world, server: HubSpotServer, **values) -> CrmConnection:  # type: ignore[no-untyped-def]
    return CrmConnection.objects.create(
        organisation=world.organisation,
        kind="hubspot",
        settings={"url": server.base},
        secret=secrets.encrypt("pat-na1-test"),
        **values,
    )


@pytest.mark.parametrize("who", ["director_a", "admin"])
def test_a_director_or_admin_connects_the_crm_and_its_first_sync_is_queued(
    world, client, hubspot: HubSpotServer, who: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(getattr(world, who))

    page = _post(client, hubspot, "connect")

    assert page.status_code == 200
    connection = CrmConnection.objects.get()
    assert (connection.kind, connection.settings["won"]) == ("hubspot", ["Signert"])
    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["args"] == [connection.pk]
    assert "pat-na1-test" not in page.content.decode()
    assert not any("pat-na1" in str(e.changes) for e in AuditEvent.objects.all())


def test_test_asks_the_crm_and_saves_nothing(world, client, hubspot: HubSpotServer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.director_a)

    page = _post(client, hubspot, "test")

    assert CrmConnection.objects.count() == 0
    assert hubspot.requests[-1].path == "/crm/v3/objects/deals"
    assert "The CRM answered" in page.content.decode() or "CRM-et svarte" in page.content.decode()


def test_a_wrong_token_is_one_sentence_on_the_form_and_saves_nothing(
    world, client, hubspot: HubSpotServer
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.director_a)

    page = _post(client, hubspot, "connect", secret="wrong")

    assert CrmConnection.objects.count() == 0
    text = page.content.decode()
    assert "HTTP 401" in text
    assert 'name="secret" value' not in text


def test_a_manager_never_reaches_the_crm_page(world, client, hubspot: HubSpotServer) -> None:  # type: ignore[no-untyped-def]
    connection = _saved(world, hubspot)
    client.force_login(world.manager_a)

    assert client.get(reverse("crm_connections")).status_code == 302
    assert client.post(reverse("crm_sync"), {"connection": connection.pk}).status_code == 404
    assert client.post(reverse("crm_disconnect"), {"connection": connection.pk}).status_code == 404
    assert CrmConnection.objects.filter(pk=connection.pk).exists()


def test_another_organisations_connection_is_a_plain_404(
    world, client, hubspot: HubSpotServer
) -> None:  # type: ignore[no-untyped-def]
    other = Organisation.objects.create(name="Annen AS")
    foreign = CrmConnection.objects.create(organisation=other, kind="hubspot", secret="")
    client.force_login(world.director_a)

    for name in ("crm_sync", "crm_disconnect", "crm_alias"):
        response = client.post(
            reverse(name), {"connection": foreign.pk, "owner": "a@b.no", "seller": 1}
        )
        assert response.status_code == 404, name
    assert CrmConnection.objects.filter(pk=foreign.pk).exists()


def test_sync_now_queues_a_sync(world, client, hubspot: HubSpotServer) -> None:  # type: ignore[no-untyped-def]
    connection = _saved(world, hubspot, next_sync_at=timezone.now() + timedelta(hours=5))
    client.force_login(world.director_a)

    client.post(reverse("crm_sync"), {"connection": connection.pk, "full": "1"})

    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["args"] == [connection.pk, True]
    connection.refresh_from_db()
    assert connection.next_sync_at <= timezone.now()


def test_an_unknown_owner_is_listed_and_this_is_stores_an_alias_and_a_full_read(
    world, client, hubspot: HubSpotServer
) -> None:  # type: ignore[no-untyped-def]
    seller = world.sellers_a[0]
    connection = _saved(
        world,
        hubspot,
        unknown_owners=[
            {"owner": "Kari N", "email": "kari@crm.example", "deals": 3, "won_amount": "10"}
        ],
    )
    client.force_login(world.director_a)
    page = client.get(reverse("crm_connections"))
    assert "Kari N" in page.content.decode()

    client.post(
        reverse("crm_alias"),
        {"connection": connection.pk, "owner": "kari@crm.example", "seller": seller.pk},
    )

    assert SellerAlias.objects.filter(seller=seller, email="kari@crm.example").exists()
    connection.refresh_from_db()
    assert (connection.unknown_owners, connection.full_next) == ([], True)
    assert AuditEvent.objects.filter(action="seller.alias").count() == 1


def test_the_overview_says_when_sales_data_has_not_synced_for_a_day(
    world, client, hubspot: HubSpotServer
) -> None:  # type: ignore[no-untyped-def]
    _saved(
        world,
        hubspot,
        created_at=timezone.now() - timedelta(days=3),
        last_success_at=timezone.now() - timedelta(days=2),
    )
    client.force_login(world.manager_a)
    stale = client.get(reverse("dashboard")).content.decode()
    client.force_login(world.director_a)
    director = client.get(reverse("org_overview")).content.decode()
    CrmConnection.objects.update(last_success_at=timezone.now())
    fresh = client.get(reverse("org_overview")).content.decode()

    assert "HubSpot" in stale and ("not synced since" in stale or "ikke synkronisert" in stale)
    assert "HubSpot" in director and reverse("crm_connections") in director
    assert "HubSpot" not in fresh
