"""How next week's seller hours split over the segments and then over the sellers.

First every seller whose segment has a share gets one session of the minimum length,
across the whole team, before anyone gets more: nobody gets a second session while a
seller with a target has none. When the hours do not stretch that far, the sessions go
to the segment furthest below its target first and, inside it, to the seller furthest
behind. The rest of the hours go to the segments by their target share (see `targets`),
counting those first sessions, and inside a segment are shared evenly, adjusted by carry-over: a seller who got less than the others over the
last four weeks gets a quarter of the gap back this week (the gap spread over the next
four weeks, as it built up over four). Sessions last between the minimum and maximum
length, at most one a day. Hours a segment's sellers cannot take go to the segment
furthest below its target, within its band; what no one can take stays unassigned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.policy import AllocationPolicy
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.targets import Targets, target_shares

# The carry-over window is four weeks; a gap is made up over as many weeks as it took to build.
CATCH_UP_WEEKS = 4


@dataclass(frozen=True, kw_only=True, slots=True)
class SessionRules:
    """How long one session with a seller may be, in minutes, and the grid times snap to."""

    minimum: int = 30
    maximum: int = 90
    step: int = 15

    def __post_init__(self) -> None:
        if self.step <= 0 or 60 % self.step:
            raise InvalidInput(
                gettext_noop("The planning step must divide an hour (5, 10, 15, 30 or 60 minutes).")
            )
        if (
            not self.step <= self.minimum <= self.maximum
            or self.minimum % self.step
            or self.maximum % self.step
        ):
            raise InvalidInput(
                gettext_noop(
                    "Sessions must last from {minimum} to {maximum} minutes, both whole "
                    "multiples of {step}."
                ),
                minimum=self.minimum,
                maximum=self.maximum,
                step=self.step,
            )

    def split(self, total: int) -> list[int]:
        """`total` minutes as the fewest sessions within the limits, as even as the step
        allows, longest first."""
        if total <= 0:
            return []
        count = -(-total // self.maximum)
        units, extra = divmod(total // self.step, count)
        return [(units + (1 if i < extra else 0)) * self.step for i in range(count)]

    def next_total(self, current: int, *, sessions: int) -> int | None:
        """The next total after `current` that `sessions` or fewer sessions can hold, if any."""
        total = current + self.step
        while total <= sessions * self.maximum:
            count = -(-total // self.maximum)
            if count * self.minimum <= total:
                return total
            total = count * self.minimum
        return None


DEFAULT_SESSION_RULES = SessionRules()


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerNeed:
    """A seller as the split sees them: their segment, the minutes they received over the
    last four weeks, and how many sessions they can have this week (one a day, or fewer)."""

    seller_id: SellerId
    segment: Segment
    received: Fraction
    sessions: int


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekHours:
    """Minutes per segment and per seller, out of a `budget` on the step grid."""

    budget: int
    targets: Targets
    segments: Mapping[Segment, int]
    sellers: Mapping[SellerId, int]
    unassigned: int


def share_week(
    *, available: int, needs: Sequence[SellerNeed], policy: AllocationPolicy, rules: SessionRules
) -> WeekHours:
    """Split `available` minutes over segments by their targets, then over their sellers."""
    budget = max(available, 0) // rules.step * rules.step
    present = {n.segment for n in needs}
    targets = target_shares(policy, present)
    planned: dict[SellerId, int] = {n.seller_id: 0 for n in needs}
    by_segment = {s: [n for n in needs if n.segment is s] for s in SEGMENT_ORDER if s in present}
    given = _first_sessions(by_segment, planned, targets=targets, budget=budget, rules=rules)
    leftover = 0
    for segment, quota in _rest_quotas(budget, targets, given, rules.step).items():
        spent = _fill(by_segment[segment], planned, limit=quota, rules=rules)
        given[segment] += spent
        leftover += quota - spent
    # Hours a segment could not use go to the segment furthest below its target, as long
    # as that keeps it within its band; what no one can take stays unassigned.
    while leftover >= rules.step:
        open_to = sorted(
            (s for s in by_segment if targets.share(s) > 0),
            key=lambda s: (given[s] / targets.share(s), SEGMENT_ORDER.index(s)),
        )
        for segment in open_to:
            room = min(
                leftover, _room(policy, targets, segment, budget=budget, given=given[segment])
            )
            spent = _fill(by_segment[segment], planned, limit=room, rules=rules, once=True)
            if spent:
                given[segment] += spent
                leftover -= spent
                break
        else:
            break
    return WeekHours(
        budget=budget,
        targets=targets,
        segments={s: given.get(s, 0) for s in SEGMENT_ORDER},
        sellers=planned,
        unassigned=budget - sum(given.values()),
    )


def _room(
    policy: AllocationPolicy, targets: Targets, segment: Segment, *, budget: int, given: int
) -> int:
    """Minutes a segment can still take without leaving its band (any, for an open band
    or when the team's segments cannot keep within their bands anyway)."""
    maximum = policy.band(segment).maximum
    if maximum is None or not targets.within_bands:
        return budget
    return int(maximum * budget) - given


def _first_sessions(
    by_segment: Mapping[Segment, Sequence[SellerNeed]],
    planned: dict[SellerId, int],
    *,
    targets: Targets,
    budget: int,
    rules: SessionRules,
) -> dict[Segment, int]:
    """One session of the minimum for every seller of a segment with a share, while the
    budget lasts: the segment furthest below its target first, in it the seller furthest
    behind (least received). Returns the minutes given per segment."""
    given: dict[Segment, int] = dict.fromkeys(by_segment, 0)
    waiting = {
        segment: sorted(
            (n for n in needs if n.sessions > 0),
            key=lambda n: (n.received, needs.index(n)),
        )
        for segment, needs in by_segment.items()
        if targets.share(segment) > 0
    }
    left = budget
    while left >= rules.minimum:
        open_ = [s for s in waiting if waiting[s]]
        if not open_:
            break
        segment = min(
            open_,
            key=lambda s: (
                Fraction(given[s] + rules.minimum) / (targets.share(s) * budget or 1),
                SEGMENT_ORDER.index(s),
            ),
        )
        need = waiting[segment].pop(0)
        planned[need.seller_id] += rules.minimum
        given[segment] += rules.minimum
        left -= rules.minimum
    return given


def _rest_quotas(
    budget: int, targets: Targets, given: Mapping[Segment, int], step: int
) -> dict[Segment, int]:
    """What each segment gets beyond its first sessions: its share of the budget less
    what it already has, scaled down together when first sessions took more than a
    segment's share (they come first), in whole steps."""
    rest = budget - sum(given.values())
    wanted = {
        s: max(quota - given.get(s, 0), 0)
        for s, quota in _segment_quotas(budget, targets, step).items()
    }
    total = sum(wanted.values())
    if total <= rest:
        return wanted
    scaled = Targets(
        shares={s: Fraction(w, total) for s, w in wanted.items() if w},
        within_bands=targets.within_bands,
    )
    quotas = _segment_quotas(rest // step * step, scaled, step)
    return {s: quotas.get(s, 0) for s in wanted}


def _segment_quotas(budget: int, targets: Targets, step: int) -> dict[Segment, int]:
    """Each segment's share of the budget in whole steps, the largest remainders rounded up."""
    units = budget // step
    exact = {s: share * units for s, share in targets.shares.items()}
    quotas = {s: int(value) for s, value in exact.items()}
    spare = units - sum(quotas.values())
    by_remainder = sorted(exact, key=lambda s: (quotas[s] - exact[s], SEGMENT_ORDER.index(s)))
    for segment in by_remainder[:spare]:
        quotas[segment] += 1
    return {s: quotas[s] * step for s in SEGMENT_ORDER if s in quotas}


def _fill(
    needs: Sequence[SellerNeed],
    planned: dict[SellerId, int],
    *,
    limit: int,
    rules: SessionRules,
    once: bool = False,
) -> int:
    """Hand out up to `limit` minutes to `needs`, one grant at a time; return what was given."""
    spent = 0
    while True:
        grant = _next_grant(needs, planned, limit - spent, rules)
        if grant is None:
            return spent
        seller_id, minutes = grant
        planned[seller_id] += minutes
        spent += minutes
        if once:
            return spent


def _next_grant(
    needs: Sequence[SellerNeed], planned: Mapping[SellerId, int], limit: int, rules: SessionRules
) -> tuple[SellerId, int] | None:
    """Who gets the next minutes: a seller without a session yet (the one furthest behind
    first), else the seller lowest on this week plus their weekly average of the last four.

    Levelling this week plus a quarter of the four weeks gives each seller the even share
    plus a quarter of their gap to the segment's average: the carry-over rule.
    """
    order = sorted(
        range(len(needs)),
        key=lambda i: (
            planned[needs[i].seller_id] > 0,
            needs[i].received / CATCH_UP_WEEKS + planned[needs[i].seller_id],
            needs[i].received,
            i,
        ),
    )
    for i in order:
        need = needs[i]
        current = planned[need.seller_id]
        following = rules.next_total(current, sessions=need.sessions)
        if following is not None and following - current <= limit:
            return need.seller_id, following - current
    return None
