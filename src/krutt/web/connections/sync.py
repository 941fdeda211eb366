"""Connecting, syncing and disconnecting calendars: the shell around `sync_calendar`.

A sync runs in two steps so that no database lock is held while a server is slow:

1. **Claim** (a short transaction): the connection row is locked with
   `SELECT … FOR UPDATE SKIP LOCKED`, must be due and unclaimed (or its claim expired),
   and gets `claimed_by`/`claimed_until`. Two workers never claim the same connection.
2. **Fetch** outside any transaction, then **write** in one transaction: the row is
   locked again and must still be claimed by this worker; the fetched objects, the
   import, the batch, the cursor and the schedule are written together or not at all.
   A failure rolls the objects and the import back to a savepoint and records only the
   error and the next try.

A worker killed during the fetch or the write leaves nothing behind but its claim,
which expires after `lease()` (KRUTT_SYNC_LEASE_SECONDS, 10 minutes), and the connection is
still due, so the next worker runs it again.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from krutt.connections.assemble import assemble_calendar
from krutt.connections.caldav_sync import fetch_caldav
from krutt.connections.errors import ConnectionFailed
from krutt.connections.google import fetch_google, read_key
from krutt.connections.graph import fetch_microsoft365
from krutt.connections.http import NetworkPolicy, SafeHttp, policy_from_environment
from krutt.connections.ics_url import fetch_ics_url
from krutt.connections.minimise import minimal_object
from krutt.connections.records import Fetch
from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import Message, gettext_noop
from krutt.services.calendar_time import DEFAULT_ACTIVITY_KEYWORDS, read_words
from krutt.services.import_calendar import CalendarImport
from krutt.services.sync_calendar import SyncOutcome, sync_calendar
from krutt.web.accounts.models import Organisation, User
from krutt.web.audit.trail import record
from krutt.web.connections import secrets
from krutt.web.connections.models import (
    CalendarConnection,
    CalendarObject,
    Kind,
    Status,
    SyncRun,
)
from krutt.web.imports.models import ImportBatch
from krutt.web.planning.models import BusyBlock
from krutt.web.privacy.notices import require_announced
from krutt.web.sellers.models import Seller, SellerAlias
from krutt.web.timelog.models import TimeEntry

# How long a worker's claim holds: longer than a fetch may take (60 s) plus the write.
DEFAULT_LEASE_SECONDS = 600
BUILT_KINDS = (Kind.ICS_URL, Kind.CALDAV, Kind.MICROSOFT365, Kind.GOOGLE)


def write_calendar(
    connection: CalendarConnection, data: bytes, *, only_uids: Collection[str] | None = None
) -> tuple[CalendarImport, ImportBatch | None]:
    """The one call from a sync into the calendar import, exactly as a file goes in.

    Each connection is a calendar of its own: it replaces only the entries it wrote. The
    server holds the whole calendar, so the period reaches back to the oldest entry or busy
    time the connection kept: an event deleted there, or every event of a calendar that was
    emptied, is removed here too (an empty calendar is a sync to zero, not an error).
    """
    from krutt.importers.ics_span import first_event_day
    from krutt.services.import_calendar import CalendarName
    from krutt.web.clock import today_in
    from krutt.web.imports.calendar import import_calendar_file

    name = CalendarName(name=f"connection:{connection.pk}", source="connection")
    today = today_in(connection.organisation)
    days = [first_event_day(data) or today, *_kept_since(connection, name.name)]
    return import_calendar_file(
        data,
        connection.organisation,
        manager=connection.manager,
        filename=label(connection),
        first=min(days),
        channel="sync",
        name=name,
        empty_allowed=True,
        only_uids=only_uids,
    )


def _kept_since(connection: CalendarConnection, calendar: str) -> list[date]:
    """The first day of the time entries and busy time the connection's calendar wrote."""
    from zoneinfo import ZoneInfo

    from django.db.models import Min

    entry = TimeEntry.objects.filter(manager=connection.manager, calendar=calendar).aggregate(
        first=Min("day")
    )["first"]
    busy = BusyBlock.objects.filter(manager=connection.manager, calendar=calendar).aggregate(
        first=Min("starts_at")
    )["first"]
    found = [entry] if entry is not None else []
    if busy is not None:
        found.append(busy.astimezone(ZoneInfo(connection.organisation.time_zone)).date())
    return found


