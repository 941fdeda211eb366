"""Where the manager's seller time went, per segment and seller, against the policy.

Each time entry is judged by the segment its sellers had on the day the time was
spent. An entry with k sellers gives each duration/k; a meeting with more sellers
than the team-wide limit is not split but reported apart. Shares are of seller time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from krutt.domain.policy import AllocationPolicy, Band
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId

DEFAULT_TEAM_WIDE_ABOVE = 8
MIN_MOVE_MINUTES = 6


class Status(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    EMPTY = "empty"


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeFact:
    """One time entry as the report needs it: the day it happened (local), minutes, sellers."""

    entry_id: int
    day: date
    minutes: int
    seller_ids: tuple[SellerId, ...]


class RosterSeller(NamedTuple):
    """A seller on the team during the period, with the segment they ended it in.

    A named tuple, like SellerTime: rows the report reads on every page view, where a
    frozen dataclass's construction is a measurable share of the cost (`make bench`).
    """

    seller_id: SellerId
    email: str
    name: str
    segment_at_end: Segment


@dataclass(frozen=True, kw_only=True, slots=True)
class SegmentAllocation:
    segment: Segment
    minutes: Fraction
    share: Fraction
    band: Band
    status: Status
    sellers: int


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerAllocation:
    """Time one seller received while in one segment (a seller can appear once per segment)."""

    seller_id: SellerId
    email: str
    name: str
    segment: Segment
    minutes: Fraction
    share: Fraction


@dataclass(frozen=True, kw_only=True, slots=True)
class Allocation:
    seller_minutes: Fraction
    team_wide_minutes: Fraction
    segments: dict[Segment, SegmentAllocation]
    sellers: list[SellerAllocation]


SegmentOn = Callable[[SellerId, date], Segment]


class SellerTime(NamedTuple):
    """Minutes of entries that had `sellers_in_entry` sellers, one of them this seller, in this segment.

    The compact form a repository can sum in SQL: grouping by the entry's size keeps the
    even split and the team-wide rule exact without sending every entry to the domain.
    """

    seller_id: SellerId
    segment: Segment
    sellers_in_entry: int
    minutes: int


def time_by_segment(facts: Iterable[TimeFact], segment_on: SegmentOn) -> list[SellerTime]:
    """Sum entries into SellerTime rows, judging each seller by the segment of the entry's day."""
    sums: dict[tuple[SellerId, Segment, int], int] = defaultdict(int)
    for fact in facts:
        sellers = tuple(dict.fromkeys(fact.seller_ids))
        if fact.minutes <= 0:
            continue
        for seller_id in sellers:
            sums[(seller_id, segment_on(seller_id, fact.day), len(sellers))] += fact.minutes
    return [
        SellerTime(seller_id=s, segment=g, sellers_in_entry=k, minutes=m)
        for (s, g, k), m in sums.items()
    ]


