"""Results scenarios: `krutt outcome` for one manager against the raw SQL floor, and the bootstrap.

Run alone with `python -m benchmarks.outcome` (builds the same synthetic organisation).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import connection

from benchmarks.timing import median_seconds, paired_medians
from krutt.domain.outcome import (
    DEFAULT_OUTCOME_RULES,
    outcome_window,
    seller_months,
)
from krutt.domain.outcome_stats import bootstrap_slope
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import SEGMENT_ORDER
from krutt.services.outcome import outcome_report

if TYPE_CHECKING:
    from benchmarks.synthetic import Synthetic

MONTH = {"sqlite": "strftime('%%Y-%%m', e.day)", "postgresql": "to_char(e.day, 'YYYY-MM')"}
FLOOR_SQL = (
    "SELECT l.seller_id, {month}, SUM(e.minutes * 1.0 / e.seller_count) "
    "FROM timelog_timeentryseller l JOIN timelog_timeentry e ON e.id = l.entry_id "
    "WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s GROUP BY l.seller_id, {month}"
)


def outcome_scenarios(data: Synthetic) -> list[dict[str, object]]:
    from krutt.web.outcome.repository import OutcomeRepository

    today = data.last_day
    manager_id = data.manager_ids[len(data.manager_ids) // 2]
    rules = DEFAULT_OUTCOME_RULES
    first, last = outcome_window(today=today, months=rules.months)
    source = OutcomeRepository(data.organisation)
    floor_sql = FLOOR_SQL.format(month=MONTH[connection.vendor])
    bounds = [
        manager_id,
        connection.ops.adapt_datefield_value(first.plus(-rules.leaver_months).first_day()),
        connection.ops.adapt_datefield_value(last.last_day()),
    ]

    def report() -> object:
        return outcome_report(manager_id=manager_id, today=today, policy=BIZTOOLS, source=source)

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, bounds)
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM timelog_timeentry e WHERE e.manager_id = %s AND e.day >= %s AND e.day <= %s",
            bounds,
        )
        entries = cursor.fetchone()[0]
    report_s, floor_s = paired_medians(report, floor, repeat=21)

    # The bootstrap on the manager's largest segment sample, at 1,000 resamples.
    window = source.outcome_data(
        manager_id=manager_id,
        first=first,
        last=last,
        weeks_from=today,
        weeks_until=today,
    )
    observed = seller_months(data=window, first=first, last=last, rules=rules)
    biggest = max(SEGMENT_ORDER, key=lambda s: sum(o.segment is s for o in observed))
    rows = [o for o in observed if o.segment is biggest]
    xs = [float(o.coaching_hours) for o in rows]
    ys = [float(o.change) for o in rows]
    boot_s = median_seconds(lambda: bootstrap_slope(xs, ys, resamples=1000), repeat=15)
    return [
        {
            "scenario": f"krutt outcome, one manager ({rules.months} months)",
            "entries_read": entries,
            "krutt_ms": round(report_s * 1000, 2),
            "baseline": "one raw SQL query summing the manager's minutes per seller per month",
            "baseline_ms": round(floor_s * 1000, 2),
            "ratio": round(report_s / floor_s, 2),
            "goal": "ratio <= 5",
            "met": report_s / floor_s <= 5,
        },
        {
            "scenario": "coaching slope bootstrap, 1,000 resamples",
            "seller_months": len(rows),
            "median_ms": round(boot_s * 1000, 2),
            "goal": "< 50 ms",
            "met": boot_s < 0.05,
        },
    ]


def main() -> int:
    import os
    import tempfile

    scratch = tempfile.mkdtemp(prefix="krutt-bench-")
    os.environ.setdefault("KRUTT_DATA_DIR", scratch)
    os.environ.setdefault("KRUTT_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    from krutt.web import runtime

    runtime.setup()
    runtime.migrate()
    from benchmarks.synthetic import Scale, build

    scale = Scale(
        managers=int(os.environ.get("BENCH_MANAGERS", 100)),
        entries=int(os.environ.get("BENCH_ENTRIES", 500_000)),
    )
    data = build(scale, today=date.today())
    print(f"synthetic organisation: {scale} on {connection.vendor}")
    for item in outcome_scenarios(data):
        print()
        for key, value in item.items():
            print(f"  {key:<22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
