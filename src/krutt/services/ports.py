"""What the use cases need from the outside world, as Protocols the shell implements.

Tests pass in-memory fakes; the Django shell passes repositories that aggregate in SQL
and hand back the compact values the domain works on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from krutt.domain.allocation import RosterSeller, SellerTime
from krutt.domain.segmentation import SegmentAssessment, SegmentationRules, SegmentOverride
from krutt.domain.sellers import MonthlyResult, SellerId, SellerProfile


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentInputs:
    """Everything the segment rule reads for one seller, with the rules of their team."""

    profile: SellerProfile
    rules: SegmentationRules
    results: Sequence[MonthlyResult]
    overrides: Sequence[SegmentOverride]
    # Sellers without targets are judged against their team (None: no team, no benchmark).
    team_id: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredHistory:
    """A seller's segment history with its `history_digest`, computed once by the refresh."""

    history: Sequence[SegmentAssessment]
    digest: str


class SegmentStore(Protocol):
    def segment_inputs(self, seller_ids: Sequence[SellerId] | None) -> list[SegmentInputs]:
        """Profiles, monthly results and overrides; all sellers of the organisation when None."""
        ...

    def team_mates(self, seller_ids: Sequence[SellerId]) -> list[SellerId]:
        """Every seller on the teams of `seller_ids`, themselves included."""
        ...

    def stored_digests(self, seller_ids: Sequence[SellerId]) -> Mapping[SellerId, str]:
        """The `history_digest` of each seller's stored history (missing or empty: none stored)."""
        ...

    def replace_history(self, changed: Mapping[SellerId, StoredHistory]) -> None:
        """Store the new history of each seller in `changed`, replacing what was there."""
        ...


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamMember:
    """A seller on a manager's team, as reports list them."""

    seller_id: SellerId
    email: str
    name: str
    started_on: date
    ended_on: date | None


class DayTime(NamedTuple):
    """Time on one local day (summed per seller, segment of the day and entry size)."""

    day: date
    time: SellerTime


@dataclass(frozen=True, kw_only=True, slots=True)
class PeriodTime:
    """A manager's period as every report reads it, fetched together in one round trip.

    `time`: minutes that have happened (the entry has ended by the clock given), per day;
    `planned`: the same for what has not happened yet; `roster`: sellers on the
    manager's teams during the period, and any who got time in it but have moved since,
    with the segment of their last day in it.
    """

    time: list[DayTime]
    planned: list[DayTime]
    roster: list[RosterSeller]


class TimeSource(Protocol):
    def period_time(
        self, *, manager_id: int, first: date, last: date, now: datetime
    ) -> PeriodTime: ...
