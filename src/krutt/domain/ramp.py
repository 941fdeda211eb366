"""The team's ramp curve: how far new sellers had come, month by month of tenure.

The curve is the one definition the Results page and the slow-ramp alert share. Its
cohort is every earlier hire whose first 12 full months all have numbers (target and
actual); its point at tenure month k is the median and interquartile band of their
attainment over their first k full months (cumulative, so one bad month does not make
the curve jump). A new seller is compared with the curve at their own latest month:
behind means under a margin of the median (default 80 %), and only once the curve
rests on enough earlier hires (default 3) and the seller has enough months (default 2)
to say so fairly.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month, months_from
from krutt.domain.response import attainment_over, first_full_month
from krutt.domain.sellers import MonthlyResult, SellerId


@dataclass(frozen=True, kw_only=True, slots=True)
class RampHistory:
    """A seller's start date and monthly numbers, for the curve or for the check."""

    seller_id: SellerId
    started_on: date
    results: Sequence[MonthlyResult]


@dataclass(frozen=True, kw_only=True, slots=True)
class RampRules:
    ramp_months: int = 6
    margin: Fraction = Fraction(4, 5)
    min_peers: int = 3
    min_months: int = 2
    curve_months: int = 12

    def __post_init__(self) -> None:
        if (
            self.ramp_months < 1
            or self.min_peers < 1
            or not 1 <= self.min_months <= self.ramp_months
        ):
            raise InvalidInput(
                gettext_noop("Ramp months, peers and months to judge must be at least 1.")
            )
        if self.curve_months < self.ramp_months:
            raise InvalidInput(
                gettext_noop("The ramp curve must cover at least the months of the ramp.")
            )
        if not 0 < self.margin <= 1:
            raise InvalidInput(gettext_noop("The ramp margin must be above 0 % and at most 100 %."))


DEFAULT_RAMP_RULES = RampRules()


@dataclass(frozen=True, kw_only=True, slots=True)
class RampCheck:
    """A seller's attainment over their first `months` full months against the team's median."""

    seller_id: SellerId
    months: int
    attainment: Fraction
    median: Fraction
    peers: int
    behind: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class RampPoint:
    """The cohort at tenure month `tenure_month`: median and quartiles of their attainment so far."""

    tenure_month: int
    median: Fraction
    q1: Fraction
    q3: Fraction
    size: int


@dataclass(frozen=True, kw_only=True, slots=True)
class RampCurve:
    """The curve by tenure month (1 … `curve_months`) and the earlier hires it rests on."""

    points: tuple[RampPoint, ...]
    cohort: tuple[SellerId, ...]

    @property
    def size(self) -> int:
        return len(self.cohort)

    def at(self, tenure_month: int) -> RampPoint | None:
        if 1 <= tenure_month <= len(self.points):
            return self.points[tenure_month - 1]
        return None


def has_full_first_months(history: RampHistory, months: int) -> bool:
    """Whether each of the seller's first `months` full months has a target and an actual."""
    first = first_full_month(history.started_on)
    known = {r.month for r in history.results if r.target and r.target > 0 and r.actual is not None}
    return all(first.plus(i) in known for i in range(months))


def ramp_curve(
    histories: Sequence[RampHistory],
    *,
    started_before: date | None = None,
    rules: RampRules = DEFAULT_RAMP_RULES,
) -> RampCurve:
    """The team's curve from the earlier hires (started before `started_before`, when given)
    whose first `curve_months` full months are all in the data."""
    cohort = sorted(
        (
            h
            for h in histories
            if (started_before is None or h.started_on < started_before)
            and has_full_first_months(h, rules.curve_months)
        ),
        key=lambda h: h.seller_id,
    )
    points: list[RampPoint] = []
    if cohort:
        for k in range(1, rules.curve_months + 1):
            values = sorted(value for h in cohort if (value := early_attainment(h, k)) is not None)
            q1, q3 = quartiles(values)
            points.append(
                RampPoint(
                    tenure_month=k,
                    median=Fraction(statistics.median(values)),
                    q1=q1,
                    q3=q3,
                    size=len(values),
                )
            )
    return RampCurve(points=tuple(points), cohort=tuple(h.seller_id for h in cohort))


def quartiles(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """First and third quartile, interpolated between the values (one value is its own band)."""
    if len(values) == 1:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Fraction(q1), Fraction(q3)


def tenure_months(started_on: date, through: Month) -> list[Month]:
    """The seller's full calendar months from their first up to `through`."""
    first = first_full_month(started_on)
    return months_from(first, through) if first <= through else []


def early_attainment(history: RampHistory, months: int) -> Fraction | None:
    """Attainment over the seller's first `months` full months (None until the last has numbers)."""
    first = first_full_month(history.started_on)
    span = months_from(first, first.plus(months - 1))
    last = span[-1]
    if not any(r.month == last and r.target and r.actual is not None for r in history.results):
        return None
    value, _ = attainment_over(history.results, span)
    return value


def check_ramp(
    *,
    seller: RampHistory,
    peers: Sequence[RampHistory],
    on: date,
    rules: RampRules = DEFAULT_RAMP_RULES,
) -> RampCheck | None:
    """Compare a new seller with the team's ramp curve at the same month of tenure.

    Judged at the seller's latest full month with numbers, within the ramp period. None
    when it is too early, or the curve rests on too few earlier hires.
    """
    months = tenure_months(seller.started_on, Month.of(on).plus(-1))[: rules.ramp_months]
    with_numbers = {r.month for r in seller.results if r.target and r.actual is not None}
    reached = [i + 1 for i, month in enumerate(months) if month in with_numbers]
    if not reached or reached[-1] < rules.min_months:
        return None
    k = reached[-1]
    own = early_attainment(seller, k)
    curve = ramp_curve(
        [p for p in peers if p.seller_id != seller.seller_id],
        started_before=seller.started_on,
        rules=rules,
    )
    point = curve.at(k)
    if own is None or point is None or point.size < rules.min_peers:
        return None
    return RampCheck(
        seller_id=seller.seller_id,
        months=k,
        attainment=own,
        median=point.median,
        peers=point.size,
        behind=own < point.median * rules.margin,
    )
