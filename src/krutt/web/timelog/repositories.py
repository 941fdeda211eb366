"""Rows ↔ domain values for time entries, scoped to one organisation.

The report's two reads are hand-written SQL: they run on every dashboard view and
must stay close to the cost of a single aggregate query (see `make bench`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from krutt.domain.activities import Activity
from krutt.domain.allocation import RosterSeller, SellerTime
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.ports import DayTime, PeriodTime
from krutt.services.record_time import Employment, Source
from krutt.services.record_time import TimeEntry as TimeEntryValues
from krutt.web.accounts.models import Organisation, User
from krutt.web.audit.trail import record
from krutt.web.sellers.models import Seller
from krutt.web.sellers.refresh import ensure_segments_through
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller

# The one read of time for the report, the overview, the trend and the director's teams,
# for one or many managers in one round trip: minutes per manager, day, seller, segment
# the seller had on that day and entry size, as happened (kind 0: the entry has ended by
# `now`) or planned (kind 2); then (kind 1) each seller on the manager's teams during
# the period, and each seller who got time from the manager in it but has since moved
# team, with the segment of their last day in the period. `{managers}` is a list of
# placeholders, one per manager.
TIME_SQL = """
SELECT t.kind, t.manager_id, t.seller_id, t.segment, t.seller_count, SUM(t.minutes),
       CAST(t.day AS VARCHAR(10)), NULL
FROM (
    SELECT CASE WHEN e.ended_at <= %s THEN 0 ELSE 2 END AS kind, e.manager_id,
           l.seller_id, e.seller_count, e.minutes, e.day,
           (SELECT p.segment FROM sellers_segmentperiod p
            WHERE p.seller_id = l.seller_id AND p.valid_from <= e.day
            ORDER BY p.valid_from DESC LIMIT 1) AS segment
    FROM timelog_timeentry e
    JOIN timelog_timeentryseller l ON l.entry_id = e.id
    WHERE e.manager_id IN ({managers}) AND e.day >= %s AND e.day <= %s
) t
GROUP BY t.kind, t.manager_id, t.seller_id, t.segment, t.seller_count, t.day
UNION ALL
SELECT 1, r.manager_id, s.id,
       (SELECT p.segment FROM sellers_segmentperiod p
        WHERE p.seller_id = s.id
          AND p.valid_from <= CASE WHEN s.ended_on IS NOT NULL AND s.ended_on < %s THEN s.ended_on ELSE %s END
        ORDER BY p.valid_from DESC LIMIT 1),
       NULL, NULL, s.email, s.name
