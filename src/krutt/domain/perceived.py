"""Perceived against measured: how the manager believes a week's seller time split, beside
what krutt measured. Managers tend to underestimate the time the tails take; this makes the
gap visible to the manager themself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Message, gettext_noop, plural_noop
from krutt.domain.segments import SEGMENT_ORDER, Segment

# Below this many points on average the estimate is called about right.
CLOSE = Fraction(5, 100)

UNDER = plural_noop(
    "You underestimate the time on {segment} by {points} points in {weeks} week.",
    "You underestimate the time on {segment} by {points} points on average over {weeks} weeks.",
)
OVER = plural_noop(
    "You overestimate the time on {segment} by {points} points in {weeks} week.",
    "You overestimate the time on {segment} by {points} points on average over {weeks} weeks.",
)
CLOSE_ENOUGH = plural_noop(
    "Your estimate is within {points} points of what was measured, in {weeks} week.",
    "Your estimates are within {points} points of what was measured, over {weeks} weeks.",
)


def perceived_split(percents: Mapping[Segment, int]) -> dict[Segment, Fraction]:
    """Four whole percentages that sum to 100, as shares; refused otherwise."""
    for segment in SEGMENT_ORDER:
        value = percents.get(segment)
        if value is None or not 0 <= value <= 100:
            raise InvalidInput(
                gettext_noop("Give {segment} as a whole percentage from 0 to 100."),
                segment=segment.label,
            )
    total = sum(percents[s] for s in SEGMENT_ORDER)
    if total != 100:
        raise InvalidInput(
            gettext_noop("The four shares must sum to 100; these sum to {total}."), total=total
        )
    return {s: Fraction(percents[s], 100) for s in SEGMENT_ORDER}


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekComparison:
    perceived: dict[Segment, Fraction]
    measured: dict[Segment, Fraction]


def average_gaps(weeks: Sequence[WeekComparison]) -> dict[Segment, Fraction]:
    """Measured minus perceived per segment, on average (positive: more than believed)."""
    if not weeks:
        return dict.fromkeys(SEGMENT_ORDER, Fraction(0))
    return {
        s: sum((w.measured[s] - w.perceived[s] for w in weeks), Fraction(0)) / len(weeks)
        for s in SEGMENT_ORDER
    }


def gap_message(weeks: Sequence[WeekComparison]) -> Message | None:
    """The one sentence about the largest average gap; None without any week to compare."""
    if not weeks:
        return None
    gaps = average_gaps(weeks)
    segment = max(SEGMENT_ORDER, key=lambda s: (abs(gaps[s]), -SEGMENT_ORDER.index(s)))
    gap = gaps[segment]
    points = round(abs(gap) * 100)
    if abs(gap) < CLOSE:
        return Message.counted(
            CLOSE_ENOUGH, "weeks", {"points": round(CLOSE * 100), "weeks": len(weeks)}
        )
    return Message.counted(
        UNDER if gap > 0 else OVER,
        "weeks",
        {"segment": segment.label, "points": points, "weeks": len(weeks)},
    )
