"""Sellers without targets are judged against the median of their established team-mates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.relative import has_untargeted_actuals, team_medians
from krutt.domain.segmentation import SegmentationRules, assess_segment
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult
from tests.builders import make_profile, steady_results

RULES = SegmentationRules()
NOV_2 = date(2026, 11, 2)  # window May–October 2026


def sales_only(first: str, last: str, amount: int) -> list[MonthlyResult]:
    start, end = Month.parse(first), Month.parse(last)
    return [
        MonthlyResult(month=Month.from_index(i), target=None, actual=Decimal(amount))
        for i in range(start.index, end.index + 1)
    ]


def test_the_median_counts_only_sellers_past_their_ramp_that_month():
    veteran = (make_profile(1), sales_only("2026-05", "2026-10", 100))
    other = (make_profile(2), sales_only("2026-05", "2026-10", 300))
    rookie = (make_profile(3, date(2026, 7, 1)), sales_only("2026-07", "2026-10", 5))
    medians = team_medians([veteran, other, rookie], RULES)
    # Two established sellers: the median is their mean; the rookie's 5 never lowers it.
    assert medians[Month(2026, 10)] == Decimal(200)
    assert set(medians) == {Month(2026, m) for m in range(5, 11)}


def test_a_month_where_the_team_sold_nothing_has_no_benchmark():
    idle = (make_profile(1), sales_only("2026-05", "2026-05", 0))
    assert team_medians([idle], RULES) == {}


def test_without_targets_a_seller_is_judged_against_the_team_median():
    medians = {Month(2026, m): Decimal(100_000) for m in range(5, 11)}
    cases = {60_000: Segment.UNDER, 85_000: Segment.CORE, 120_000: Segment.TOP}
    for amount, segment in cases.items():
        assessed = assess_segment(
            profile=make_profile(),
            results=sales_only("2026-05", "2026-10", amount),
            rules=RULES,
            on=NOV_2,
            team_medians=medians,
        )
        assert assessed.segment is segment, amount
        assert (assessed.attainment, assessed.months_of_data) == (Fraction(amount, 100_000), 6)
    top = assess_segment(
        profile=make_profile(),
        results=sales_only("2026-05", "2026-10", 120_000),
        rules=RULES,
        on=NOV_2,
        team_medians=medians,
    )
    assert render_plain(top.reason) == (
        "No targets: sales 120% of the team median over 6 months (top from 100%)."
    )


def test_without_a_team_benchmark_sales_alone_are_no_performance_data():
    assessed = assess_segment(
        profile=make_profile(), results=sales_only("2026-05", "2026-10", 1), rules=RULES, on=NOV_2
    )
    assert (assessed.segment, assessed.attainment) == (Segment.CORE, None)
    assert render_plain(assessed.reason).startswith("No performance data")


def test_targets_where_they_exist_beat_the_team_median():
    # Two months with a target (at 50 %) and four months of sales without one.
    results = steady_results("2026-05", "2026-06", attainment="0.5") + sales_only(
        "2026-07", "2026-10", 500_000
    )
    medians = {Month(2026, m): Decimal(100_000) for m in range(5, 11)}
    assessed = assess_segment(
        profile=make_profile(), results=results, rules=RULES, on=NOV_2, team_medians=medians
    )
    assert (assessed.attainment, assessed.months_of_data) == (Fraction(1, 2), 2)


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=12))
def test_the_median_lies_between_the_lowest_and_highest_established_sales(amounts):
    members = [
        (make_profile(i), sales_only("2026-05", "2026-05", a)) for i, a in enumerate(amounts, 1)
    ]
    median = team_medians(members, RULES).get(Month(2026, 5))
    assert median is None or (median > 0 and min(amounts) <= median <= max(amounts))
    # No benchmark only when the middle of the team sold nothing.
    middle = sorted(amounts)[(len(amounts) - 1) // 2 : len(amounts) // 2 + 1]
    assert (median is None) == (sum(middle) == 0)
    assert has_untargeted_actuals(members[0][1])