def label(connection: CalendarConnection) -> str:
    """How the connection is named in lists and the import history: kind and host, no secret."""
    where = connection.settings.get("host") or connection.settings.get("mailbox") or ""
    calendar = connection.settings.get("calendar") or ""
    return " · ".join(part for part in (connection.kind, where, calendar) if part)


def worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{uuid.uuid4().hex[:12]}"


# --- fetching ------------------------------------------------------------------------


def fetch(connection: CalendarConnection, policy: NetworkPolicy) -> Fetch:
    """What changed on the server since the connection's cursor (network only)."""
    secret = secrets.decrypt(connection.secret)
    cursor = dict(connection.cursor or {})
    if connection.kind == Kind.ICS_URL:
        with SafeHttp(policy=policy) as http:
            return fetch_ics_url(url=secret, cursor=cursor, http=http)
    if connection.kind == Kind.CALDAV:
        return fetch_caldav(
            url=str(connection.settings["url"]),
            username=str(connection.settings.get("username", "")),
            password=secret,
            calendar_name=connection.settings.get("calendar") or None,
            cursor=cursor,
            policy=policy,
        )
    if connection.kind == Kind.MICROSOFT365:
        with SafeHttp(policy=policy) as http:
            return fetch_microsoft365(
                tenant=str(connection.settings["tenant"]),
                client_id=str(connection.settings["client_id"]),
                client_secret=secret,
                mailbox=str(connection.settings["mailbox"]),
                owner=connection.manager.email,
                cursor=cursor,
                http=http,
                now=timezone.now(),
                graph_url=django_settings.KRUTT_GRAPH_URL,
                login_url=django_settings.KRUTT_MICROSOFT_LOGIN_URL,
            )
    if connection.kind == Kind.GOOGLE:
        with SafeHttp(policy=policy) as http:
            return fetch_google(
                key_file=secret,
                mailbox=str(connection.settings["mailbox"]),
                owner=connection.manager.email,
                cursor=cursor,
                http=http,
                now=timezone.now(),
                calendar_url=django_settings.KRUTT_GOOGLE_CALENDAR_URL,
                token_url=django_settings.KRUTT_GOOGLE_TOKEN_URL,
            )
    raise ConnectionFailed(NOT_BUILT, kind=connection.kind)


class _Fetched:
    """The feed `sync_calendar` reads: what was fetched before the transaction, or its error."""

    def __init__(self, fetched: Fetch | None, error: ConnectionFailed | None) -> None:
        self.fetched, self.error = fetched, error

    def fetch(self) -> Fetch:
        if self.error is not None:
            raise self.error
        assert self.fetched is not None
        return self.fetched


class _Sink:
    """Keeps a CalDAV calendar's objects and writes through the calendar import."""

    def __init__(self, connection: CalendarConnection) -> None:
        self.connection = connection
        self.batch: ImportBatch | None = None
        self.only_uids: set[str] | None = None

    def apply(self, fetched: Fetch) -> bytes | None:
        """The calendar to import: the whole of it after a full read, else only what changed.

        After a delta only the changed objects are imported, limited to their events
        (`only_uids`: the UIDs in the changed objects and in the ones they replace or that
        were deleted), so ten changed events cost ten events, not the whole calendar.
        """
        self.only_uids = None
        if fetched.empty:
            return None
        if self.connection.kind == Kind.ICS_URL:
            return fetched.changed[0].data
        objects = CalendarObject.objects.filter(connection=self.connection)
        if fetched.full:
            objects.delete()
        else:
            gone = {r.href for r in fetched.changed} | set(fetched.deleted)
            replaced = objects.filter(href__in=gone)
            uids = {u for text in replaced.values_list("data", flat=True) for u in _uids(text)}
            uids |= {u for r in fetched.changed for u in _uids(r.data.decode("utf-8", "replace"))}
            self.only_uids = uids
            replaced.delete()
        minimise = _minimiser(self.connection)
        CalendarObject.objects.bulk_create(
            [
                CalendarObject(
                    connection=self.connection,
                    href=r.href[:1000],
                    etag=r.etag[:255],
                    # Kept between syncs, so only what krutt reads (no subject, guests …).
                    data=minimise(r.data).decode("utf-8"),
                )
                for r in fetched.changed
            ],
            batch_size=500,
        )
        if self.only_uids is not None:
            return assemble_calendar(r.data for r in fetched.changed)
        return assemble_calendar(
            text.encode()
            for text in CalendarObject.objects.filter(connection=self.connection)
            .order_by("href")
            .values_list("data", flat=True)
            .iterator(chunk_size=2000)
        )

    def write(self, data: bytes) -> CalendarImport:
        result, self.batch = write_calendar(self.connection, data, only_uids=self.only_uids)
        return result


