"""What the Results page reads for one manager, in six set-based queries (no query per seller).

Minutes are summed in SQL per seller, month, segment of the entry's day, coaching-type or
not, and entry size; energy per week, segment, entry size and rating. The rules then run
over those few hundred rows in Python (`domain.outcome`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

from krutt.domain.months import Month
from krutt.domain.outcome import (
    COACHING_ACTIVITIES,
    MonthTime,
    OutcomeData,
    OutcomeSeller,
    SegmentSpan,
    WeekEnergy,
)
from krutt.domain.ramp import RampHistory
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller, Team
from krutt.web.sellers.refresh import ensure_segments_through

_SEGMENTS: dict[str | None, Segment] = {s.value: s for s in Segment}
_SEGMENTS[None] = Segment.NEW  # no stored period covers the day: before the first, counted as new

SEGMENT_OF_DAY = (
    "(SELECT p.segment FROM sellers_segmentperiod p WHERE p.seller_id = l.seller_id "
    "AND p.valid_from <= e.day ORDER BY p.valid_from DESC LIMIT 1)"
)
MONTH_SQL = (
    "SELECT t.seller_id, t.month, t.segment, t.coaching, t.seller_count, SUM(t.minutes) FROM ("
    "SELECT l.seller_id, {month} AS month, {segment} AS segment, "
    "CASE WHEN e.activity IN ({coaching}) THEN 1 ELSE 0 END AS coaching, "
    "e.seller_count, e.minutes "
    "FROM timelog_timeentry e JOIN timelog_timeentryseller l ON l.entry_id = e.id "
    "WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s AND {sellers}) t "
    "GROUP BY t.seller_id, t.month, t.segment, t.coaching, t.seller_count"
)
WEEK_SQL = (
    "SELECT t.week, t.segment, t.seller_count, t.energy, SUM(t.minutes) FROM ("
    "SELECT {week} AS week, {segment} AS segment, e.seller_count, e.energy, e.minutes "
    "FROM timelog_timeentry e JOIN timelog_timeentryseller l ON l.entry_id = e.id "
    "WHERE e.manager_id = %s AND e.day >= %s AND e.day < %s AND {sellers}) t "
    "GROUP BY t.week, t.segment, t.seller_count, t.energy"
)
# Fixed enum values, never user input.
COACHING_LIST = ", ".join(f"'{a.value}'" for a in sorted(COACHING_ACTIVITIES))
# The month as YYYY-MM and the week as its Monday, in each database's own words.
_EXPRESSIONS = {
    "sqlite": ("strftime('%%Y-%%m', e.day)", "date(e.day, 'weekday 0', '-6 days')"),
    "postgresql": ("to_char(e.day, 'YYYY-MM')", "CAST(date_trunc('week', e.day) AS DATE)"),
}


# Only the sellers of the teams in scope (a director sees a team, not all its manager's teams).
SELLERS_OF_TEAMS = "l.seller_id IN (SELECT s.id FROM sellers_seller s WHERE s.team_id IN ({teams}))"


def _queries(teams: int) -> tuple[str, str]:
    month, week = _EXPRESSIONS[connection.vendor]
    sellers = SELLERS_OF_TEAMS.format(teams=", ".join(["%s"] * teams))
    return (
        MONTH_SQL.format(
            month=month, segment=SEGMENT_OF_DAY, coaching=COACHING_LIST, sellers=sellers
        ),
        WEEK_SQL.format(week=week, segment=SEGMENT_OF_DAY, sellers=sellers),
    )


def _day(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class OutcomeRepository:
    """The Results source for one organisation: the manager's teams, or only `team_ids` of them."""

    def __init__(self, organisation: Organisation, team_ids: Sequence[int] | None = None) -> None:
        self.organisation = organisation
        self.team_ids = None if team_ids is None else list(team_ids)

    def outcome_data(
        self, *, manager_id: int, first: Month, last: Month, weeks_from: date, weeks_until: date
    ) -> OutcomeData:
        ensure_segments_through(self.organisation, max(last.last_day(), weeks_until))
        teams = list(
            Team.objects.filter(organisation=self.organisation, manager_id=manager_id)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if self.team_ids is not None:
            teams = [t for t in teams if t in self.team_ids]
        if not teams:
            return OutcomeData(sellers=[], spans=[], results={}, time=[], energy=[])
        sellers = [
            OutcomeSeller(
                seller_id=SellerId(pk),
                email=email,
                name=name,
                started_on=started,
                ended_on=ended,
            )
            for pk, email, name, started, ended in Seller.objects.filter(
                organisation=self.organisation, team_id__in=teams
            )
            .order_by("id")
            .values_list("id", "email", "name", "started_on", "ended_on")
        ]
        ids = [s.seller_id for s in sellers]
        spans = [
            SegmentSpan(
                seller_id=SellerId(seller_id), valid_from=valid_from, segment=_SEGMENTS[seg]
            )
            for seller_id, valid_from, seg in SegmentPeriod.objects.filter(seller_id__in=ids)
            .order_by("seller_id", "valid_from")
            .values_list("seller_id", "valid_from", "segment")
        ]
        results: dict[SellerId, list[MonthlyValue]] = defaultdict(list)
        for seller_id, month, target, actual in MonthlyResult.objects.filter(
            seller_id__in=ids, month__lte=last.first_day()
        ).values_list("seller_id", "month", "target", "actual"):
            results[SellerId(seller_id)].append(
                MonthlyValue(month=Month.of(month), target=target, actual=actual)
            )
        month_sql, week_sql = _queries(len(teams))
        with connection.cursor() as cursor:
            cursor.execute(
                month_sql, [manager_id, _day(first.first_day()), _day(last.last_day()), *teams]
            )
            month_rows = cursor.fetchall()
            cursor.execute(week_sql, [manager_id, _day(weeks_from), _day(weeks_until), *teams])
            week_rows = cursor.fetchall()
        time = [
            MonthTime(
                seller_id=SellerId(seller_id),
                month=Month.parse(month),
                segment=_SEGMENTS[segment],
                coaching=bool(coaching),
                sellers_in_entry=int(size),
                minutes=int(minutes),
            )
            for seller_id, month, segment, coaching, size, minutes in month_rows
        ]
        energy = [
            WeekEnergy(
                week=_date(week),
                segment=_SEGMENTS[segment],
                sellers_in_entry=int(size),
                energy=int(rating) if rating is not None else None,
                minutes=int(minutes),
            )
            for week, segment, size, rating, minutes in week_rows
        ]
        return OutcomeData(
            sellers=sellers,
            spans=spans,
            results=dict(results),
            time=time,
            energy=energy,
            ramp_histories=[
                RampHistory(
                    seller_id=s.seller_id,
                    started_on=s.started_on,
                    results=results.get(s.seller_id, []),
                )
                for s in sellers
            ],
        )