def allocate_time(
    *,
    time: Iterable[SellerTime],
    roster: Sequence[RosterSeller],
    policy: AllocationPolicy,
    team_wide_above: int = DEFAULT_TEAM_WIDE_ABOVE,
) -> Allocation:
    """Split the period's time over segments and sellers and judge each segment against its band."""
    # Count in 1/unit of a minute, with unit divisible by every split size: the even split
    # stays exact in plain integers, which keeps the report cheap (it runs on every page view).
    unit = math.lcm(*range(1, team_wide_above + 1))
    units: dict[tuple[SellerId, Segment], int] = defaultdict(int)
    team_wide_by_size: dict[int, int] = defaultdict(int)
    for row in time:
        if row.sellers_in_entry > team_wide_above:
            # Each of the k sellers carries minutes/k of a big meeting: together, its minutes once.
            team_wide_by_size[row.sellers_in_entry] += row.minutes
        else:
            units[(row.seller_id, row.segment)] += row.minutes * (unit // row.sellers_in_entry)
    team_wide = sum((Fraction(m, k) for k, m in team_wide_by_size.items()), Fraction(0))

    total = sum(units.values())
    by_id = {s.seller_id: s for s in roster}
    order = {segment: i for i, segment in enumerate(SEGMENT_ORDER)}
    # Sorted on plain integers before any Fraction exists: comparing Fractions is slow.
    keyed: list[tuple[int, int, str, str, RosterSeller, Segment]] = []
    segment_units = dict.fromkeys(SEGMENT_ORDER, 0)
    members: dict[Segment, set[SellerId]] = {segment: set() for segment in SEGMENT_ORDER}
    for (seller_id, segment), value in units.items():
        seller = by_id.get(seller_id)
        if seller is None:
            raise ValueError(
                f"seller {seller_id} has time in the period but is missing from the roster"
            )
        keyed.append((order[segment], -value, seller.name, seller.email, seller, segment))
        segment_units[segment] += value
        members[segment].add(seller_id)
    with_time = {seller_id for seller_id, _ in units}
    for seller in roster:
        if seller.seller_id not in with_time:
            segment = seller.segment_at_end
            keyed.append((order[segment], 0, seller.name, seller.email, seller, segment))
            members[segment].add(seller.seller_id)
    keyed.sort(key=lambda k: k[:4])
    rows = [
        _seller_row(seller, segment, -negated, unit, total)
        for _, negated, _, _, seller, segment in keyed
    ]

    segments: dict[Segment, SegmentAllocation] = {}
    for segment in SEGMENT_ORDER:
        share = Fraction(segment_units[segment], total) if total else Fraction(0)
        band = policy.band(segment)
        count = len(members[segment])
        segments[segment] = SegmentAllocation(
            segment=segment,
            minutes=Fraction(segment_units[segment], unit),
            share=share,
            band=band,
            status=judge_share(share, band, sellers=count),
            sellers=count,
        )
    return Allocation(
        seller_minutes=Fraction(total, unit),
        team_wide_minutes=team_wide,
        segments=segments,
        sellers=rows,
    )


def judge_share(share: Fraction, band: Band, *, sellers: int) -> Status:
    """Below, within or above the band; a segment without sellers is simply empty."""
    if sellers == 0:
        return Status.EMPTY
    if share < band.minimum:
        return Status.BELOW
    if band.maximum is not None and share > band.maximum:
        return Status.ABOVE
    return Status.WITHIN


def _seller_row(
    seller: RosterSeller, segment: Segment, units: int, unit: int, total: int
) -> SellerAllocation:
    return SellerAllocation(
        seller_id=seller.seller_id,
        email=seller.email,
        name=seller.name,
        segment=segment,
        minutes=Fraction(units, unit),
        share=Fraction(units, total) if total else Fraction(0),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class Move:
    """Hours the manager should shift from one segment to another to get within the bands."""

    source: Segment
    target: Segment
    minutes: Fraction


def moves_to_policy(allocation: Allocation) -> list[Move]:
    """The fewest large shifts that bring segments below their band up to its minimum.

    Time is taken first from segments above their band, then from segments with room
    above their own minimum, so a fix never pushes another segment below its band.
    """
    total = allocation.seller_minutes
    if total == 0:
        return []
    needs = {
        s: a.band.minimum * total - a.minutes
        for s, a in allocation.segments.items()
        if a.status is Status.BELOW
    }
    spare: dict[Segment, Fraction] = {}
    for segment, a in allocation.segments.items():
        if a.status is Status.ABOVE and a.band.maximum is not None:
            spare[segment] = a.minutes - a.band.maximum * total
    slack = {
        s: a.minutes - a.band.minimum * total
        for s, a in allocation.segments.items()
        if a.status is Status.WITHIN and a.minutes > a.band.minimum * total
    }
    moves: list[Move] = []
    for pool in (spare, slack):
        for target in sorted(needs, key=lambda s: (-needs[s], SEGMENT_ORDER.index(s))):
            for source in sorted(pool, key=lambda s: (-pool[s], SEGMENT_ORDER.index(s))):
                amount = min(needs[target], pool[source])
                if amount <= 0:
                    continue
                moves.append(Move(source=source, target=target, minutes=amount))
                needs[target] -= amount
                pool[source] -= amount
    # Spare time left over in an over-band segment still has to go somewhere: to the
    # segment furthest from its maximum (usually the top sellers, whose band is open).
    for source, amount in spare.items():
        if amount <= 0:
            continue
        roomiest = _roomiest(allocation, exclude=source)
        if roomiest is not None:
            moves.append(Move(source=source, target=roomiest, minutes=amount))
    # A few minutes is rounding, not advice ("move about 0.0 h" helps nobody).
    return [m for m in _merge(moves) if m.minutes >= MIN_MOVE_MINUTES]


def _roomiest(allocation: Allocation, *, exclude: Segment) -> Segment | None:
    total = allocation.seller_minutes
    best: tuple[Fraction, int, Segment] | None = None
    for segment, a in allocation.segments.items():
        if segment is exclude or a.status is Status.EMPTY:
            continue
        room = (a.band.maximum if a.band.maximum is not None else Fraction(1)) * total - a.minutes
        key = (-room, SEGMENT_ORDER.index(segment), segment)
        if room > 0 and (best is None or key < best):
            best = key
    return best[2] if best else None


def _merge(moves: list[Move]) -> list[Move]:
    merged: dict[tuple[Segment, Segment], Fraction] = defaultdict(Fraction)
    for move in moves:
        merged[(move.source, move.target)] += move.minutes
    return [Move(source=s, target=t, minutes=m) for (s, t), m in merged.items() if m > 0]