def _minimiser(connection: CalendarConnection) -> Callable[[bytes], bytes]:
    """What a kept CalDAV object may hold: the words and addresses the import reads."""
    from krutt.web.imports.calendar import organisation_keywords

    organisation = connection.organisation
    keywords = sorted(
        {k for k, _ in (*DEFAULT_ACTIVITY_KEYWORDS, *organisation_keywords(organisation))}
    )
    sellers = Seller.objects.filter(organisation=organisation)
    names = list(sellers.values_list("name", flat=True))
    addresses = {e.lower() for e in sellers.values_list("email", flat=True)}
    addresses |= {
        e.lower()
        for e in SellerAlias.objects.filter(organisation=organisation).values_list(
            "email", flat=True
        )
    }
    addresses.add(connection.manager.email.lower())

    def minimise(data: bytes) -> bytes:
        return minimal_object(
            data,
            summary=lambda text: read_words(text, keywords=keywords, names=names),
            known=addresses.__contains__,
        )

    return minimise


def _uids(text: str) -> set[str]:
    """The UIDs in a calendar object's text (unfolded: a UID line may be folded)."""
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "")
    return {
        line.partition(":")[2].strip()
        for line in unfolded.splitlines()
        if line[:4].upper() in ("UID:", "UID;")
    }


# --- claiming and running ------------------------------------------------------------


