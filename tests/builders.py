"""Plain builders for domain values: each takes overrides for just what a test is about."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from krutt.domain.allocation import RosterSeller, TimeFact
from krutt.domain.months import Month
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult, SellerId, SellerProfile


def make_profile(seller_id: int = 1, started_on: date = date(2018, 1, 15)) -> SellerProfile:
    return SellerProfile(seller_id=SellerId(seller_id), started_on=started_on)


def make_rules(**overrides: Any) -> SegmentationRules:
    return SegmentationRules(**overrides)


def steady_results(
    first: str, last: str, *, attainment: str | Fraction, target: int = 100_000
) -> list[MonthlyResult]:
    """Every month from `first` to `last` with the same target and attainment."""
    start, end = Month.parse(first), Month.parse(last)
    actual = Decimal(target) * Decimal(str(float(Fraction(attainment))))
    return [
        MonthlyResult(month=Month.from_index(i), target=Decimal(target), actual=actual)
        for i in range(start.index, end.index + 1)
    ]


def monthly(values: dict[str, tuple[int | None, int | None]]) -> list[MonthlyResult]:
    """Results from {"2026-05": (target, actual)}."""
    return [
        MonthlyResult(
            month=Month.parse(m),
            target=Decimal(t) if t is not None else None,
            actual=Decimal(a) if a is not None else None,
        )
        for m, (t, a) in values.items()
    ]


def make_roster_seller(
    seller_id: int, segment: Segment = Segment.CORE, **overrides: Any
) -> RosterSeller:
    fields: dict[str, Any] = {
        "seller_id": SellerId(seller_id),
        "email": f"s{seller_id}@x.no",
        "name": f"Seller {seller_id}",
        "segment_at_end": segment,
    }
    fields.update(overrides)
    return RosterSeller(**fields)


def make_fact(
    entry_id: int, minutes: int, *sellers: int, day: date = date(2026, 11, 17)
) -> TimeFact:
    return TimeFact(
        entry_id=entry_id, day=day, minutes=minutes, seller_ids=tuple(SellerId(s) for s in sellers)
    )
