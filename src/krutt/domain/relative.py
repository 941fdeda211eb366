"""The benchmark for sellers without targets: what their established team-mates sell.

PRODUCT.md: without targets, attainment is relative performance, the seller's actual
÷ the median actual of the team's established sellers. Per month, so the window sums
compare like with like: a seller's months against the team's same months.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from krutt.domain.months import Month
from krutt.domain.segmentation import SegmentationRules, established_on
from krutt.domain.sellers import MonthlyResult, SellerProfile


def has_untargeted_actuals(results: Iterable[MonthlyResult]) -> bool:
    """Whether any month has sales but no target: only then is the team's median needed."""
    return any(r.actual is not None and not r.target for r in results)


def team_medians(
    members: Iterable[tuple[SellerProfile, Sequence[MonthlyResult]]], rules: SegmentationRules
) -> dict[Month, Decimal]:
    """Per month, the median actual of the sellers who were past their ramp that month.

    Months where no established seller reported sales, or the median is 0, have no
    benchmark: a ratio to nothing says nothing.
    """
    actuals: dict[Month, list[Decimal]] = defaultdict(list)
    for profile, results in members:
        established = established_on(profile, rules)
        for r in results:
            if r.actual is not None and r.month.first_day() >= established:
                actuals[r.month].append(r.actual)
    medians: dict[Month, Decimal] = {}
    for month, values in actuals.items():
        median = Decimal(statistics.median(values))
        if median > 0:
            medians[month] = median
    return medians
