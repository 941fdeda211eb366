"""Planning scenarios: one plan with a full calendar, and a plan for every manager in a row."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from benchmarks.synthetic import Synthetic
from benchmarks.timing import median_seconds
from krutt.domain.periods import week_containing
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import SEGMENT_ORDER
from krutt.domain.sellers import SellerId
from krutt.domain.team import TeamSeller
from krutt.domain.workweek import Busy
from krutt.services.plan_week import plan_week
from krutt.web.accounts.models import User
from krutt.web.clock import SystemClock
from krutt.web.planning.plans import propose

OSLO = ZoneInfo("Europe/Oslo")


def one_plan() -> dict[str, object]:
    """15 sellers, 200 busy events in the week (a packed calendar), 10 hours to place."""
    rng = random.Random(3)
    week = week_containing(date.today() + timedelta(days=7))
    team = [
        TeamSeller(
            seller_id=SellerId(i),
            email=f"s{i}@x.no",
            name=f"Seller {i}",
            segment=SEGMENT_ORDER[i % 4],
            started_on=date(2020, 1, 1),
            received_minutes=Fraction(rng.randrange(0, 600)),
        )
        for i in range(1, 16)
    ]
    busy = []
    for _ in range(200):
        day = week.first + timedelta(days=rng.randrange(5))
        start = datetime.combine(day, datetime.min.time(), OSLO) + timedelta(
            minutes=rng.randrange(7 * 60, 17 * 60, 15)
        )
        busy.append(Busy(start=start, end=start + timedelta(minutes=rng.choice((15, 30, 45)))))

    def plan() -> object:
        return plan_week(week=week, hours=10, policy=BIZTOOLS, zone=OSLO, team=team, busy=busy)

    seconds = median_seconds(plan, repeat=30)
    return {
        "scenario": "plan, one manager (15 sellers, 200 busy events, 10 h)",
        "median_ms": round(seconds * 1000, 2),
        "goal": "< 50 ms per manager",
        "met": seconds < 0.05,
    }


def every_manager(data: Synthetic) -> dict[str, object]:
    """A plan for each of the organisation's managers, read from the database, one after another."""
    managers = list(User.objects.filter(pk__in=data.manager_ids).select_related("organisation"))
    week = week_containing(data.last_day + timedelta(days=7))
    now = SystemClock().now()
    times = []
    start = time.perf_counter()
    for manager in managers:
        t0 = time.perf_counter()
        propose(manager, week=week, hours=Decimal(8), now=now)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    per_manager = total / len(managers)
    return {
        "scenario": f"plan for {len(managers)} managers in a row (database reads included)",
        "total_s": round(total, 3),
        "per_manager_ms": round(per_manager * 1000, 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 2),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "goal": "< 50 ms per manager",
        "met": per_manager < 0.05,
    }
