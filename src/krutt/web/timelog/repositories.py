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

# The one read of time for the report, the overview and the trend, in one round trip:
# minutes per day, seller, segment the seller had on that day and entry size, as
# happened (kind 0: the entry has ended by `now`) or planned (kind 2); then (kind 1)
# each seller on the team during the period, and each seller who got time in it but
# has since moved team, with the segment of their last day in the period.
TIME_SQL = """
SELECT t.kind, t.seller_id, t.segment, t.seller_count, SUM(t.minutes), CAST(t.day AS VARCHAR(10)), NULL
FROM (
    SELECT CASE WHEN e.ended_at <= %s THEN 0 ELSE 2 END AS kind,
           l.seller_id, e.seller_count, e.minutes, e.day,
           (SELECT p.segment FROM sellers_segmentperiod p
            WHERE p.seller_id = l.seller_id AND p.valid_from <= e.day
            ORDER BY p.valid_from DESC LIMIT 1) AS segment
    FROM timelog_timeentry e
    JOIN timelog_timeentryseller l ON l.entry_id = e.id
    WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s
) t
GROUP BY t.kind, t.seller_id, t.segment, t.seller_count, t.day
UNION ALL
SELECT 1, s.id,
       (SELECT p.segment FROM sellers_segmentperiod p
        WHERE p.seller_id = s.id
          AND p.valid_from <= CASE WHEN s.ended_on IS NOT NULL AND s.ended_on < %s THEN s.ended_on ELSE %s END
        ORDER BY p.valid_from DESC LIMIT 1),
       NULL, NULL, s.email, s.name
FROM sellers_seller s
WHERE (s.team_id IN (SELECT id FROM sellers_team WHERE manager_id = %s)
       AND s.started_on <= %s AND (s.ended_on IS NULL OR s.ended_on >= %s))
   OR s.id IN (SELECT l.seller_id FROM timelog_timeentryseller l
               JOIN timelog_timeentry e ON e.id = l.entry_id
               WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s)
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
TIME_QUERY = " ".join(TIME_SQL.split())


def _day(value: date) -> Any:
    # The ORM's own adaptation (an ISO string on SQLite, a date on PostgreSQL): sqlite3's
    # default date adapter is deprecated and costs more than the query's index seeks.
    return connection.ops.adapt_datefield_value(value)


def decode_time(rows: Sequence[tuple[Any, ...]]) -> PeriodTime:
    """The rows of `TIME_QUERY` as the domain reads them (the one decoder)."""
    happened: list[DayTime] = []
    planned: list[DayTime] = []
    roster: list[RosterSeller] = []
    segment_of = _SEGMENTS.__getitem__
    days: dict[Any, date] = {}
    for kind, seller_id, segment, size, minutes, day, name in rows:
        if kind == 1:
            roster.append(RosterSeller(seller_id, day, name, segment_of(segment)))
            continue
        found = days.get(day)
        if found is None:
            found = days[day] = date.fromisoformat(day)
        row = DayTime(found, SellerTime(seller_id, segment_of(segment), size, int(minutes)))
        (happened if kind == 0 else planned).append(row)
    return PeriodTime(time=happened, planned=planned, roster=roster)


class TimeRepository:
    """The time source for reports and the log for new entries."""

    def __init__(
        self, organisation: Organisation, *, actor: User | None = None, channel: str = "web"
    ) -> None:
        self.organisation = organisation
        self.actor = actor
        self.channel = channel

    def period_time(self, *, manager_id: int, first: date, last: date, now: datetime) -> PeriodTime:
        ensure_segments_through(self.organisation, last)
        first_, last_ = _day(first), _day(last)
        params = [
            connection.ops.adapt_datetimefield_value(now),
            manager_id,
            first_,
            last_,
            last_,
            last_,
            manager_id,
            last_,
            first_,
            manager_id,
            first_,
            last_,
        ]
        with connection.cursor() as cursor:
            cursor.execute(TIME_QUERY, params)
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
