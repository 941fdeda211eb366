"""An in-memory time source: entries and segment inputs, summed the way the SQL repository sums them.

The rules (the local day, planned until ended, who is on the roster) are the product's:
the same scenarios run through this fake and the real repository in the contract tests
(tests/web/test_time_contract.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from krutt.domain.allocation import RosterSeller, SellerTime
from krutt.domain.segmentation import assess_segment
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.ports import DayTime, PeriodTime, SegmentInputs, TeamMember
from krutt.services.record_time import local_day


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
    # Sellers not on the team (any more) who may still have time with the manager.
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

    def period_time(self, *, manager_id: int, first: date, last: date, now: datetime) -> PeriodTime:
        sums: dict[tuple[bool, date, SellerId, Segment, int], int] = defaultdict(int)
        with_time: set[SellerId] = set()
        for e in self.entries:
            day = local_day(e.started_at, self.zone)
            if not first <= day <= last or e.minutes <= 0:
                continue
            happened = e.started_at + timedelta(minutes=e.minutes) <= now
            sellers = tuple(dict.fromkeys(SellerId(s) for s in e.seller_ids))
            for seller_id in sellers:
                key = (happened, day, seller_id, self._segment_on(seller_id, day), len(sellers))
                sums[key] += e.minutes
                with_time.add(seller_id)
        time = [
            DayTime(day, SellerTime(seller, segment, size, minutes))
            for (happened, day, seller, segment, size), minutes in sums.items()
            if happened
        ]
        planned = [
            DayTime(day, SellerTime(seller, segment, size, minutes))
            for (happened, day, seller, segment, size), minutes in sums.items()
            if not happened
        ]
        on_team = [
            m
            for m in self.members
            if m.started_on <= last and (m.ended_on is None or m.ended_on >= first)
        ]
        known = {m.seller_id for m in on_team}
        moved = [m for m in [*self.members, *self.others] if m.seller_id in with_time - known]
        roster = [self._row(m, last) for m in [*on_team, *moved]]
        return PeriodTime(time=time, planned=planned, roster=roster)

    def _row(self, member: TeamMember, last: date) -> RosterSeller:
        end = min(last, member.ended_on) if member.ended_on else last
        return RosterSeller(
            seller_id=member.seller_id,
            email=member.email,
            name=member.name,
            segment_at_end=self._segment_on(member.seller_id, end),
        )
