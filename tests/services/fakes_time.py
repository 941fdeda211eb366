"""An in-memory time source: entries and segment inputs, summed the way the SQL repository sums them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from krutt.domain.allocation import RosterSeller, SellerTime, TimeFact, time_by_segment
from krutt.domain.segmentation import assess_segment
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.ports import PeriodTime, SegmentInputs, TeamMember


@dataclass(frozen=True, kw_only=True)
class Entry:
    started_at: datetime
    minutes: int
    seller_ids: tuple[int, ...]


@dataclass
class FakeTimeSource:
    members: list[TeamMember]
    entries: list[Entry]
    inputs: list[SegmentInputs]
    others: list[TeamMember] = field(default_factory=list)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Oslo"))

    def _segment_on(self, seller_id: SellerId, day: date) -> Segment:
        item = next(i for i in self.inputs if i.profile.seller_id == seller_id)
        return assess_segment(
            profile=item.profile,
            results=item.results,
            overrides=item.overrides,
            rules=item.rules,
            on=day,
        ).segment

    def period_time(self, *, manager_id: int, first: date, last: date) -> PeriodTime:
        return PeriodTime(
            time=self.seller_time(first=first, last=last),
            roster=self.roster(first=first, last=last),
        )

    def seller_time(self, *, first: date, last: date) -> list[SellerTime]:
        facts = [
            TimeFact(
                entry_id=i,
                day=e.started_at.astimezone(self.zone).date(),
                minutes=e.minutes,
                seller_ids=tuple(SellerId(s) for s in e.seller_ids),
            )
            for i, e in enumerate(self.entries)
        ]
        return time_by_segment([f for f in facts if first <= f.day <= last], self._segment_on)

    def _row(self, member: TeamMember, last: date) -> RosterSeller:
        end = min(last, member.ended_on) if member.ended_on else last
        return RosterSeller(
            seller_id=member.seller_id,
            email=member.email,
            name=member.name,
            segment_at_end=self._segment_on(member.seller_id, end),
        )

    def roster(self, *, first: date, last: date) -> list[RosterSeller]:
        return [
            self._row(m, last)
            for m in self.members
            if m.started_on <= last and (m.ended_on is None or m.ended_on >= first)
        ]

    def roster_of(self, seller_ids: Sequence[SellerId], *, last: date) -> list[RosterSeller]:
        return [self._row(m, last) for m in self.others if m.seller_id in seller_ids]
