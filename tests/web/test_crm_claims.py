"""Workers share CRM syncs: a claim holds one connection for one worker until its lease ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from krutt.web.connections import secrets
from krutt.web.crm.models import CrmConnection, CrmSyncRun
from krutt.web.crm.sync import claim, lease, run_claimed
from krutt.web.imports.models import Deal
from tests.connections.crm_servers import HubSpotServer


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


def test_a_claimed_connection_is_not_claimed_again_until_the_lease_ends(world) -> None:  # type: ignore[no-untyped-def]
    connection = CrmConnection.objects.create(organisation=world.organisation, kind="hubspot")
    now = timezone.now()

    assert claim(None, worker="a", now=now) == connection.pk
    assert claim(None, worker="b", now=now + timedelta(minutes=30)) is None
    assert (
        claim(connection.pk, worker="b", now=now + lease() + timedelta(seconds=1)) == connection.pk
    )
    connection.refresh_from_db()
    assert connection.claimed_by == "b"


def test_a_worker_that_lost_its_claim_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    server = HubSpotServer()
    try:
        connection = CrmConnection.objects.create(
            organisation=world.organisation,
            kind="hubspot",
            settings={"url": server.base},
            secret=secrets.encrypt("pat-na1-test"),
        )
        assert claim(connection.pk, worker="a", now=timezone.now()) == connection.pk
        CrmConnection.objects.filter(pk=connection.pk).update(claimed_by="b")

        report = run_claimed(connection.pk, worker="a", pace={"min_interval": 0.0})
    finally:
        server.stop()

    assert report is None
    assert (Deal.objects.count(), CrmSyncRun.objects.count()) == (0, 0)
    connection.refresh_from_db()
    assert (connection.last_status, connection.watermark) == ("new", None)
