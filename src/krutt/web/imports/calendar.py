"""A manager's calendar export into krutt: the period, the reading, one use case, the batch.

Runs in the caller's transaction. Without a period the import runs from the file's
first event to 12 weeks after today, so next week's standing meetings are known.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.importers.calendar import read_calendar
from krutt.importers.ics_identity import MAX_IDENTITY, calendar_identity
from krutt.importers.ics_span import first_event_day
from krutt.services.calendar_time import DEFAULT_ACTIVITY_KEYWORDS
from krutt.services.import_calendar import (
    UNNAMED,
    CalendarImport,
    CalendarName,
    import_calendar,
)
from krutt.web.accounts.models import Organisation, User
from krutt.web.clock import SystemClock, today_in
from krutt.web.imports.batches import close_batch, open_batch
from krutt.web.imports.calendar_store import CalendarRepository
from krutt.web.imports.deal_store import seller_directory
from krutt.web.imports.models import ImportBatch, Kind
from krutt.web.sellers.models import Seller
from krutt.web.sellers.policies import organisation_zone

MAX_CALENDAR_BYTES = 50 * 1024 * 1024
# Enough for a year of a busy manager's calendar many times over, and a bound on memory.
MAX_OCCURRENCES = 250_000
AHEAD = timedelta(weeks=12)


def calendar_period(
    data: bytes, *, first: date | None, last: date | None, today: date
) -> tuple[date, date]:
    """The days an import covers (inclusive): as given, else first event → 12 weeks ahead."""
    if first is not None and last is not None and first > last:
        raise InvalidInput(
            gettext_noop("The period starts ({first}) after it ends ({last})."),
            first=first,
            last=last,
        )
    last = last if last is not None else today + AHEAD
    if first is None:
        first = min(first_event_day(data) or today, last)
    return first, last


def organisation_keywords(organisation: Organisation) -> list[tuple[str, Activity]]:
    """The organisation's subject keywords per activity, in the order they are tried.

    An activity the organisation has not set keeps krutt's keywords for it.
    """
    configured = organisation.activity_keywords or {}
    if not configured:
        return list(DEFAULT_ACTIVITY_KEYWORDS)
    keywords: list[tuple[str, Activity]] = []
    for activity in dict.fromkeys(a for _, a in DEFAULT_ACTIVITY_KEYWORDS):
        words = configured.get(activity.value)
        if isinstance(words, list):
            keywords += [(str(w), activity) for w in words if str(w).strip()]
        else:
            keywords += [(k, a) for k, a in DEFAULT_ACTIVITY_KEYWORDS if a is activity]
    return keywords


def calendar_name(data: bytes, named: str | None) -> CalendarName:
    """The calendar an import writes for: as named by the manager, else as the file says."""
    if named is not None and named.strip():
        return CalendarName(name=" ".join(named.split())[:MAX_IDENTITY], source="named")
    found = calendar_identity(data)
    return UNNAMED if found is None else CalendarName(name=found.name, source=found.source)


def import_calendar_file(
    data: bytes,
    organisation: Organisation,
    *,
    manager: User,
    filename: str,
    first: date | None = None,
    last: date | None = None,
    actor: User | None = None,
    channel: str = "cli",
    calendar: str | None = None,
    name: CalendarName | None = None,
    empty_allowed: bool = False,
    only_uids: Collection[str] | None = None,
) -> tuple[CalendarImport, ImportBatch | None]:
    """Import the manager's calendar over the period; raises `CalendarRejected` on problems.

    The calendar is `name` (a connection's), else the one `calendar` names, else the one
    the file says it is; each replaces only its own entries and busy time.
    """
    zone = organisation_zone(organisation)
    first, last = calendar_period(data, first=first, last=last, today=today_in(organisation))
    read = read_calendar(
        data,
        zone=zone,
        start=datetime.combine(first, time.min, zone),
        end=datetime.combine(last + timedelta(days=1), time.min, zone),
        manager_email=manager.email,
        max_occurrences=MAX_OCCURRENCES,
        max_bytes=MAX_CALENDAR_BYTES,
    )
    name = name or calendar_name(data, calendar)
    batch = open_batch(
        organisation,
        kind=Kind.CALENDAR,
        filename=filename,
        data=data,
        channel=channel,
        actor=actor,
        manager=manager,
    )
    batch.covers_from, batch.covers_until = first, last
    sellers = Seller.objects.filter(organisation=organisation, team__manager=manager)
    result = import_calendar(
        calendar=read,
        manager_id=manager.pk,
        manager_email=manager.email,
        directory=seller_directory(sellers),
        store=CalendarRepository(batch=batch, manager=manager, calendar=name.name),
        now=SystemClock().now(),
        name=name,
        keywords=organisation_keywords(organisation),
        empty_allowed=empty_allowed,
        only_uids=only_uids,
    )
    counts: dict[str, object] = {**result.counts(), "calendar": name.name}
    kept = close_batch(
        batch,
        counts=counts,
        changed=result.changed,
        seller_ids=sellers.values_list("id", flat=True),
    )
    return result, kept