def claim_next_due(*, worker: str, now: datetime) -> int | None:
    """Claim one due connection for this worker (skipping rows other workers hold)."""
    with transaction.atomic():
        row = (
            CalendarConnection.objects.select_for_update(skip_locked=True)
            .filter(next_sync_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_sync_at", "pk")
            .first()
        )
        if row is None:
            return None
        _claim(row, worker, now)
        return row.pk


def claim(connection_id: int, *, worker: str, now: datetime) -> bool:
    """Claim a connection now, due or not (sync now); False while another worker has it."""
    with transaction.atomic():
        row = (
            CalendarConnection.objects.select_for_update(skip_locked=True)
            .filter(pk=connection_id)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if row is None:
            return False
        _claim(row, worker, now)
        return True


def lease() -> timedelta:
    from django.conf import settings

    return timedelta(seconds=getattr(settings, "KRUTT_SYNC_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _claim(row: CalendarConnection, worker: str, now: datetime) -> None:
    row.claimed_by, row.claimed_until = worker, now + lease()
    row.save(update_fields=["claimed_by", "claimed_until"])


@dataclass
class SyncReport:
    connection: CalendarConnection
    outcome: SyncOutcome
    batch: ImportBatch | None


def run_claimed(
    connection_id: int,
    *,
    worker: str,
    policy: NetworkPolicy | None = None,
    clock: Callable[[], datetime] = timezone.now,
    before_write: Callable[[], None] | None = None,
) -> SyncReport | None:
    """Fetch and write a connection this worker claimed; None if the claim was lost.

    `before_write` is a test hook (the kill test waits there).
    """
    policy = policy or policy_from_environment()
    connection = CalendarConnection.objects.select_related("organisation", "manager").get(
        pk=connection_id
    )
    started = clock()
    fetched: Fetch | None = None
    error: ConnectionFailed | None = None
    try:
        fetched = fetch(connection, policy)
    except ConnectionFailed as failed:
        error = failed
    except InvalidInput as unreadable:
        error = ConnectionFailed(unreadable.message.text)  # the keys: no parameters
    if before_write is not None:
        before_write()
    with transaction.atomic():
        locked = (
            CalendarConnection.objects.select_for_update()
            .select_related("organisation", "manager")
            .get(pk=connection_id)
        )
        if locked.claimed_by != worker:
            return None
        sink = _Sink(locked)
        savepoint = transaction.savepoint()
        outcome = sync_calendar(
            feed=_Fetched(fetched, error),
            sink=sink,
            now=clock(),
            every_minutes=locked.every_minutes,
            failures=locked.failures,
        )
        if outcome.status == Status.FAILED:
            transaction.savepoint_rollback(savepoint)
            sink.batch = None
        else:
            transaction.savepoint_commit(savepoint)
        finished = clock()
        locked.last_sync_at = finished
        locked.last_status = outcome.status
        locked.failures = outcome.failures
        locked.next_sync_at = outcome.next_sync_at
        locked.claimed_by, locked.claimed_until = "", None
        if outcome.status == Status.FAILED:
            locked.last_error = _stored(outcome.error)
        else:
            locked.last_error = None
            locked.last_success_at = finished
            locked.cursor = outcome.cursor or {}
            locked.secret = secrets.rotate(locked.secret)
        locked.save()
        SyncRun.objects.create(
            connection=locked,
            batch=sink.batch,
            started_at=started,
            finished_at=finished,
            status=outcome.status,
            error=locked.last_error,
            counts=sink.batch.counts if sink.batch is not None else {},
            worker=worker[:64],
        )
    return SyncReport(connection=locked, outcome=outcome, batch=sink.batch)


def sync_now(
    connection_id: int, *, policy: NetworkPolicy | None = None, worker: str | None = None
) -> SyncReport:
    """Sync one connection right away (CLI, web "sync now", a queued job)."""
    worker = worker or worker_id()
    if not claim(connection_id, worker=worker, now=timezone.now()):
        raise InvalidInput(BUSY_ELSEWHERE, id=connection_id)
    report = run_claimed(connection_id, worker=worker, policy=policy)
    if report is None:
        raise InvalidInput(BUSY_ELSEWHERE, id=connection_id)
    return report


def run_due(
    *, worker: str, policy: NetworkPolicy | None = None, limit: int | None = None
) -> list[SyncReport]:
    """Run every due sync, one claim at a time, so several workers share the work."""
    done: list[SyncReport] = []
    while limit is None or len(done) < limit:
        connection_id = claim_next_due(worker=worker, now=timezone.now())
        if connection_id is None:
            break
        report = run_claimed(connection_id, worker=worker, policy=policy)
        if report is not None:
            done.append(report)
    return done


def _stored(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    return {"text": message.text, "params": {k: str(v) for k, v in message.params.items()}}


def last_error(connection: CalendarConnection) -> Message | None:
    stored = connection.last_error
    if not isinstance(stored, dict) or not stored.get("text"):
        return None
    return Message(str(stored["text"]), dict(stored.get("params") or {}))


# --- connecting and disconnecting ----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ConnectionRequest:
    """What a manager gives to connect; `secret` is the password, client secret or key file."""

    kind: str
    url: str = ""
    username: str = ""
    calendar: str = ""
    secret: str = ""
    every_minutes: int = 60
    tenant: str = ""
    client_id: str = ""
    mailbox: str = ""


def connect(
    organisation: Organisation,
    *,
    manager: User,
    request: ConnectionRequest,
    actor: User | None = None,
    channel: str = "cli",
    policy: NetworkPolicy | None = None,
) -> CalendarConnection:
    """Test the connection, then save it (due at once). A failed test saves nothing."""
    policy = policy or policy_from_environment()
    if request.kind not in BUILT_KINDS:
        raise InvalidInput(NOT_BUILT, kind=request.kind)
    if not 5 <= request.every_minutes <= 7 * 24 * 60:
        raise InvalidInput(EVERY_RANGE)
    # Automatic measurement only once the team knows of it (arbeidsmiljøloven § 9-2).
    require_announced(manager)
    settings, secret = settings_and_secret(request)
    probe = CalendarConnection(
        organisation=organisation,
        manager=manager,
        kind=request.kind,
        settings=settings,
        secret=secrets.encrypt(secret),
        every_minutes=request.every_minutes,
    )
    try:
        fetch(probe, policy)
    except ConnectionFailed as failed:
        # The server's own sentence ("The server refused the user name or password").
        raise InvalidInput(failed.message.text, **failed.message.params) from None
    with transaction.atomic():
        probe.next_sync_at = timezone.now()
        probe.save()
        record(
            action="connection.connect",
            object_type="connection",
            object_id=probe.pk,
            organisation_id=organisation.pk,
            actor_id=actor.pk if actor else None,
            actor_label=actor.email if actor else "",
            channel=channel,
            changes={"kind": probe.kind, "every_minutes": probe.every_minutes},
        )
    return probe


def settings_and_secret(request: ConnectionRequest) -> tuple[dict[str, Any], str]:
    """What is kept in the clear (shown in lists) and the one secret, kept encrypted."""
    if request.kind in (Kind.MICROSOFT365, Kind.GOOGLE):
        return _api_settings(request)
    url = request.url.strip()
    if not url:
        raise InvalidInput(NO_URL)
    settings: dict[str, Any] = {"host": urlsplit(url.replace("webcal://", "https://")).hostname}
    if request.kind == Kind.ICS_URL:
        return settings, url  # a published calendar's address is itself the secret
    if not request.username:
        raise InvalidInput(NO_USERNAME)
    settings |= {"url": url, "username": request.username}
    if request.calendar:
        settings["calendar"] = request.calendar
    return settings, request.secret


def _api_settings(request: ConnectionRequest) -> tuple[dict[str, Any], str]:
    """Settings and secret of a Microsoft 365 or Google connection (app-only credentials)."""
    from krutt.domain.addresses import normalise_email

    mailbox = normalise_email(request.mailbox)
    if "@" not in mailbox:
        raise InvalidInput(NO_MAILBOX)
    if not request.secret:
        raise InvalidInput(NO_SECRET if request.kind == Kind.MICROSOFT365 else NO_KEY)
    if request.kind == Kind.MICROSOFT365:
        tenant, client_id = request.tenant.strip(), request.client_id.strip()
        if not tenant or not client_id:
            raise InvalidInput(NO_TENANT)
        return {"tenant": tenant, "client_id": client_id, "mailbox": mailbox}, request.secret
    try:
        key = read_key(request.secret)
    except ConnectionFailed as failed:
        raise InvalidInput(failed.message.text) from None
    # The service account's address is not secret and says which key is in use.
    return {"mailbox": mailbox, "service_account": key["client_email"]}, request.secret


def disconnect(
    connection: CalendarConnection,
    *,
    keep_entries: bool = False,
    actor: User | None = None,
    channel: str = "cli",
) -> dict[str, int]:
    """Remove the connection; by default also the time entries and busy time it wrote."""
    with transaction.atomic():
        batches = list(
            SyncRun.objects.filter(connection=connection, batch__isnull=False).values_list(
                "batch_id", flat=True
            )
        )
        removed = {"entries": 0, "busy": 0}
        if not keep_entries and batches:
            entries = TimeEntry.objects.filter(
                manager=connection.manager, import_batch_id__in=batches
            )
            removed["entries"] = entries.count()
            entries.delete()
            busy = BusyBlock.objects.filter(manager=connection.manager, import_batch_id__in=batches)
            removed["busy"] = busy.count()
            busy.delete()
        record(
            action="connection.disconnect",
            object_type="connection",
            object_id=connection.pk,
            organisation_id=connection.organisation_id,
            actor_id=actor.pk if actor else None,
            actor_label=actor.email if actor else "",
            channel=channel,
            changes={"kind": connection.kind, **removed},
        )
        connection.delete()
    return removed


def connection_for(organisation: Organisation, connection_id: int) -> CalendarConnection:
    found = (
        CalendarConnection.objects.select_related("manager", "organisation")
        .filter(organisation=organisation, pk=connection_id)
        .first()
    )
    if found is None:
        raise NotFound(NO_CONNECTION, id=connection_id)
    return found


NOT_BUILT = gettext_noop(
    "krutt cannot connect {kind} calendars; use ics-url, caldav, microsoft365 or google."
)
EVERY_RANGE = gettext_noop("Sync every 5 minutes at the most often and once a week at the least.")
NO_URL = gettext_noop("Give the calendar's address (--url).")
NO_MAILBOX = gettext_noop("Give the mailbox whose calendar is read (--mailbox ADDRESS).")
NO_SECRET = gettext_noop("A Microsoft 365 calendar needs the app's client secret (--secret-stdin).")
NO_KEY = gettext_noop("A Google calendar needs the service account's key file (--key-file).")
NO_TENANT = gettext_noop("A Microsoft 365 calendar needs --tenant and --client-id.")
NO_USERNAME = gettext_noop("A CalDAV calendar needs a user name (--username).")
BUSY_ELSEWHERE = gettext_noop("Calendar {id} is being synced right now; try again in a minute.")
NO_CONNECTION = gettext_noop("There is no connected calendar {id}.")
