"""The share of seller time each segment should get, and each seller's fair share of it.

A plan and the attention alerts aim at the same targets: each closed band's midpoint,
the open band (the top sellers' «at least 50 %») taking what the others leave, and the
shares of segments without sellers handed to the others in proportion, within bands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from krutt.domain.policy import AllocationPolicy, Band
from krutt.domain.segments import SEGMENT_ORDER, Segment


@dataclass(frozen=True, kw_only=True, slots=True)
class Targets:
    """Target shares of the segments that have sellers (they add up to 1)."""

    shares: Mapping[Segment, Fraction]
    within_bands: bool

    def share(self, segment: Segment) -> Fraction:
        return self.shares.get(segment, Fraction(0))


def policy_aims(policy: AllocationPolicy) -> dict[Segment, Fraction]:
    """What each segment aims at when the whole team is present.

    A closed band aims at its midpoint. An open band (no maximum) aims at what the closed
    midpoints leave, split evenly if there are several, but never below its own minimum:
    for the rule of thumb that is 100 − 25 − 15 − 7.5 = 52.5 % for the top sellers, which
    keeps the shares adding up to 100 % where the open band's own midpoint (55 %) would not.
    """
    closed = {
        s: policy.band(s).midpoint for s in SEGMENT_ORDER if policy.band(s).maximum is not None
    }
    open_ = [s for s in SEGMENT_ORDER if policy.band(s).maximum is None]
    left = max(Fraction(1) - sum(closed.values(), Fraction(0)), Fraction(0))
    aims = dict(closed)
    for segment in open_:
        band = policy.band(segment)
        # With nothing left and no minimum, an open band still aims at its own midpoint,
        # so it can take the time when it is the only segment with room for it.
        aims[segment] = max(band.minimum, left / len(open_)) or band.midpoint
    return {s: aims[s] for s in SEGMENT_ORDER}


def target_shares(policy: AllocationPolicy, present: Iterable[Segment]) -> Targets:
    """Shares for the segments that have sellers, adding up to 100 %.

    Every present segment gets its aim scaled by one common factor and clipped to its
    band, the factor chosen so the shares add up to 100 %: a segment without sellers so
    gives its share to the others in proportion, as far as their bands allow. When the
    present bands cannot hold all the time (say only «not delivering» sellers), each
    segment is set to its maximum and the rest is split in proportion to the aims.
    """
    segments = [s for s in SEGMENT_ORDER if s in set(present)]
    if not segments:
        return Targets(shares={}, within_bands=True)
    aims = policy_aims(policy)
    bands = {s: policy.band(s) for s in segments}
    ceiling = sum(
        (_upper(bands[s]) if aims[s] > 0 else bands[s].minimum for s in segments), Fraction(0)
    )
    if ceiling < 1:
        return Targets(shares=_beyond_bands(segments, aims, bands), within_bands=False)
    factor = _solve_factor(segments, aims, bands)
    shares = {s: _clip(factor * aims[s], bands[s]) for s in segments}
    return Targets(shares=shares, within_bands=True)


def _upper(band: Band) -> Fraction:
    return band.maximum if band.maximum is not None else Fraction(1)


def _clip(value: Fraction, band: Band) -> Fraction:
    return min(max(value, band.minimum), _upper(band))


def _total(
    factor: Fraction,
    segments: list[Segment],
    aims: Mapping[Segment, Fraction],
    bands: Mapping[Segment, Band],
) -> Fraction:
    return sum((_clip(factor * aims[s], bands[s]) for s in segments), Fraction(0))


def _solve_factor(
    segments: list[Segment], aims: Mapping[Segment, Fraction], bands: Mapping[Segment, Band]
) -> Fraction:
    """The common factor at which the clipped shares add up to exactly 1.

    The sum is piecewise linear and rising in the factor, with corners where a share
    reaches an edge of its band; find the stretch that crosses 1 and solve it exactly.
    """
    corners = sorted(
        {Fraction(0)}
        | {
            edge / aims[s]
            for s in segments
            if aims[s] > 0
            for edge in (bands[s].minimum, _upper(bands[s]))
        }
    )
    previous = corners[0]
    if _total(previous, segments, aims, bands) >= 1:
        return previous
    for corner in corners[1:]:
        at_corner = _total(corner, segments, aims, bands)
        if at_corner >= 1:
            at_previous = _total(previous, segments, aims, bands)
            return previous + (corner - previous) * (1 - at_previous) / (at_corner - at_previous)
        previous = corner
    return previous


def _beyond_bands(
    segments: list[Segment], aims: Mapping[Segment, Fraction], bands: Mapping[Segment, Band]
) -> dict[Segment, Fraction]:
    shares = {s: _upper(bands[s]) for s in segments}
    rest = 1 - sum(shares.values(), Fraction(0))
    weight = sum((aims[s] for s in segments), Fraction(0))
    for segment in segments:
        shares[segment] += rest * (aims[segment] / weight if weight else Fraction(1, len(segments)))
    return shares


def fair_minutes(
    *, targets: Targets, segment: Segment, members: int, total_minutes: Fraction
) -> Fraction:
    """One seller's fair share of `total_minutes`: their segment's target share, split evenly."""
    if members <= 0:
        return Fraction(0)
    return targets.share(segment) * total_minutes / members
