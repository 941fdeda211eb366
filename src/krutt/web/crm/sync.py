"""Connecting, syncing and disconnecting the organisation's CRM: the shell around `sync_deals`.

A sync runs as a calendar sync does, in two steps so no lock is held while a CRM is
slow: a short transaction **claims** the connection (`SELECT … FOR UPDATE SKIP LOCKED`),
the **fetch** runs outside any transaction, and one transaction **writes** the deals
through the deal import, the batch, the watermark and the schedule, or, on failure,
only the error and the next try (the import is rolled back to a savepoint). A worker
killed in between leaves its claim, which expires after `lease()`
(KRUTT_CRM_SYNC_LEASE_SECONDS, two hours: a full read of a large CRM is slow).

The whole CRM is read on the first sync, a week after the last full read (deletions a
CRM does not report are found then, and Pipedrive forgets deleted deals after 30 days),
after an alias was stored for an unknown owner, and on `--full`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from krutt.connections.crm_records import CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import NetworkPolicy, policy_from_environment
from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sync_schedule import full_sync_due
from krutt.importers.outcome_names import OutcomeNames, outcome_names
from krutt.services.import_deals import CrmChanges, DealsImport
from krutt.services.sync_deals import DealSyncOutcome, FetchedDeals, sync_deals, window_start
from krutt.web.accounts.models import Organisation, User
from krutt.web.audit.trail import record
from krutt.web.connections import secrets
from krutt.web.connections.sync import worker_id
from krutt.web.crm.fetching import fetch
from krutt.web.crm.models import CrmConnection, CrmKind, CrmStatus, CrmSyncRun
from krutt.web.imports.deals import import_crm_deals, outcome_names_of
from krutt.web.imports.models import Deal, ImportBatch

# A full read of a large CRM takes long (HubSpot: 100 deals a request, 4 requests a
# second): a claim holds two hours, so another worker never takes over a read in progress.
DEFAULT_LEASE_SECONDS = 2 * 3600


def lease() -> timedelta:
    from django.conf import settings

    return timedelta(
        seconds=getattr(settings, "KRUTT_CRM_SYNC_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    )


def label(connection: CrmConnection) -> str:
    """How the connection is named in lists and the import history: the CRM, no secret."""
    return f"crm:{connection.kind}"


def names_of(connection: CrmConnection) -> OutcomeNames:
    """The organisation's won and lost stage names and the connection's own (--won/--lost)."""
    own = OutcomeNames(
        won=tuple(connection.settings.get("won") or ()),
        lost=tuple(connection.settings.get("lost") or ()),
    )
    return outcome_names_of(connection.organisation).plus(own)


# --- claiming and running ------------------------------------------------------------


def claim(connection_id: int | None, *, worker: str, now: datetime) -> int | None:
    """Claim one connection (this one, due or not; else the next due one) for this worker."""
    with transaction.atomic():
        rows = CrmConnection.objects.select_for_update(skip_locked=True).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        if connection_id is not None:
            rows = rows.filter(pk=connection_id)
        else:
            rows = rows.filter(next_sync_at__lte=now).order_by("next_sync_at", "pk")
        row = rows.first()
        if row is None:
            return None
        row.claimed_by, row.claimed_until = worker, now + lease()
        row.save(update_fields=["claimed_by", "claimed_until"])
        return row.pk


class _Fetched:
    def __init__(self, fetched: CrmFetch | None, error: ConnectionFailed | None) -> None:
        self.fetched, self.error = fetched, error

    def fetch(self) -> CrmFetch:
        if self.error is not None:
            raise self.error
        assert self.fetched is not None
        return self.fetched


class _Sink:
    def __init__(self, connection: CrmConnection, actor: User | None, channel: str) -> None:
        self.connection, self.actor, self.channel = connection, actor, channel
        self.batch: ImportBatch | None = None

    def write(self, deals: FetchedDeals, changes: CrmChanges) -> DealsImport:
        result, self.batch = import_crm_deals(
            deals,
            self.connection.organisation,
            source=self.connection.kind,
            changes=changes,
            label=label(self.connection),
            actor=self.actor,
            channel=self.channel,
        )
        return result


@dataclass
class CrmSyncReport:
    connection: CrmConnection
    outcome: DealSyncOutcome
    batch: ImportBatch | None


def run_claimed(
    connection_id: int,
    *,
    worker: str,
    full: bool = False,
    policy: NetworkPolicy | None = None,
    clock: Callable[[], datetime] = timezone.now,
    actor: User | None = None,
    channel: str = "sync",
    pace: dict[str, Any] | None = None,
) -> CrmSyncReport | None:
    """Fetch and write a connection this worker claimed; None if the claim was lost."""
    policy = policy or policy_from_environment()
    connection = CrmConnection.objects.select_related("organisation").get(pk=connection_id)
    started = clock()
    full = (
        full
        or connection.full_next
        or connection.watermark is None
        or full_sync_due(now=started, last_full_at=connection.last_full_at)
    )
    fetched: CrmFetch | None = None
    error: ConnectionFailed | None = None
    try:
        fetched = fetch(
            connection, policy, since=window_start(connection.watermark, full=full), pace=pace
        )
    except ConnectionFailed as failed:
        error = failed
    except InvalidInput as unreadable:
        error = ConnectionFailed(unreadable.message.text)  # the keys: no parameters
    with transaction.atomic():
        locked = (
            CrmConnection.objects.select_for_update()
            .select_related("organisation")
            .get(pk=connection_id)
        )
        if locked.claimed_by != worker:
            return None
        sink = _Sink(locked, actor, channel)
        savepoint = transaction.savepoint()
        try:
            names = names_of(locked)
        except InvalidInput as clash:
            names = OutcomeNames()
            error = ConnectionFailed(
                clash.message.text, names=str(clash.message.params.get("names", ""))
            )
        outcome = sync_deals(
            kind=locked.kind,
            feed=_Fetched(fetched, error),
            sink=sink,
            names=names,
            watermark=locked.watermark,
            now=clock(),
            every_minutes=locked.every_minutes,
            failures=locked.failures,
        )
        if outcome.status == CrmStatus.FAILED:
            transaction.savepoint_rollback(savepoint)
            sink.batch = None
        else:
            transaction.savepoint_commit(savepoint)
        finished = clock()
        _settle(locked, outcome, finished)
        CrmSyncRun.objects.create(
            connection=locked,
            batch=sink.batch,
            started_at=started,
            finished_at=finished,
            status=outcome.status,
            full=outcome.full,
            error=locked.last_error,
            counts=sink.batch.counts if sink.batch is not None else {},
            worker=worker[:64],
        )
    return CrmSyncReport(connection=locked, outcome=outcome, batch=sink.batch)


def _settle(connection: CrmConnection, outcome: DealSyncOutcome, finished: datetime) -> None:
    connection.last_sync_at = finished
    connection.last_status = outcome.status
    connection.failures = outcome.failures
    connection.next_sync_at = outcome.next_sync_at
    connection.claimed_by, connection.claimed_until = "", None
    if outcome.status == CrmStatus.FAILED:
        connection.last_error = _stored(outcome.error)
    else:
        connection.last_error = None
        connection.last_success_at = finished
        connection.watermark = outcome.watermark
        connection.secret = secrets.rotate(connection.secret)
        if outcome.full:
            connection.last_full_at = finished
            connection.full_next = False
        if outcome.result is not None:
            connection.unknown_owners = _owners(
                [] if outcome.full else list(connection.unknown_owners or []), outcome.result
            )
    connection.save()


def _owners(kept: list[dict[str, Any]], result: DealsImport) -> list[dict[str, Any]]:
    """The CRM owners no seller matched: this sync's, and (incremental) the earlier ones."""
    by_owner = {str(o.get("owner")): o for o in kept if isinstance(o, dict)}
    emails = {d.owner or d.owner_email or "": d.owner_email for d in result.read.deals}
    for unknown in result.unknown_owners:
        by_owner[unknown.owner] = {
            "owner": unknown.owner,
            "email": emails.get(unknown.owner) or "",
            "deals": len(unknown.lines),
            "won_amount": str(unknown.won_amount),
        }
    return [by_owner[k] for k in sorted(by_owner)]


