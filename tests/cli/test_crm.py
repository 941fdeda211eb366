"""`krutt crm connect|list|sync|disconnect` against local CRM servers on loopback.

The servers hold the sample exports' deals in each API's shape; a sync must leave the
same deals, monthly actuals and segments as the file import of the same export.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from krutt.web.audit.models import AuditEvent
from krutt.web.connections import secrets
from krutt.web.crm.models import CrmConnection, CrmSyncRun
from krutt.web.imports.models import Deal, ImportBatch, ImportChange
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod
from tests.conftest import DATA
from tests.connections.crm_servers import (
    HubSpotServer,
    PipedriveServer,
    SalesforceServer,
    SuperOfficeServer,
)

pytestmark = pytest.mark.django_db(transaction=True)

SERVERS: dict[str, tuple[Callable[[], Any], str, str]] = {
    "hubspot": (HubSpotServer, "pat-na1-test", "hubspot-deals.csv"),
    "pipedrive": (lambda: PipedriveServer(page_cap=100), "pd-test-token", "pipedrive-deals.csv"),
    "salesforce": (SalesforceServer, "sf-secret", "salesforce-opportunities-nb.csv"),
    "superoffice": (SuperOfficeServer, "7T:so-ticket", "superoffice-salg.csv"),
}
EXTRA = {"salesforce": ("--client-id", "3MVG9-krutt")}


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")


@pytest.fixture
def team(krutt):  # type: ignore[no-untyped-def]
    """The sample roster and targets, with no actuals yet: the deals bring them."""
    for kind, name in (("sellers", "sellers.csv"), ("performance", "targets.csv")):
        assert krutt("import", kind, DATA / name).code == 0
    return krutt


@pytest.fixture(params=sorted(SERVERS))
def crm(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    make, _, _ = SERVERS[request.param]
    server = make()
    yield request.param, server
    server.stop()


@pytest.fixture
def hubspot() -> Iterator[HubSpotServer]:
    server = HubSpotServer()
    yield server
    server.stop()


def connect(krutt, monkeypatch, kind: str, server: Any, token: str | None = None, *extra: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO((token or SERVERS[kind][1]) + "\n"))
    return krutt(
        "crm", "connect", "--kind", kind, "--url", server.base, "--secret-stdin",
        *EXTRA.get(kind, ()), *extra,
    )  # fmt: skip


def state(*, keys: bool = True) -> dict[str, Any]:
    """What a manager would see of the deals: kept deals, monthly actuals, segments.

    Without `keys`: an export without deal ids (SuperOffice's) keys its deals by content,
    the API by the sale's id.
    """
    fields = ["source", "key", "seller__email", "amount", "status", "closed_on"]
    if not keys:
        fields.remove("key")
    return {
        "deals": sorted(Deal.objects.values_list(*fields)),
        "actuals": sorted(
            MonthlyResult.objects.exclude(actual=None).values_list(
                "seller__email", "month", "actual"
            )
        ),
        "segments": sorted(
            SegmentPeriod.objects.values_list(
                "seller__email", "valid_from", "valid_until", "segment", "attainment"
            )
        ),
    }


def test_a_sync_leaves_the_same_deals_actuals_and_segments_as_the_file_import(
    team, crm, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    kind, server = crm
    imported = team("import", "deals", DATA / "crm" / SERVERS[kind][2], "--json", "--lang", "en")
    assert imported.code == 0, imported.err
    keys = kind != "superoffice"
    expected = state(keys=keys)
    assert team("import", "undo", str(imported.json["batch"])).code == 0
    assert state()["deals"] == []

    assert connect(team, monkeypatch, kind, server).code == 0
    synced = team("crm", "sync", "--json", "--lang", "en")

    assert synced.code == 0, synced.err
    [report] = synced.json
    assert (report["status"], report["full"], report["connection"]) == (
        "synced",
        True,
        CrmConnection.objects.get().pk,
    )
    for key in ("created", "months", "segments_refreshed"):
        assert report[key] == imported.json[key], key
    assert [o["owner"] for o in report["unknown_owners"]] == [
        o["owner"] for o in imported.json["unknown_owners"]
    ]
    assert state(keys=keys) == expected
    batch = ImportBatch.objects.get(pk=report["batch"])
    assert (batch.kind, batch.filename, batch.channel, batch.preset) == (
        "deals",
        f"crm:{kind}",
        "cli",
        kind,
    )


def test_an_incremental_sync_of_ten_changed_deals_touches_only_their_months(
    team, hubspot: HubSpotServer, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    assert team("crm", "sync").code == 0
    first_watermark = CrmConnection.objects.get().watermark
    assert first_watermark is not None
    won = [d for d in hubspot.deals.values() if d["properties"]["dealstage"] == "closedwon"]
    changed = won[::20][:10]
    for deal in changed:
        hubspot.change(deal["id"], amount=str(int(deal["properties"]["amount"]) + 1000))
    months = sorted({d["properties"]["closedate"][:7] for d in changed})

    again = team("crm", "sync", "--json", "--lang", "en")

    assert again.code == 0, again.err
    [report] = again.json
    assert (report["status"], report["full"], report["updated"], report["created"]) == (
        "synced",
        False,
        10,
        0,
    )
    assert report["months"] == months
    touched = ImportChange.objects.filter(batch_id=report["batch"], table="actual")
    assert sorted({key.split(":")[1] for key in touched.values_list("key", flat=True)}) == months
    owners_months = {
        (d["properties"]["hubspot_owner_id"], d["properties"]["closedate"][:7]) for d in changed
    }
    assert touched.count() == len(owners_months)
    # The window started five minutes before the last sync's watermark; the new one is the
    # last change read.
    search = [r for r in hubspot.requests if r.path.endswith("/search")][-1]
    low = int(search.body["filterGroups"][0]["filters"][0]["value"]) / 1000
    assert CrmConnection.objects.get().watermark == hubspot.now
    assert low == (first_watermark - timedelta(minutes=5)).timestamp()


def test_a_sync_is_an_import_that_can_be_undone(team, hubspot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    assert team("crm", "sync").code == 0
    before = state()
    first = next(iter(hubspot.deals))
    hubspot.change(first, amount="999999")
    hubspot.archive(list(hubspot.deals)[1])
    report = team("crm", "sync", "--json").json[0]
    assert (report["updated"], report["removed"]) == (1, 1)
    assert state() != before

    undone = team("import", "undo", str(report["batch"]))

    assert undone.code == 0, undone.err
    assert state() == before


def test_a_failed_sync_changes_nothing_and_the_connection_says_why(
    team, hubspot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    assert team("crm", "sync").code == 0
    before, batches = state(), ImportBatch.objects.count()
    hubspot.change(next(iter(hubspot.deals)), amount="5")
    hubspot.token = "rotated"
    connection = CrmConnection.objects.get()

    failed = team("crm", "sync", "--id", connection.pk, "--lang", "en")

    assert failed.code == 2
    assert failed.err == (
        f"krutt: CRM {connection.pk} (hubspot): the sync failed: "
        "The CRM refused krutt's key or token (HTTP 401).\n"
    )
    assert (state(), ImportBatch.objects.count()) == (before, batches)
    [row] = team("crm", "list", "--json", "--lang", "en").json
    assert (row["last_status"], row["last_error"]) == (
        "failed",
        "The CRM refused krutt's key or token (HTTP 401).",
    )
    connection.refresh_from_db()
    assert connection.failures == 1
    assert CrmSyncRun.objects.filter(status="failed").count() == 1


def test_a_long_retry_after_is_honoured_by_the_schedule(team, hubspot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    hubspot.busy = [3600]
    started = timezone.now()

    assert team("crm", "sync").code == 2

    connection = CrmConnection.objects.get()
    assert connection.next_sync_at >= started + timedelta(hours=1)
    assert Deal.objects.count() == 0


def test_the_list_has_the_documented_keys_and_never_the_secret(team, hubspot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot, None, "--every", "120").code == 0

    [row] = team("crm", "list", "--json").json

    assert set(row) == {
        "id", "kind", "every_minutes", "last_sync_at", "last_status", "last_error", "watermark",
    }  # fmt: skip
    assert (row["kind"], row["every_minutes"], row["last_status"], row["watermark"]) == (
        "hubspot",
        120,
        "new",
        None,
    )
    connection = CrmConnection.objects.get()
    assert "pat-na1-test" not in connection.secret
    assert secrets.decrypt(connection.secret) == "pat-na1-test"
    assert not any("pat-na1" in json.dumps(e.changes) for e in AuditEvent.objects.all())


def test_a_wrong_token_saves_nothing(team, hubspot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = connect(team, monkeypatch, "hubspot", hubspot, "wrong")

    assert result.code == 2
    assert result.err.count("\n") == 1
    assert CrmConnection.objects.count() == 0


def test_disconnect_removes_the_deals_it_wrote_unless_asked_to_keep_them(
    team, hubspot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    assert team("crm", "sync").code == 0
    connection = CrmConnection.objects.get()

    gone = team("crm", "disconnect", connection.pk)

    assert gone.code == 0, gone.err
    assert (Deal.objects.count(), CrmConnection.objects.count()) == (0, 0)
    assert not MonthlyResult.objects.exclude(actual=None).exclude(actual=0).exists()

    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0
    assert team("crm", "sync").code == 0
    synced = state()
    kept = team("crm", "disconnect", CrmConnection.objects.get().pk, "--keep-deals")
    assert kept.code == 0, kept.err
    assert (state(), CrmConnection.objects.count()) == (synced, 0)


def test_the_worker_runs_a_due_crm_sync(team, hubspot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connect(team, monkeypatch, "hubspot", hubspot).code == 0

    ran = team("worker", "--once")

    assert ran.code == 0, ran.err
    assert "CRM" in ran.out
    assert CrmConnection.objects.get().last_status == "synced"
    assert Deal.objects.count() > 0
