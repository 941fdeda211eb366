"""How a manager's seller time should split over the segments: bands as data.

A policy is a small object passed in, never looked up. Two presets ship: `biztools`
(the rule of thumb krutt is built on) and `core-focus` (the coaching research view).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import Percent, gettext_noop
from krutt.domain.segments import SEGMENT_ORDER, Segment


@dataclass(frozen=True, kw_only=True, slots=True)
class Band:
    """The acceptable share of seller time for one segment; `maximum=None` is open-ended."""

    minimum: Fraction
    maximum: Fraction | None

    def contains(self, share: Fraction) -> bool:
        return share >= self.minimum and (self.maximum is None or share <= self.maximum)

    @property
    def midpoint(self) -> Fraction:
        """The share a plan aims for; an open band aims halfway to the next tenth above its minimum."""
        upper = (
            self.maximum
            if self.maximum is not None
            else min(Fraction(1), self.minimum + Fraction(1, 10))
        )
        return (self.minimum + upper) / 2


@dataclass(frozen=True, kw_only=True, slots=True)
class AllocationPolicy:
    """Bands per segment, with the reasoning behind them and where it comes from."""

    key: str
    name: str
    bands: Mapping[Segment, Band]
    rationale: str
    source: str

    def __post_init__(self) -> None:
        validate_bands(self.bands)

    def band(self, segment: Segment) -> Band:
        return self.bands[segment]


def validate_bands(bands: Mapping[Segment, Band]) -> None:
    """Refuse bands no team could meet: every segment present, 0 ≤ min ≤ max ≤ 100 %, Σ min ≤ 100 %."""
    missing = [s for s in SEGMENT_ORDER if s not in bands]
    if missing:
        raise InvalidInput(
            gettext_noop("The policy has no band for {segment}."), segment=missing[0].label
        )
    for segment in SEGMENT_ORDER:
        band = bands[segment]
        if not 0 <= band.minimum <= 1 or (band.maximum is not None and not 0 <= band.maximum <= 1):
            raise InvalidInput(
                # xgettext:no-python-format
                gettext_noop("The band for {segment} must lie between 0 % and 100 %."),
                segment=segment.label,
            )
        if band.maximum is not None and band.minimum > band.maximum:
            raise InvalidInput(
                gettext_noop(
                    "The minimum for {segment} ({minimum}) is above its maximum ({maximum})."
                ),
                segment=segment.label,
                minimum=Percent(band.minimum),
                maximum=Percent(band.maximum),
            )
    total = sum((bands[s].minimum for s in SEGMENT_ORDER), Fraction(0))
    if total > 1:
        raise InvalidInput(
            gettext_noop("The minimums add up to {total}; together they can be at most {limit}."),
            total=Percent(total),
            limit=Percent(Fraction(1)),
        )


def _band(minimum: str, maximum: str | None) -> Band:
    return Band(
        minimum=Fraction(minimum), maximum=Fraction(maximum) if maximum is not None else None
    )


BIZTOOLS = AllocationPolicy(
    key="biztools",
    name=gettext_noop("Invest in the best (rule of thumb)"),
    bands={
        Segment.TOP: _band("0.50", None),
        Segment.NEW: _band("0.20", "0.30"),
        Segment.CORE: _band("0.10", "0.20"),
        Segment.UNDER: _band("0.05", "0.10"),
    },
    rationale=gettext_noop(
        "Most managers over-invest in the weakest sellers at the expense of the new and the best. "
        "That risks losing the best sellers, lengthens the time until new sellers become productive, "
        "and wears the manager out on sellers who will not deliver anyway. Spend at least half of "
        "your seller time on the best; on new sellers 20–30 %; on the core 10–20 %; and on those "
        "who do not deliver only 5–10 %, once they have had sufficient support."
    ),
    source=gettext_noop(
        "The rule of thumb for operational sales managers that krutt is built on (biztools)."
    ),
)

CORE_FOCUS = AllocationPolicy(
    key="core-focus",
    name=gettext_noop("Coach the middle (sales-coaching research)"),
    bands={
        Segment.TOP: _band("0.20", "0.30"),
        Segment.NEW: _band("0.20", "0.30"),
        Segment.CORE: _band("0.40", "0.50"),
        Segment.UNDER: _band("0.05", "0.10"),
    },
    rationale=gettext_noop(
        "Research on sales coaching found that coaching pays most in the middle of the team: "
        "stars gain little from more coaching and need attention mainly for retention, while "
        "non-deliverers rarely respond. Weight the core performers, keep the new ones on track, "
        "and keep the best close without over-coaching them."
    ),
    source=gettext_noop(
        "Sales Executive Council (CEB); Dixon & Adamson, «The Challenger Sale», 2011."
    ),
)

PRESETS: dict[str, AllocationPolicy] = {p.key: p for p in (BIZTOOLS, CORE_FOCUS)}
DEFAULT_POLICY = BIZTOOLS


def preset(key: str) -> AllocationPolicy:
    """The shipped policy named `key`."""
    try:
        return PRESETS[key]
    except KeyError:
        raise InvalidInput(
            gettext_noop("Unknown policy {key}; choose one of {choices}."),
            key=key,
            choices=", ".join(PRESETS),
        ) from None


def custom_policy(*, base: AllocationPolicy, bands: Mapping[Segment, Band]) -> AllocationPolicy:
    """A team's own bands on top of a preset's reasoning (validated like the presets)."""
    return AllocationPolicy(
        key=base.key,
        name=base.name,
        bands=dict(bands),
        rationale=base.rationale,
        source=base.source,
    )
