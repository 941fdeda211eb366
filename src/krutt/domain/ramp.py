"""The team's ramp curve: how far new sellers had come, month by month of tenure.

A new seller is compared with the sellers the team has had before at the same point of
their tenure: attainment over their first k full months against the median of the
others' first k. Behind means under a margin of that median (default 80 %), and only
once there are enough others (default 3) and months (default 2) to say so fairly.
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

    def __post_init__(self) -> None:
        if (
            self.ramp_months < 1
            or self.min_peers < 1
            or not 1 <= self.min_months <= self.ramp_months
        ):
            raise InvalidInput(
                gettext_noop("Ramp months, peers and months to judge must be at least 1.")
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
    """Compare a new seller with the team's earlier sellers at the same month of tenure.

    Judged at the seller's latest full month with numbers, within the ramp period. None
    when it is too early, or the team has too few earlier sellers with numbers for it.
    """
    months = tenure_months(seller.started_on, Month.of(on).plus(-1))[: rules.ramp_months]
    with_numbers = {r.month for r in seller.results if r.target and r.actual is not None}
    reached = [i + 1 for i, month in enumerate(months) if month in with_numbers]
    if not reached or reached[-1] < rules.min_months:
        return None
    k = reached[-1]
    own = early_attainment(seller, k)
    others = [
        value
        for peer in peers
        if peer.seller_id != seller.seller_id and peer.started_on < seller.started_on
        if (value := early_attainment(peer, k)) is not None
    ]
    if own is None or len(others) < rules.min_peers:
        return None
    median = Fraction(statistics.median(others))
    return RampCheck(
        seller_id=seller.seller_id,
        months=k,
        attainment=own,
        median=median,
        peers=len(others),
        behind=own < median * rules.margin,
    )
