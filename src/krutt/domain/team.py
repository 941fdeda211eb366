"""A seller on the manager's team as the plan and the alerts see them on a day.

Both look back over the same four weeks: how much of the manager's seller time each
seller received there is what the carry-over and the neglect alerts are judged on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from krutt.domain.allocation import DEFAULT_TEAM_WIDE_ABOVE, SellerTime
from krutt.domain.periods import Period
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.domain.support import SupportStatus

LOOKBACK_DAYS = 28


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamSeller:
    """A seller with their segment now, the time they got in the last four weeks and
    their last 1:1; `support` is their support ledger status (for those not delivering)."""

    seller_id: SellerId
    email: str
    name: str
    segment: Segment
    started_on: date
    received_minutes: Fraction = Fraction(0)
    last_one_on_one: date | None = None
    support: SupportStatus | None = None
    # The first day of the seller's current run in `segment` (None: as long as krutt knows);
    # `received_minutes` counts only time from that day on.
    segment_since: date | None = None


def last_four_weeks(before: date) -> Period:
    """The 28 days before `before` (a plan's Monday, or today for the alerts)."""
    return Period(first=before - timedelta(days=LOOKBACK_DAYS), last=before - timedelta(days=1))


def received_by_seller(
    time: Iterable[SellerTime], *, team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE
) -> dict[SellerId, Fraction]:
    """Minutes each seller received, whatever their segment; an entry with k sellers gives each 1/k.

    Meetings with more sellers than the team-wide limit are nobody's in particular and
    count for no one, as in the allocation report.
    """
    received: dict[SellerId, Fraction] = defaultdict(Fraction)
    for row in time:
        if row.minutes <= 0 or row.sellers_in_entry > team_wide_above:
            continue
        received[row.seller_id] += Fraction(row.minutes, row.sellers_in_entry)
    return dict(received)


def share_of_window(started_on: date, window: Period) -> Fraction:
    """The part of `window` the seller was on the team: who joined mid-window counts pro rata."""
    return Fraction(days_in_window(started_on, window), window.days)


def days_in_window(since: date, window: Period) -> int:
    """The days of `window` from `since` on."""
    first = max(since, window.first)
    return 0 if first > window.last else (window.last - first).days + 1


def judged_since(seller: TeamSeller) -> date:
    """From when a seller's share of time is judged: their start, or their segment's, if later."""
    if seller.segment_since is None:
        return seller.started_on
    return max(seller.started_on, seller.segment_since)
