"""The overview's first sentence: the one judgement that matters most about a period.

The segment furthest outside its band wins (by how many points it misses the band); when
one seller takes most of that segment's time, the sentence names them too. Within the
policy, it says so. Without seller time, it says that first, because nothing else can be
judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from krutt.domain.allocation import Allocation, SegmentAllocation, Status
from krutt.domain.messages import Label, Message, Param, Percent, gettext_noop
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId

# A seller "takes" a segment's time from this share of it on.
ONE_SELLER = Fraction(1, 2)

NO_TIME = gettext_noop(
    "No time with sellers in {period}: log time or connect your calendar so krutt can judge it."
)
WITHIN = gettext_noop(
    "Your seller time in {period} is within the policy: {share} went to {segment}."
)
ABOVE_ONE = gettext_noop(
    "{share} of your seller time went to {segment} (policy at most {maximum}) — "
    "{seller_share} of it to {seller}."
)
ABOVE = gettext_noop("{share} of your seller time went to {segment} (policy at most {maximum}).")
BELOW = gettext_noop(
    "Only {share} of your seller time went to {segment} (policy at least {minimum})."
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Headline:
    message: Message
    # The segment the sentence is about (None: no time), and the seller it names, if any.
    segment: Segment | None
    seller_id: SellerId | None = None


def miss(segment: SegmentAllocation) -> Fraction:
    """How far the share is outside its band (0 within it or with no sellers)."""
    if segment.status is Status.ABOVE and segment.band.maximum is not None:
        return segment.share - segment.band.maximum
    if segment.status is Status.BELOW:
        return segment.band.minimum - segment.share
    return Fraction(0)


def choose_headline(allocation: Allocation, *, period: Label) -> Headline:
    """The most important sentence about `allocation`, over the period named `period`."""
    if allocation.seller_minutes == 0:
        return Headline(message=Message(NO_TIME, {"period": period}), segment=None)
    worst = max(
        SEGMENT_ORDER, key=lambda s: (miss(allocation.segments[s]), -SEGMENT_ORDER.index(s))
    )
    chosen = allocation.segments[worst]
    if miss(chosen) == 0:
        largest = max(SEGMENT_ORDER, key=lambda s: allocation.segments[s].share)
        return Headline(
            message=Message(
                WITHIN,
                {
                    "period": period,
                    "share": Percent(allocation.segments[largest].share),
                    "segment": largest.label,
                },
            ),
            segment=largest,
        )
    if chosen.status is Status.BELOW:
        return Headline(
            message=Message(
                BELOW,
                {
                    "share": Percent(chosen.share),
                    "segment": worst.label,
                    "minimum": Percent(chosen.band.minimum),
                },
            ),
            segment=worst,
        )
    assert chosen.band.maximum is not None
    params: dict[str, Param] = {
        "share": Percent(chosen.share),
        "segment": worst.label,
        "maximum": Percent(chosen.band.maximum),
    }
    in_segment = [s for s in allocation.sellers if s.segment is worst]
    biggest = max(in_segment, key=lambda s: (s.minutes, -s.seller_id), default=None)
    if biggest is not None and chosen.minutes and biggest.minutes / chosen.minutes >= ONE_SELLER:
        return Headline(
            message=Message(
                ABOVE_ONE,
                {
                    **params,
                    "seller_share": Percent(biggest.minutes / chosen.minutes),
                    "seller": biggest.name,
                },
            ),
            segment=worst,
            seller_id=biggest.seller_id,
        )
    return Headline(message=Message(ABOVE, params), segment=worst)
