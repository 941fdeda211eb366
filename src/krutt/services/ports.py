"""What the use cases need from the outside world, as Protocols the shell implements.

Tests pass in-memory fakes; the Django shell passes repositories that aggregate in SQL
and hand back the compact values the domain works on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from krutt.domain.segmentation import SegmentAssessment, SegmentationRules, SegmentOverride
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult, SellerId, SellerProfile


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentInputs:
    """Everything the segment rule reads for one seller, with the rules of their team."""

    profile: SellerProfile
    rules: SegmentationRules
    results: Sequence[MonthlyResult]
    overrides: Sequence[SegmentOverride]


class SegmentStore(Protocol):
    def segment_inputs(self, seller_ids: Sequence[SellerId] | None) -> list[SegmentInputs]:
        """Profiles, monthly results and overrides; all sellers of the organisation when None."""
        ...

    def stored_history(self, seller_ids: Sequence[SellerId]) -> Mapping[SellerId, Sequence[SegmentAssessment]]: ...

    def replace_history(self, changed: Mapping[SellerId, Sequence[SegmentAssessment]]) -> None:
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


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordedTime:
    """A time entry as stored: when it started (aware), how long, with whom."""

    entry_id: int
    started_at: datetime
    minutes: int
    seller_ids: tuple[SellerId, ...]


class TimeSource(Protocol):
    def team_members(self, *, manager_id: int, first: date, last: date) -> list[TeamMember]:
        """Sellers on the manager's teams at some point between `first` and `last`."""
        ...

    def recorded_time(self, *, manager_id: int, start: datetime, end: datetime) -> list[RecordedTime]:
        """The manager's time entries that start in [start, end)."""
        ...

    def sellers_by_id(self, seller_ids: Sequence[SellerId]) -> list[TeamMember]:
        """Sellers who got time but are no longer on the team (they moved) still need a name."""
        ...

    def segment_timelines(
        self, seller_ids: Sequence[SellerId], *, first: date, last: date
    ) -> Mapping[SellerId, Sequence[tuple[date, Segment]]]:
        """For each seller, the (valid_from, segment) changes in force between `first` and `last`."""
        ...
