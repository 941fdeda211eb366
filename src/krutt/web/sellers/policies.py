"""A team's policy and segment rules: its own settings, else the organisation's, else the preset."""

from __future__ import annotations

from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from krutt.domain.policy import AllocationPolicy, Band, custom_policy, preset
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import Segment
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Team

RULE_FIELDS = {
    "ramp_months": int,
    "window_months": int,
    "under_below": Fraction,
    "top_from": Fraction,
    "min_months_for_under": int,
    "hysteresis_months": int,
}


def organisation_zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def decode_bands(raw: dict[str, Any]) -> dict[Segment, Band]:
    return {
        Segment(key): Band(
            minimum=Fraction(low), maximum=Fraction(high) if high is not None else None
        )
        for key, (low, high) in raw.items()
    }


def encode_bands(bands: dict[Segment, Band]) -> dict[str, list[str | None]]:
    return {
        segment.value: [str(band.minimum), str(band.maximum) if band.maximum is not None else None]
        for segment, band in bands.items()
    }


def resolve_policy(
    organisation: Organisation, team: Team | None = None, *, key: str | None = None
) -> AllocationPolicy:
    """The policy that applies: an explicit preset key, else the team's, else the organisation's."""
    if key:
        return preset(key)
    if team is not None and team.policy_key:
        base = preset(team.policy_key)
        return custom_policy(base=base, bands=decode_bands(team.bands)) if team.bands else base
    base = preset(organisation.policy_key)
    return (
        custom_policy(base=base, bands=decode_bands(organisation.bands))
        if organisation.bands
        else base
    )


def resolve_rules(organisation: Organisation, team: Team | None = None) -> SegmentationRules:
    """The segment thresholds: the team's choices over the organisation's over the defaults."""
    values: dict[str, Any] = {}
    for source in (organisation.rules, team.rules if team is not None else {}):
        for name, convert in RULE_FIELDS.items():
            if name in source and source[name] is not None:
                values[name] = convert(source[name])
    return SegmentationRules(**values)
