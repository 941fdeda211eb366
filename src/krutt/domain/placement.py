"""Placing planned sessions in the manager's free time.

Every seller's first session is placed before anyone's second, so a seller is only left
without one when no free slot fits. Each session goes on a day that has no other session
with the same seller: the day with the fewest sessions so far, then the most free time
left, so the sessions spread over the free days instead of filling the first ones. In
the day it takes the earliest start on the planning grid, which wastes no free time;
once everything is placed, the sessions of each free stretch are spread over it with
equal room between them (on the grid), so a day's sessions spread over its hours
instead of packing from 08:00, and none moves out of the stretch it fitted in.
When not everything fits, the next session placed is from the segment furthest behind
its planned hours, so what does fit keeps the policy's balance; a session that fits only
in part is shortened, and whatever is left is reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from krutt.domain.planning_hours import SessionRules
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Span, WorkDay


@dataclass(frozen=True, kw_only=True, slots=True)
class SessionRequest:
    """The sessions one seller should get this week, longest first."""

    seller_id: SellerId
    segment: Segment
    lengths: tuple[int, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class PlacedSession:
    seller_id: SellerId
    span: Span


class Shortfall(StrEnum):
    """Why minutes could not be placed."""

    NO_FREE_TIME = "no_free_time"
    SELLER_DAYS_TAKEN = "seller_days_taken"


@dataclass(frozen=True, kw_only=True, slots=True)
class Leftover:
    seller_id: SellerId
    minutes: int
    cause: Shortfall


@dataclass(frozen=True, kw_only=True, slots=True)
class Placement:
    sessions: list[PlacedSession]
    leftovers: list[Leftover]


@dataclass(slots=True)
class _Day:
    day: date
    base: datetime
    free: list[Span]
    sessions: int = 0

    @property
    def free_minutes(self) -> int:
        return sum(s.minutes for s in self.free)


def place_sessions(
    *,
    requests: Sequence[SessionRequest],
    week: Sequence[WorkDay],
    planned: Mapping[Segment, int],
    rules: SessionRules,
) -> Placement:
    """Put every requested session in the free time of `week`, or say why it did not fit."""
    days = [_Day(day=d.day, base=d.hours.start, free=list(d.free)) for d in week]
    step = timedelta(minutes=rules.step)
    pending = [deque(r.lengths) for r in requests]
    placed_minutes: dict[Segment, int] = dict.fromkeys(SEGMENT_ORDER, 0)
    sessions_of = [0] * len(requests)
    taken: list[set[date]] = [set() for _ in requests]
    sessions: list[PlacedSession] = []
    short: dict[tuple[int, Shortfall], int] = {}

    def behind(i: int) -> tuple[bool, Fraction, int, int, int]:
        segment = requests[i].segment
        goal = planned.get(segment, 0)
        ratio = (
            Fraction(placed_minutes[segment], goal) if goal else Fraction(placed_minutes[segment])
        )
        return sessions_of[i] > 0, ratio, SEGMENT_ORDER.index(segment), sessions_of[i], i

    while True:
        waiting = [i for i, queue in enumerate(pending) if queue]
        if not waiting:
            break
        i = min(waiting, key=behind)
        request = requests[i]
        length = pending[i].popleft()
        allowed = [d for d in days if d.day not in taken[i]]
        found = _fit(allowed, length, step)
        if found is None:
            found = _longest(allowed, length, step, rules)
        if found is None:
            cause = _cause(days, allowed, step, rules)
            short[(i, cause)] = short.get((i, cause), 0) + length
            continue
        day, span = found
        _take(day, span)
        day.sessions += 1
        taken[i].add(day.day)
        sessions_of[i] += 1
        placed_minutes[request.segment] += span.minutes
        sessions.append(PlacedSession(seller_id=request.seller_id, span=span))
        rest = length - span.minutes
        if rest >= rules.minimum:
            pending[i].append(rest)
        elif rest > 0:
            short[(i, Shortfall.NO_FREE_TIME)] = short.get((i, Shortfall.NO_FREE_TIME), 0) + rest
    sessions = _spread(week, _rebalanced(week, sessions, step) or sessions, step)
    sessions.sort(key=lambda s: (s.span.start, s.seller_id))
    leftovers = [
        Leftover(seller_id=requests[i].seller_id, minutes=minutes, cause=cause)
        for (i, cause), minutes in sorted(short.items(), key=lambda item: item[0])
    ]
    return Placement(sessions=sessions, leftovers=leftovers)


def _aligned(moment: datetime, base: datetime, step: timedelta) -> datetime:
    """The first time on the grid (every `step` from the day's start) not before `moment`."""
    steps = -(-(moment - base) // step)
    return base + steps * step


def _fit(days: Sequence[_Day], length: int, step: timedelta) -> tuple[_Day, Span] | None:
    """The earliest gap of `length` on the day with the fewest sessions, then the most
    free time left."""
    wanted = timedelta(minutes=length)
    best: tuple[int, int, date, _Day, Span] | None = None
    for day in days:
        for gap in day.free:
            start = _aligned(gap.start, day.base, step)
            if start + wanted <= gap.end:
                key = (day.sessions, -day.free_minutes, day.day)
                if best is None or key < best[:3]:
                    best = (*key, day, Span(start, start + wanted))
                break
    return (best[3], best[4]) if best else None


def _rebalanced(
    week: Sequence[WorkDay], sessions: Sequence[PlacedSession], step: timedelta
) -> list[PlacedSession] | None:
    """The same sessions placed again seller by seller, each seller's on the least busy
    days: the days then differ by one session at most (placing first sessions before
    second ones can leave a seller only days that already have more). None when the free
    time does not take them all this way; the first placement stands then."""
    days = [_Day(day=d.day, base=d.hours.start, free=list(d.free)) for d in week]
    order: dict[SellerId, list[int]] = {}
    for session in sessions:
        order.setdefault(session.seller_id, []).append(session.span.minutes)
    again: list[PlacedSession] = []
    for seller_id, lengths in order.items():
        taken: set[date] = set()
        for length in sorted(lengths, reverse=True):
            found = _fit([d for d in days if d.day not in taken], length, step)
            if found is None:
                return None
            day, span = found
            _take(day, span)
            day.sessions += 1
            taken.add(day.day)
            again.append(PlacedSession(seller_id=seller_id, span=span))
    return again


def _spread(
    week: Sequence[WorkDay], sessions: Sequence[PlacedSession], step: timedelta
) -> list[PlacedSession]:
    """Each free stretch's sessions (packed from its first start on the grid) laid out over
    the whole stretch with equal room before, between and after them, in the same order."""
    spread: list[PlacedSession] = []
    placed = sorted(sessions, key=lambda s: s.span.start)
    for day in week:
        for gap in day.free:
            inside = [s for s in placed if gap.start <= s.span.start and s.span.end <= gap.end]
            if not inside:
                continue
            first = _aligned(gap.start, day.hours.start, step)
            busy = sum((s.span.end - s.span.start for s in inside), timedelta())
            room = (gap.end - first - busy) / (len(inside) + 1) // step * step
            cursor = first
            for session in inside:
                start = cursor + room
                length = session.span.end - session.span.start
                spread.append(replace(session, span=Span(start, start + length)))
                cursor = start + length
    if len(spread) != len(sessions):
        raise ValueError("a session was placed outside the free time")
    return spread


def _longest(
    days: Sequence[_Day], length: int, step: timedelta, rules: SessionRules
) -> tuple[_Day, Span] | None:
    """The longest session of at least the minimum, shorter than `length`, that fits anywhere."""
    best: tuple[int, int, date, _Day, Span] | None = None
    for day in days:
        for gap in day.free:
            start = _aligned(gap.start, day.base, step)
            fits = (gap.end - start) // step * rules.step if gap.end > start else 0
            minutes = min(fits, length)
            if minutes < rules.minimum:
                continue
            key = (-minutes, -day.free_minutes, day.day)
            if best is None or key < best[:3]:
                best = (*key, day, Span(start, start + timedelta(minutes=minutes)))
    return (best[3], best[4]) if best else None


def _cause(
    days: Sequence[_Day], allowed: Sequence[_Day], step: timedelta, rules: SessionRules
) -> Shortfall:
    """Free time for a minimum session on a day already used for this seller, or none at all."""
    if _longest(days, rules.minimum, step, rules) is not None and len(allowed) < len(days):
        return Shortfall.SELLER_DAYS_TAKEN
    return Shortfall.NO_FREE_TIME


def _take(day: _Day, span: Span) -> None:
    for index, gap in enumerate(day.free):
        if gap.start <= span.start and span.end <= gap.end:
            pieces = [
                p for p in (Span(gap.start, span.start), Span(span.end, gap.end)) if p.end > p.start
            ]
            day.free[index : index + 1] = pieces
            return
    raise ValueError("a session was placed outside the free time")