FROM (
    SELECT m.manager_id AS manager_id, o.id AS seller_id
    FROM sellers_seller o JOIN sellers_team m ON m.id = o.team_id
    WHERE m.manager_id IN ({managers})
      AND o.started_on <= %s AND (o.ended_on IS NULL OR o.ended_on >= %s)
    UNION
    SELECT e.manager_id, l.seller_id
    FROM timelog_timeentryseller l JOIN timelog_timeentry e ON e.id = l.entry_id
    WHERE e.manager_id IN ({managers}) AND e.day >= %s AND e.day <= %s
) r
JOIN sellers_seller s ON s.id = r.seller_id
"""
# The segment in force on a day is the period with the latest start on or before it: one
# index seek on (seller, valid_from) per row. The day is sent as text: the column also
# carries the roster's e-mail addresses.

# A dict lookup rather than Segment(value): the enum call is measurable on every page view.
_SEGMENTS: dict[str | None, Segment] = {s.value: s for s in Segment}
# No stored period covers the day: time before the seller's first day counts as new.
_SEGMENTS[None] = Segment.NEW

# One line: Django rewrites the placeholders of every statement with a regex on each
# execution, and the indentation alone was a third of what it scanned.
_TIME_QUERY = " ".join(TIME_SQL.split())


def time_query(managers: int) -> str:
    """The one read for `managers` managers."""
    return _TIME_QUERY.replace("{managers}", ", ".join(["%s"] * managers))


TIME_QUERY = time_query(1)


def _day(value: date) -> Any:
    # The ORM's own adaptation (an ISO string on SQLite, a date on PostgreSQL): sqlite3's
    # default date adapter is deprecated and costs more than the query's index seeks.
    return connection.ops.adapt_datefield_value(value)


def decode_time(rows: Sequence[tuple[Any, ...]]) -> dict[int, PeriodTime]:
    """The rows of `TIME_QUERY` as the domain reads them, per manager (the one decoder)."""
    read: dict[int, PeriodTime] = {}
    segment_of = _SEGMENTS.__getitem__
    days: dict[Any, date] = {}
    for kind, manager_id, seller_id, segment, size, minutes, day, name in rows:
        period = read.get(manager_id)
        if period is None:
            period = read[manager_id] = PeriodTime(time=[], planned=[], roster=[])
        if kind == 1:
            period.roster.append(RosterSeller(seller_id, day, name, segment_of(segment)))
            continue
        found = days.get(day)
        if found is None:
            found = days[day] = date.fromisoformat(day)
        row = DayTime(found, SellerTime(seller_id, segment_of(segment), size, int(minutes)))
        (period.time if kind == 0 else period.planned).append(row)
    return read


class TimeRepository:
    """The time source for reports and the log for new entries."""

    def __init__(
        self, organisation: Organisation, *, actor: User | None = None, channel: str = "web"
    ) -> None:
        self.organisation = organisation
        self.actor = actor
        self.channel = channel

    def period_time(self, *, manager_id: int, first: date, last: date, now: datetime) -> PeriodTime:
        read = self.period_times(manager_ids=[manager_id], first=first, last=last, now=now)
        return read.get(manager_id) or PeriodTime(time=[], planned=[], roster=[])

    def period_times(
        self, *, manager_ids: Sequence[int], first: date, last: date, now: datetime
    ) -> dict[int, PeriodTime]:
        """The period of each manager, in one round trip (the director's teams page)."""
        if not manager_ids:
            return {}
        ensure_segments_through(self.organisation, last)
        first_, last_ = _day(first), _day(last)
        managers = list(manager_ids)
        params = [
            connection.ops.adapt_datetimefield_value(now),
            *managers,
            first_,
            last_,
            last_,
            last_,
            *managers,
            last_,
            first_,
            *managers,
            first_,
            last_,
        ]
        query = TIME_QUERY if len(managers) == 1 else time_query(len(managers))
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows = cursor.fetchall()
        return decode_time(rows)

    def atomic(self) -> AbstractContextManager[Any]:
        return transaction.atomic()

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> dict[SellerId, Employment]:
        rows = Seller.objects.filter(organisation=self.organisation, id__in=list(seller_ids))
        return {
            SellerId(pk): Employment(
                seller_id=SellerId(pk),
                name=name,
                started_on=started_on,
                ended_on=ended_on,
                on_team=team_manager == manager_id,
            )
            for pk, name, started_on, ended_on, team_manager in rows.values_list(
                "id", "name", "started_on", "ended_on", "team__manager_id"
            )
        }

    def add_entry(self, entry: TimeEntryValues) -> int:
        row = TimeEntry.objects.create(organisation=self.organisation, **entry_fields(entry))
        TimeEntrySeller.objects.bulk_create(
            [TimeEntrySeller(entry=row, seller_id=s) for s in entry.seller_ids]
        )
        return row.pk

    def stored_entry(self, entry_id: int, *, manager_id: int) -> TimeEntryValues | None:
        row = (
            TimeEntry.objects.filter(
                pk=entry_id, organisation=self.organisation, manager_id=manager_id
            )
            .prefetch_related("links")
            .first()
        )
        return (
            None if row is None else entry_values(row, [link.seller_id for link in row.links.all()])
        )

    def replace_entry(self, entry_id: int, entry: TimeEntryValues) -> None:
        TimeEntry.objects.filter(pk=entry_id, organisation=self.organisation).update(
            **entry_fields(entry)
        )
        TimeEntrySeller.objects.filter(entry_id=entry_id).delete()
        TimeEntrySeller.objects.bulk_create(
            [TimeEntrySeller(entry_id=entry_id, seller_id=s) for s in entry.seller_ids]
        )

    def remove_entry(self, entry_id: int) -> None:
        TimeEntry.objects.filter(pk=entry_id, organisation=self.organisation).delete()

    def audit(self, *, action: str, entry_id: int, changes: Mapping[str, Any]) -> None:
        record(
            action=action,
            object_type="time_entry",
            object_id=entry_id,
            organisation_id=self.organisation.pk,
            actor_id=self.actor.pk if self.actor is not None else None,
            actor_label=self.actor.email if self.actor is not None else "",
            channel=self.channel,
            changes=dict(changes),
        )


class TeamsTime:
    """The time source for many managers' pages at once: the first question about a period
    reads that period of every manager in one round trip, the others are answered from it."""

    def __init__(self, repository: TimeRepository, manager_ids: Sequence[int]) -> None:
        self.repository = repository
        self.manager_ids = list(dict.fromkeys(manager_ids))
        self._read: dict[tuple[date, date, datetime], dict[int, PeriodTime]] = {}

    def period_time(self, *, manager_id: int, first: date, last: date, now: datetime) -> PeriodTime:
        key = (first, last, now)
        if key not in self._read:
            self._read[key] = self.repository.period_times(
                manager_ids=self.manager_ids, first=first, last=last, now=now
            )
        return self._read[key].get(manager_id) or PeriodTime(time=[], planned=[], roster=[])


def entry_fields(entry: TimeEntryValues) -> dict[str, Any]:
    """A time entry's columns, as the one write path stores them."""
    return {
        "manager_id": entry.manager_id,
        "started_at": entry.started_at,
        "ended_at": entry.ended_at,
        "day": entry.day,
        "minutes": entry.minutes,
        "activity": entry.activity.value,
        "source": entry.source.value,
        "note": entry.note,
        "energy": entry.energy,
        "seller_count": len(entry.seller_ids),
        "calendar": entry.calendar,
        "external_key": entry.key,
    }


def entry_values(row: TimeEntry, seller_ids: Sequence[int]) -> TimeEntryValues:
    return TimeEntryValues(
        manager_id=row.manager_id,
        seller_ids=tuple(sorted(SellerId(s) for s in seller_ids)),
        started_at=row.started_at,
        ended_at=row.ended_at,
        day=row.day,
        minutes=row.minutes,
        activity=Activity(row.activity),
        source=Source(row.source),
        note=row.note,
        energy=row.energy,
        calendar=row.calendar,
        key=row.external_key,
    )
