"""The team's ramp curve: one definition for the Results page and the slow-ramp alert."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.months import Month
from krutt.domain.outcome import OutcomeData, OutcomeSeller, ramp_rows
from krutt.domain.ramp import RampHistory, check_ramp, ramp_curve
from krutt.domain.sellers import SellerId
from tests.builders import steady_results


def hire(
    n: int, attainment: str, started: date = date(2024, 1, 1), last: str = "2024-12"
) -> RampHistory:
    return RampHistory(
        seller_id=SellerId(n),
        started_on=started,
        results=steady_results(f"{started:%Y-%m}", last, attainment=attainment),
    )


def test_the_curve_is_the_median_and_quartiles_of_hires_with_a_full_first_year():
    # Given four earlier hires with twelve months each, and one with only eleven
    cohort = [hire(1, "0.4"), hire(2, "0.6"), hire(3, "0.8"), hire(4, "1.0")]
    short = hire(5, "2.0", last="2024-11")
    curve = ramp_curve([*cohort, short])
    # Then the short one is not in the cohort, and each point is over the four
    assert curve.cohort == (SellerId(1), SellerId(2), SellerId(3), SellerId(4))
    assert len(curve.points) == 12
    point = curve.at(6)
    assert point is not None
    assert (point.tenure_month, point.size) == (6, 4)
    assert (point.q1, point.median, point.q3) == (
        Fraction(11, 20),
        Fraction(7, 10),
        Fraction(17, 20),
    )
    assert curve.at(13) is None


def test_a_seller_starting_mid_month_counts_from_their_first_full_month():
    late = RampHistory(
        seller_id=SellerId(9),
        started_on=date(2024, 1, 15),
        results=steady_results("2024-02", "2025-01", attainment="0.5"),
    )
    assert ramp_curve([late]).cohort == (SellerId(9),)
    assert ramp_curve([late], started_before=date(2024, 1, 15)).cohort == ()


def test_the_alert_reads_the_same_curve():
    cohort = [hire(1, "0.4"), hire(2, "0.6"), hire(3, "0.8"), hire(4, "1.0")]
    nils = hire(7, "0.5", started=date(2026, 6, 1), last="2026-11")
    check = check_ramp(seller=nils, peers=[*cohort, nils], on=date(2026, 12, 1))
    point = ramp_curve(cohort).at(6)
    assert check is not None and point is not None
    assert (check.months, check.median, check.peers) == (6, point.median, point.size)
    assert check.behind is True  # 50 % is under 80 % of the 70 % median


def test_a_new_seller_is_shown_month_by_month_against_the_curve():
    cohort = [hire(1, "0.4"), hire(2, "0.6"), hire(3, "0.8")]
    new = OutcomeSeller(
        seller_id=SellerId(7),
        email="nina@x.no",
        name="Nina",
        started_on=date(2026, 9, 1),
        ended_on=None,
    )
    history = RampHistory(
        seller_id=SellerId(7),
        started_on=date(2026, 9, 1),
        results=steady_results("2026-09", "2026-11", attainment="0.5"),
    )
    data = OutcomeData(
        sellers=[new],
        spans=[],
        results={SellerId(7): history.results},
        time=[],
        energy=[],
        ramp_histories=[*cohort, history],
    )
    rows = ramp_rows(data=data, last=Month(2026, 11))
    assert [
        (
            r.email,
            r.tenure_month,
            r.attainment,
            r.cohort_median,
            r.cohort_q1,
            r.cohort_q3,
            r.cohort_size,
        )
        for r in rows
    ] == [
        ("nina@x.no", k, Fraction(1, 2), Fraction(3, 5), Fraction(1, 2), Fraction(7, 10), 3)
        for k in (1, 2, 3)
    ]


@given(st.lists(st.fractions(min_value=0, max_value=3), min_size=1, max_size=12))
def test_the_band_holds_the_median(levels):
    cohort = [
        hire(i, str(level.limit_denominator(1000))) for i, level in enumerate(levels, start=1)
    ]
    for point in ramp_curve(cohort).points:
        assert point.q1 <= point.median <= point.q3
        assert point.size == len(levels)
