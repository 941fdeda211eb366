"""Time entries: list by period, create one or a batch through the one write path, edit, delete.

Every minute goes through services/record_time.py (source `api`), with the same rules as
`krutt log` and the web's quick entry. A batch is all or nothing: the first refused item
names its position and nothing is stored.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from krutt.domain.errors import InvalidInput, KruttError
from krutt.domain.messages import gettext_noop
from krutt.domain.moments import parse_moment
from krutt.domain.sellers import SellerId
from krutt.services.record_time import Source, TimeRecord, delete_time, edit_time, record_time
from krutt.web.access import entries_managed_by, get_or_404, sellers_managed_by
from krutt.web.accounts.models import Role, User
from krutt.web.answers.report import report_period
from krutt.web.api.auth import only
from krutt.web.api.errors import Conflict, responses
from krutt.web.api.models import IdempotentRequest
from krutt.web.api.people import Page
from krutt.web.api.schemas import (
    DAY,
    MONTH,
    WEEK,
    Created,
    TimeEntryBatch,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPage,
)
from krutt.web.api.scope import require
from krutt.web.clock import SystemClock, today_in
from krutt.web.messages import render
from krutt.web.sellers.policies import organisation_zone
from krutt.web.timelog.models import TimeEntry
from krutt.web.timelog.repositories import TimeRepository

router = Router(tags=["time"])


class PeriodQuery(Schema):
    week: str | None = Field(default=None, pattern=WEEK)
    month: str | None = Field(default=None, pattern=MONTH)
    first: str | None = Field(default=None, alias="from", pattern=DAY)
    last: str | None = Field(default=None, alias="to", pattern=DAY)


def entry_document(row: TimeEntry, manager: User) -> dict[str, Any]:
    zone = organisation_zone(manager.organisation)  # type: ignore[arg-type]
    return {
        "id": row.pk,
        "manager": manager.email,
        "sellers": sorted(s.email for s in row.sellers.all()),
        "start": row.started_at.astimezone(zone).isoformat(),
        "end": row.ended_at.astimezone(zone).isoformat(),
        "day": row.day.isoformat(),
        "minutes": row.minutes,
        "activity": row.activity,
        "source": row.source,
        "note": row.note,
        "energy": row.energy,
    }


@router.get(
    "/time-entries",
    response=responses(TimeEntryPage),
    url_name="time_entries",
    auth=only(Role.MANAGER),
)
def list_entries(request: HttpRequest, period: Query[PeriodQuery], page: Query[Page]) -> Any:
    """The manager's own entries in a period (week, month or from/to; default this week)."""
    user = require(request, Role.MANAGER)
    assert user.organisation is not None
    span = report_period(
        week=period.week,
        month=period.month,
        first=period.first,
        last=period.last,
        today=today_in(user.organisation),
    )
    rows = (
        entries_managed_by(user)
        .filter(day__gte=span.first, day__lte=span.last)
        .prefetch_related("sellers")
        .order_by("started_at", "id")
    )
    return {
        "count": rows.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [entry_document(r, user) for r in rows[page.offset : page.offset + page.limit]],
    }


def _record(user: User, item: TimeEntryIn, now: datetime) -> TimeRecord:
    assert user.organisation is not None
    team = {s.email.casefold(): s.pk for s in sellers_managed_by(user).only("id", "email")}
    ids = []
    for address in item.seller:
        seller_id = team.get(address.strip().casefold())
        if seller_id is None:
            raise InvalidInput(
                gettext_noop("No seller on your team has the e-mail address {email}."),
                email=address,
            )
        ids.append(SellerId(seller_id))
    zone = organisation_zone(user.organisation)
    return TimeRecord(
        seller_ids=tuple(ids),
        started_at=parse_moment(item.at, zone) if item.at else now,
        minutes=item.minutes,
        activity=item.activity,
        note=item.note,
        energy=item.energy,
    )


