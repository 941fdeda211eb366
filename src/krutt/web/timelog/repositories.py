"""Rows ↔ domain values for time entries, scoped to one organisation.

The report's two reads are hand-written SQL: they run on every dashboard view and
must stay close to the cost of a single aggregate query (see `make bench`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

from krutt.domain.allocation import RosterSeller, SellerTime
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.log_time import NewTimeEntry
from krutt.services.ports import PeriodTime
from krutt.services.team_overview import DailyTime
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller
from krutt.web.sellers.refresh import ensure_segments_through
from krutt.web.sellers.repositories import employed_between
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller

# One round trip for the report: minutes per seller, per segment the seller had on the
# entry's day and per entry size (kind 0), then each seller on the team with the segment
# of their last day in the period (kind 1).
PERIOD_SQL = """
SELECT 0, t.seller_id, t.segment, t.seller_count, SUM(t.minutes), NULL, NULL
FROM (
    SELECT l.seller_id, e.seller_count, e.minutes,
           (SELECT p.segment FROM sellers_segmentperiod p
            WHERE p.seller_id = l.seller_id AND p.valid_from <= e.day
            ORDER BY p.valid_from DESC LIMIT 1) AS segment
    FROM timelog_timeentry e
    JOIN timelog_timeentryseller l ON l.entry_id = e.id
    WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s
) t
GROUP BY t.seller_id, t.segment, t.seller_count
UNION ALL
{roster}
"""

# The segment in force on a day is the period with the latest start on or before it: one
# index seek on (seller, valid_from) per row.
ROSTER_SQL = """
SELECT 1, s.id,
       (SELECT p.segment FROM sellers_segmentperiod p
        WHERE p.seller_id = s.id
          AND p.valid_from <= CASE WHEN s.ended_on IS NOT NULL AND s.ended_on < %s THEN s.ended_on ELSE %s END
        ORDER BY p.valid_from DESC LIMIT 1),
       NULL, NULL, s.email, s.name