def sync_now(
    connection_id: int,
    *,
    full: bool = False,
    policy: NetworkPolicy | None = None,
    actor: User | None = None,
    channel: str = "sync",
    pace: dict[str, Any] | None = None,
) -> CrmSyncReport:
    """Sync one connection right away (CLI, the CRM page's "sync now", a queued job)."""
    worker = worker_id()
    if claim(connection_id, worker=worker, now=timezone.now()) is None:
        raise InvalidInput(BUSY_ELSEWHERE, id=connection_id)
    report = run_claimed(
        connection_id,
        worker=worker,
        full=full,
        policy=policy,
        actor=actor,
        channel=channel,
        pace=pace,
    )
    if report is None:
        raise InvalidInput(BUSY_ELSEWHERE, id=connection_id)
    return report


def run_due(*, worker: str, policy: NetworkPolicy | None = None) -> list[CrmSyncReport]:
    """Run every due CRM sync, one claim at a time, so several workers share the work."""
    done: list[CrmSyncReport] = []
    while (connection_id := claim(None, worker=worker, now=timezone.now())) is not None:
        report = run_claimed(connection_id, worker=worker, policy=policy)
        if report is not None:
            done.append(report)
    return done


def _stored(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    return {"text": message.text, "params": {k: str(v) for k, v in message.params.items()}}


def last_error(connection: CrmConnection) -> Message | None:
    stored = connection.last_error
    if not isinstance(stored, dict) or not stored.get("text"):
        return None
    return Message(str(stored["text"]), dict(stored.get("params") or {}))


# --- connecting and disconnecting ----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CrmRequest:
    kind: str
    secret: str
    url: str = ""
    client_id: str = ""
    every_minutes: int = 360
    won: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()


def probe(organisation: Organisation, request: CrmRequest) -> CrmConnection:
    """An unsaved connection as asked for; raises InvalidInput on a request that cannot work."""
    if request.kind not in CrmKind.values:
        raise InvalidInput(UNKNOWN_KIND, kind=request.kind)
    if not 15 <= request.every_minutes <= 7 * 24 * 60:
        raise InvalidInput(EVERY_RANGE)
    if not request.secret:
        raise InvalidInput(NO_SECRET)
    if request.kind == CrmKind.SALESFORCE and not request.client_id:
        raise InvalidInput(NO_CLIENT_ID)
    names = outcome_names(won=request.won, lost=request.lost)
    settings: dict[str, Any] = {"won": list(names.won), "lost": list(names.lost)}
    if request.url.strip():
        settings["url"] = request.url.strip().rstrip("/")
    if request.client_id:
        settings["client_id"] = request.client_id
    return CrmConnection(
        organisation=organisation,
        kind=request.kind,
        settings=settings,
        secret=secrets.encrypt(request.secret),
        every_minutes=request.every_minutes,
    )


def test_connection(connection: CrmConnection, policy: NetworkPolicy | None = None) -> None:
    """Ask the CRM for what changed in the last minute: proves the address and the secret."""
    since = timezone.now()
    try:
        fetch(connection, policy or policy_from_environment(), since=since)
    except ConnectionFailed as failed:
        # The server's own sentence ("The CRM refused krutt's key or token").
        raise InvalidInput(failed.message.text, **failed.message.params) from None


def connect(
    organisation: Organisation,
    *,
    request: CrmRequest,
    actor: User | None = None,
    channel: str = "cli",
    policy: NetworkPolicy | None = None,
) -> CrmConnection:
    """Test the connection, then save it (due at once). A failed test saves nothing."""
    connection = probe(organisation, request)
    if CrmConnection.objects.filter(organisation=organisation, kind=request.kind).exists():
        raise InvalidInput(ALREADY, kind=request.kind)
    test_connection(connection, policy)
    with transaction.atomic():
        connection.created_by = actor
        connection.next_sync_at = timezone.now()
        connection.save()
        record(
            action="crm.connect",
            object_type="crm",
            object_id=connection.pk,
            organisation_id=organisation.pk,
            actor_id=actor.pk if actor else None,
            actor_label=actor.email if actor else "",
            channel=channel,
            changes={"kind": connection.kind, "every_minutes": connection.every_minutes},
        )
    return connection


def disconnect(
    connection: CrmConnection,
    *,
    keep_deals: bool = False,
    actor: User | None = None,
    channel: str = "cli",
) -> tuple[int, ImportBatch | None]:
    """Remove the connection; by default also the deals its syncs wrote (as an import batch).

    The deals go through the deal import as deletions, so the months they were in are
    recounted, the segments refreshed, and the removal can itself be undone.
    """
    with transaction.atomic():
        batches = CrmSyncRun.objects.filter(connection=connection, batch__isnull=False).values(
            "batch_id"
        )
        removed, batch = 0, None
        if not keep_deals:
            keys = Deal.objects.filter(
                organisation_id=connection.organisation_id,
                source=connection.kind,
                batch_id__in=batches,
            ).values_list("key", flat=True)
            ids = tuple(k[3:] for k in keys if k.startswith("id:"))
            if ids:
                result, batch = import_crm_deals(
                    FetchedDeals(kind=connection.kind, deals=[]),
                    connection.organisation,
                    source=connection.kind,
                    changes=CrmChanges(deleted=ids),
                    label=label(connection),
                    actor=actor,
                    channel=channel,
                )
                removed = result.summary.removed
        record(
            action="crm.disconnect",
            object_type="crm",
            object_id=connection.pk,
            organisation_id=connection.organisation_id,
            actor_id=actor.pk if actor else None,
            actor_label=actor.email if actor else "",
            channel=channel,
            changes={"kind": connection.kind, "deals_removed": removed},
        )
        connection.delete()
    return removed, batch


def connection_for(organisation: Organisation, connection_id: int) -> CrmConnection:
    found = (
        CrmConnection.objects.select_related("organisation")
        .filter(organisation=organisation, pk=connection_id)
        .first()
    )
    if found is None:
        raise NotFound(NO_CONNECTION, id=connection_id)
    return found


UNKNOWN_KIND = gettext_noop(
    "krutt does not know the CRM {kind}; use hubspot, pipedrive, salesforce or superoffice."
)
EVERY_RANGE = gettext_noop("Sync every 15 minutes at the most often and once a week at the least.")
NO_SECRET = gettext_noop("Give the CRM's token or secret on standard input (--secret-stdin).")
NO_CLIENT_ID = gettext_noop("A Salesforce connection needs the connected app's client id.")
ALREADY = gettext_noop("{kind} is already connected; disconnect it first to connect it again.")
BUSY_ELSEWHERE = gettext_noop(
    "CRM connection {id} is being synced right now; try again in a minute."
)
NO_CONNECTION = gettext_noop("There is no CRM connection {id}.")