def _log(user: User) -> TimeRepository:
    assert user.organisation is not None
    return TimeRepository(user.organisation, actor=user, channel="api")


def _create(user: User, items: list[TimeEntryIn]) -> list[dict[str, Any]]:
    assert user.organisation is not None
    zone = organisation_zone(user.organisation)
    now = SystemClock().now()
    ids = []
    with transaction.atomic():
        for position, item in enumerate(items):
            try:
                recorded = record_time(
                    log=_log(user),
                    record=_record(user, item, now),
                    manager_id=user.pk,
                    zone=zone,
                    now=now,
                    source=Source.API,
                )
            except KruttError as error:
                if len(items) == 1:
                    raise
                raise InvalidInput(
                    gettext_noop("Entry {position}: {problem} Nothing was stored."),
                    position=position + 1,
                    problem=render(error.message),
                ) from None
            ids.append(recorded.entry_id)
    rows = TimeEntry.objects.filter(pk__in=ids).prefetch_related("sellers").order_by("id")
    return [entry_document(r, user) for r in rows]


def _digest(body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


@router.post(
    "/time-entries",
    response=responses(Created, 201),
    url_name="time_entries",
    auth=only(Role.MANAGER),
)
def create_entries(
    request: HttpRequest,
    body: TimeEntryIn | TimeEntryBatch,
) -> Any:
    """Log time with sellers, one entry or {"entries": […]}; retry safely with Idempotency-Key."""
    idempotency_key = request.headers.get("Idempotency-Key")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise InvalidInput(gettext_noop("An Idempotency-Key has 1 to 200 characters."))
    user = require(request, Role.MANAGER)
    items = body.entries if isinstance(body, TimeEntryBatch) else [body]
    if idempotency_key is None:
        return Status(201, {"entries": _create(user, items)})
    digest = _digest(request.body)
    earlier = IdempotentRequest.objects.filter(user=user, key=idempotency_key).first()
    if earlier is not None:
        return _replay(earlier, digest)
    try:
        with transaction.atomic():
            answer = {"entries": _create(user, items)}
            IdempotentRequest.objects.create(
                user=user, key=idempotency_key, digest=digest, status=201, body=answer
            )
    except IntegrityError:
        # The same key arrived twice at once: the first one's answer is the answer.
        earlier = IdempotentRequest.objects.get(user=user, key=idempotency_key)
        return _replay(earlier, digest)
    return Status(201, answer)


def _replay(earlier: IdempotentRequest, digest: str) -> Any:
    if earlier.digest != digest:
        raise Conflict("This Idempotency-Key was used with another request body.")
    return Status(earlier.status, earlier.body)


@router.put(
    "/time-entries/{entry_id}",
    response=responses(TimeEntryOut),
    url_name="time_entry",
    auth=only(Role.MANAGER),
)
def edit_entry(request: HttpRequest, entry_id: int, body: TimeEntryIn) -> Any:
    """Correct an entry under the same rules as a new one (audited)."""
    user = require(request, Role.MANAGER)
    assert user.organisation is not None
    row = get_or_404(entries_managed_by(user), pk=entry_id)
    now = SystemClock().now()
    with transaction.atomic():
        edit_time(
            log=_log(user),
            entry_id=row.pk,
            record=_record(user, body, now),
            manager_id=user.pk,
            zone=organisation_zone(user.organisation),
            now=now,
        )
    row = TimeEntry.objects.prefetch_related("sellers").get(pk=row.pk)
    return entry_document(row, user)


@router.delete(
    "/time-entries/{entry_id}",
    response=responses(None, 204),
    url_name="time_entry",
    auth=only(Role.MANAGER),
)
def delete_entry(request: HttpRequest, entry_id: int) -> Any:
    """Delete one of the manager's entries (audited)."""
    user = require(request, Role.MANAGER)
    row = get_or_404(entries_managed_by(user), pk=entry_id)
    delete_time(log=_log(user), entry_id=row.pk, manager_id=user.pk)
    return Status(204, None)
