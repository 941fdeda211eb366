"""What the sellers list and the seller page read: a fixed handful of queries, whatever the team size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Max, OuterRef, QuerySet, Subquery, Sum

from krutt.domain.activities import Activity, one_on_one_activities
from krutt.domain.messages import Message
from krutt.domain.months import Month, months_from
from krutt.domain.periods import Period, week_containing
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.web.messages import decode_message
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller
from krutt.web.timelog.models import TimeEntrySeller

SPARK_MONTHS = 12


@dataclass(frozen=True, kw_only=True)
class SellerRow:
    seller: Seller
    segment: Segment
    source: str
    reason: Message | None
    attainment: Fraction | None
    monthly: list[float | None]
    minutes: Fraction
    share: Fraction
    days_since_one_on_one: int | None


def _in_force(on: date) -> QuerySet[SegmentPeriod]:
    return SegmentPeriod.objects.filter(seller_id=OuterRef("pk"), valid_from__lte=on).order_by(
        "-valid_from"
    )


def with_current_segment(sellers: QuerySet[Seller], on: date) -> QuerySet[Seller]:
    """Each seller with the segment, reason and attainment in force on `on`."""
    period = _in_force(on)
    return sellers.annotate(
        segment_now=Subquery(period.values("segment")[:1]),
        segment_source=Subquery(period.values("source")[:1]),
        segment_reason=Subquery(period.values("reason")[:1]),
        segment_attainment=Subquery(period.values("attainment")[:1]),
    )


def monthly_attainment(seller_ids: list[int], months: list[Month]) -> dict[int, list[float | None]]:
    """Actual ÷ target per month, None where a number is missing."""
    values: dict[int, dict[Month, float | None]] = defaultdict(dict)
    rows = MonthlyResult.objects.filter(
        seller_id__in=seller_ids,
        month__gte=months[0].first_day(),
        month__lte=months[-1].first_day(),
    ).values_list("seller_id", "month", "target", "actual")
    for seller_id, month, target, actual in rows:
        if target and actual is not None and target > 0:
            values[seller_id][Month.of(month)] = float(actual / target)
    return {s: [values[s].get(m) for m in months] for s in seller_ids}


def time_received(
    seller_ids: list[int],
    manager_ids: list[int],
    period: Period,
    *,
    team_wide_above: int,
    now: datetime,
) -> dict[int, Fraction]:
    """Minutes each seller got from their managers in the period, as far as it has happened
    by `now` (a group entry split evenly; team-wide meetings are nobody's in particular, as
    in the report)."""
    sums: dict[int, Fraction] = defaultdict(Fraction)
    rows = (
        TimeEntrySeller.objects.filter(
            seller_id__in=seller_ids,
            entry__manager_id__in=manager_ids,
            entry__day__gte=period.first,
            entry__day__lte=period.last,
            entry__seller_count__lte=team_wide_above,
            entry__ended_at__lte=now,
        )
        .values_list("seller_id", "entry__seller_count")
        .annotate(minutes=Sum("entry__minutes"))
    )
    for seller_id, count, minutes in rows:
        sums[seller_id] += Fraction(minutes, count)
    return sums


def last_one_on_one(
    seller_ids: list[int],
    manager_ids: list[int],
    *,
    activities: frozenset[Activity],
    now: datetime,
    through: date | None = None,
) -> dict[int, date]:
    """Each seller's last 1:1 with one of the managers: an entry with that seller alone, under a
    1:1 activity, that has happened by `now` (and is on or before `through`, if given).

    Calendar imports bring standing meetings weeks ahead: those have not happened yet.
    """
    last: dict[int, date] = {}
    for (seller_id, _), day in last_one_on_one_by_manager(
        seller_ids, manager_ids, activities=activities, now=now, through=through
    ).items():
        if seller_id not in last or day > last[seller_id]:
            last[seller_id] = day
    return last


def last_one_on_one_by_manager(
    seller_ids: list[int],
    manager_ids: list[int],
    *,
    activities: frozenset[Activity],
    now: datetime,
    through: date | None = None,
) -> dict[tuple[int, int], date]:
    """`last_one_on_one` per (seller, manager): for several teams read in one query."""
    rows = TimeEntrySeller.objects.filter(
        seller_id__in=seller_ids,
        entry__manager_id__in=manager_ids,
        entry__seller_count=1,
        entry__activity__in=[a.value for a in activities],
        entry__ended_at__lte=now,
    )
    if through is not None:
        rows = rows.filter(entry__day__lte=through)
    return {
        (seller_id, manager_id): day
        for seller_id, manager_id, day in rows.values("seller_id", "entry__manager_id")
        .annotate(last=Max("entry__day"))
        .values_list("seller_id", "entry__manager_id", "last")
    }


def seller_rows(
    sellers: QuerySet[Seller],
    *,
    today: date,
    now: datetime,
    period: Period,
    manager_ids: list[int],
) -> list[SellerRow]:
    listed = list(
        with_current_segment(sellers.select_related("team", "organisation"), today).order_by("name")
    )
    ids = [s.pk for s in listed]
    months = months_from(Month.of(today).plus(-SPARK_MONTHS), Month.of(today).plus(-1))
    monthly = monthly_attainment(ids, months)
    team_wide_above = listed[0].organisation.team_wide_above if listed else 8
    minutes = time_received(ids, manager_ids, period, team_wide_above=team_wide_above, now=now)
    total = sum(minutes.values(), Fraction(0))
    organisation = listed[0].organisation if listed else None
    one_on_ones = last_one_on_one(
        ids,
        manager_ids,
        activities=one_on_one_activities(
            organisation.one_on_one_activities if organisation else None
        ),
        now=now,
    )
    rows = []
    for s in listed:
        annotated: Any = s
        got = minutes.get(s.pk, Fraction(0))
        last = one_on_ones.get(s.pk)
        rows.append(
            SellerRow(
                seller=s,
                segment=Segment(annotated.segment_now) if annotated.segment_now else Segment.NEW,
                source=annotated.segment_source or "rule",
                reason=decode_message(_json(annotated.segment_reason))
                if annotated.segment_reason
                else None,
                attainment=Fraction(annotated.segment_attainment)
                if annotated.segment_attainment
                else None,
                monthly=monthly.get(s.pk, []),
                minutes=got,
                share=got / total if total else Fraction(0),
                days_since_one_on_one=(today - last).days if last else None,
            )
        )
    return rows


def _json(value: Any) -> dict[str, Any]:
    # A JSONField read through a subquery arrives as text on some databases.
    if isinstance(value, str):
        import json

        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value)


SORTS = {
    "segment": lambda r: (SEGMENT_ORDER.index(r.segment), r.seller.name),
    "name": lambda r: (r.seller.name,),
    "attainment": lambda r: (-(r.attainment or Fraction(-1)), r.seller.name),
    "hours": lambda r: (-r.minutes, r.seller.name),
    "one_on_one": lambda r: (
        -(r.days_since_one_on_one if r.days_since_one_on_one is not None else 10**6),
        r.seller.name,
    ),
}


@dataclass(frozen=True, kw_only=True)
class SellerHistory:
    months: list[tuple[Month, Decimal | None, Decimal | None]]
    weeks: list[tuple[Period, Fraction]]
    activities: list[tuple[Activity, Fraction]]
    periods: list[SegmentPeriod]


def seller_history(
    seller: Seller, *, today: date, months: int = 24, weeks: int = 12
) -> SellerHistory:
    """Numbers by month, time by week and activity, segment changes: four queries."""
    span = months_from(Month.of(today).plus(-months), Month.of(today).plus(-1))
    numbers = {
        Month.of(m): (t, a)
        for m, t, a in MonthlyResult.objects.filter(
            seller=seller, month__gte=span[0].first_day(), month__lte=span[-1].first_day()
        ).values_list("month", "target", "actual")
    }
    this_week = week_containing(today)
    first = this_week.first - timedelta(weeks=weeks - 1)
    week_list = [
        Period(first=first + timedelta(weeks=i), last=first + timedelta(weeks=i, days=6))
        for i in range(weeks)
    ]
    per_week: dict[date, Fraction] = defaultdict(Fraction)
    per_activity: dict[str, Fraction] = defaultdict(Fraction)
    rows = (
        TimeEntrySeller.objects.filter(
            seller=seller,
            entry__day__gte=first,
            entry__day__lte=this_week.last,
            entry__seller_count__lte=seller.organisation.team_wide_above,
        )
        .values_list("entry__day", "entry__activity", "entry__seller_count")
        .annotate(minutes=Sum("entry__minutes"))
    )
    for day, activity, count, minutes in rows:
        share = Fraction(minutes, count)
        per_week[week_containing(day).first] += share
        per_activity[activity] += share
    periods = list(
        SegmentPeriod.objects.filter(seller=seller, valid_from__lte=today).order_by("-valid_from")[
            :36
        ]
    )
    return SellerHistory(
        months=[(m, *numbers.get(m, (None, None))) for m in span],
        weeks=[(w, per_week.get(w.first, Fraction(0))) for w in week_list],
        activities=sorted(((Activity(a), m) for a, m in per_activity.items()), key=lambda x: -x[1]),
        periods=periods,
    )