FROM sellers_seller s
WHERE {where}
"""
DAILY_SQL = """
SELECT 0, t.seller_id, t.segment, t.seller_count, SUM(t.minutes), CAST(t.day AS VARCHAR(10)), NULL
FROM (
    SELECT l.seller_id, e.seller_count, e.minutes, e.day,
           (SELECT p.segment FROM sellers_segmentperiod p
            WHERE p.seller_id = l.seller_id AND p.valid_from <= e.day
            ORDER BY p.valid_from DESC LIMIT 1) AS segment
    FROM timelog_timeentry e
    JOIN timelog_timeentryseller l ON l.entry_id = e.id
    WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s
) t
GROUP BY t.seller_id, t.segment, t.seller_count, t.day
UNION ALL
{roster}
"""
# On the dashboard, sellers who got time in the window but have since moved team keep a row.
TEAM_OR_TIME_SELLERS = (
    "(s.team_id IN (SELECT id FROM sellers_team WHERE manager_id = %s) "
    "AND s.started_on <= %s AND (s.ended_on IS NULL OR s.ended_on >= %s)) "
    "OR s.id IN (SELECT l.seller_id FROM timelog_timeentryseller l JOIN timelog_timeentry e ON e.id = l.entry_id "
    "WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s)"
)
TEAM_SELLERS = (
    "s.team_id IN (SELECT id FROM sellers_team WHERE manager_id = %s) "
    "AND s.started_on <= %s AND (s.ended_on IS NULL OR s.ended_on >= %s)"
)


# A dict lookup rather than Segment(value): the enum call is measurable on every page view.
_SEGMENTS: dict[str | None, Segment] = {s.value: s for s in Segment}
# No stored period covers the day: time before the seller's first day counts as new.
_SEGMENTS[None] = Segment.NEW

# One line each: Django rewrites the placeholders of every statement with a regex on each
# execution, and the indentation alone was a third of what it scanned.
PERIOD_QUERY = " ".join(PERIOD_SQL.format(roster=ROSTER_SQL.format(where=TEAM_SELLERS)).split())
DAILY_QUERY = " ".join(
    DAILY_SQL.format(roster=ROSTER_SQL.format(where=TEAM_OR_TIME_SELLERS)).split()
)


def _segment(value: str | None) -> Segment:
    return _SEGMENTS[value]


def _day(value: date) -> Any:
    # The ORM's own adaptation (an ISO string on SQLite, a date on PostgreSQL): sqlite3's
    # default date adapter is deprecated and costs more than the query's index seeks.
    return connection.ops.adapt_datefield_value(value)


class TimeRepository:
    """The time source for reports and the log for new entries."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def period_time(self, *, manager_id: int, first: date, last: date) -> PeriodTime:
        ensure_segments_through(self.organisation, last)
        sql = PERIOD_QUERY
        first_, last_ = _day(first), _day(last)
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [manager_id, first_, last_, last_, last_, manager_id, last_, first_]
            )
            rows = cursor.fetchall()
        time: list[SellerTime] = []
        roster: list[RosterSeller] = []
        segment_of = _SEGMENTS.__getitem__
        for kind, seller_id, segment, size, minutes, email, name in rows:
            if kind == 0:
                time.append(SellerTime(seller_id, segment_of(segment), size, int(minutes)))
            else:
                roster.append(RosterSeller(seller_id, email, name, segment_of(segment)))
        return PeriodTime(time=time, roster=roster)

    def daily_time(self, *, manager_id: int, first: date, last: date) -> DailyTime:
        ensure_segments_through(self.organisation, last)
        sql = DAILY_QUERY
        first_, last_ = _day(first), _day(last)
        params: list[Any] = [
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
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        time: list[tuple[date, SellerTime]] = []
        roster: list[RosterSeller] = []
        for kind, seller_id, segment, size, minutes, extra, name in rows:
            if kind == 0:
                day = extra if isinstance(extra, date) else date.fromisoformat(extra)
                time.append(
                    (
                        day,
                        SellerTime(
                            seller_id=SellerId(seller_id),
                            segment=_segment(segment),
                            sellers_in_entry=size,
                            minutes=int(minutes),
                        ),
                    )
                )
            else:
                roster.append(
                    RosterSeller(
                        seller_id=SellerId(seller_id),
                        email=extra,
                        name=name,
                        segment_at_end=_segment(segment),
                    )
                )
        return DailyTime(time=time, roster=roster)

    def roster_of(self, seller_ids: Sequence[SellerId], *, last: date) -> list[RosterSeller]:
        marks = ", ".join(["%s"] * len(seller_ids))
        sql = ROSTER_SQL.format(where=f"s.organisation_id = %s AND s.id IN ({marks})")
        with connection.cursor() as cursor:
            cursor.execute(sql, [_day(last), _day(last), self.organisation.pk, *seller_ids])
            rows = cursor.fetchall()
        return [
            RosterSeller(
                seller_id=SellerId(pk), email=email, name=name, segment_at_end=_segment(segment)
            )
            for _, pk, segment, _, _, email, name in rows
        ]

    def sellers_on_team(
        self, *, manager_id: int, seller_ids: Sequence[SellerId], day: date
    ) -> set[SellerId]:
        return {
            SellerId(pk)
            for pk in Seller.objects.filter(
                organisation=self.organisation, team__manager_id=manager_id, id__in=list(seller_ids)
            )
            .filter(employed_between(day, day))
            .values_list("id", flat=True)
        }

    def seller_label(self, seller_id: SellerId) -> str:
        seller = Seller.objects.get(organisation=self.organisation, id=seller_id)
        return f"{seller.name} <{seller.email}>"

    def add_entry(self, entry: NewTimeEntry) -> int:
        row = TimeEntry.objects.create(
            organisation=self.organisation,
            manager_id=entry.manager_id,
            started_at=entry.started_at,
            day=entry.day,
            minutes=entry.minutes,
            activity=entry.activity.value,
            source=entry.source,
            note=entry.note,
            energy=entry.energy,
            seller_count=len(entry.seller_ids),
        )
        TimeEntrySeller.objects.bulk_create(
            [TimeEntrySeller(entry=row, seller_id=s) for s in entry.seller_ids]
        )
        return row.pk

    def replace_entry(self, entry_id: int, entry: NewTimeEntry) -> None:
        row = TimeEntry.objects.get(
            pk=entry_id, organisation=self.organisation, manager_id=entry.manager_id
        )
        row.started_at = entry.started_at
        row.day = entry.day
        row.minutes = entry.minutes
        row.activity = entry.activity.value
        row.note = entry.note
        row.energy = entry.energy
        row.seller_count = len(entry.seller_ids)
        row.save()
        TimeEntrySeller.objects.filter(entry=row).delete()
        TimeEntrySeller.objects.bulk_create(
            [TimeEntrySeller(entry=row, seller_id=s) for s in entry.seller_ids]
        )
