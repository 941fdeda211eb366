"""Foundation scenarios: one manager's weekly report, and the organisation-wide segment refresh."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

from benchmarks.synthetic import Synthetic
from benchmarks.timing import once, paired_medians
from krutt.domain.periods import week_containing
from krutt.domain.policy import BIZTOOLS
from krutt.services.allocation_report import allocation_report
from krutt.web.sellers.models import SegmentPeriod
from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon
from krutt.web.timelog.repositories import TimeRepository

FLOOR_SQL = (
    "SELECT l.seller_id, SUM(e.minutes * 1.0 / e.seller_count) FROM timelog_timeentryseller l "
    "JOIN timelog_timeentry e ON e.id = l.entry_id "
    "WHERE e.manager_id = %s AND e.started_at >= %s AND e.started_at < %s GROUP BY l.seller_id"
)


def weekly_report(data: Synthetic) -> dict[str, object]:
    """(a) One manager's weekly report vs the single SQL query that sums their minutes per seller."""
    zone = ZoneInfo(data.organisation.time_zone)
    period = week_containing(data.last_day - timedelta(days=90))
    manager_id = data.manager_ids[len(data.manager_ids) // 2]
    start = datetime.combine(period.first, time.min, tzinfo=zone)
    end = start + timedelta(days=period.days)
    source = TimeRepository(data.organisation)

    def report() -> object:
        return allocation_report(
            manager_id=manager_id, period=period, policy=BIZTOOLS, source=source, now=end
        )

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [manager_id, start, end])
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM timelog_timeentry WHERE manager_id = %s AND started_at >= %s AND started_at < %s",
            [manager_id, start, end],
        )
        entries = cursor.fetchone()[0]
    report_s, floor_s = paired_medians(report, floor)
    return {
        "scenario": "weekly report, one manager",
        "entries_in_week": entries,
        "krutt_ms": round(report_s * 1000, 3),
        "baseline": "one raw SQL query summing the manager's minutes per seller for the week",
        "baseline_ms": round(floor_s * 1000, 3),
        "ratio": round(report_s / floor_s, 2),
        "goal": "ratio <= 3",
        "met": report_s / floor_s <= 3,
    }


def segment_refresh(data: Synthetic) -> dict[str, object]:
    """(b) Recomputing every seller's segment history, cold (nothing stored) and warm (nothing changed)."""
    organisation = data.organisation
    through = segment_horizon(organisation, data.last_day)
    sellers = organisation.sellers.count()
    SegmentPeriod.objects.filter(seller__organisation=organisation).delete()
    cold = once(lambda: refresh_organisation_segments(organisation, through=through))
    warm = once(lambda: refresh_organisation_segments(organisation, through=through))
    per_seller_ms = cold / sellers * 1000
    return {
        "scenario": "segment refresh, whole organisation",
        "sellers": sellers,
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "cold_ms_per_seller": round(per_seller_ms, 3),
        "warm_ms_per_seller": round(warm / sellers * 1000, 3),
        "goal": "<= 1 ms per seller",
        "met": per_seller_ms <= 1,
    }
