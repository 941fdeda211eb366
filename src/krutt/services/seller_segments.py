"""Each seller's segment on a day, with the reason, for the manager's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from krutt.domain.months import whole_months_between
from krutt.domain.segmentation import SegmentAssessment, assess_segment
from krutt.domain.segments import SEGMENT_ORDER
from krutt.services.ports import SegmentInputs, TeamMember


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerSegment:
    member: TeamMember
    assessment: SegmentAssessment
    tenure_months: int


class TeamSegmentSource(Protocol):
    def team_segment_inputs(
        self, *, manager_id: int, on: date
    ) -> list[tuple[TeamMember, SegmentInputs]]:
        """The manager's sellers employed on `on`, with what their segment rule reads."""
        ...


def seller_segments(*, manager_id: int, on: date, source: TeamSegmentSource) -> list[SellerSegment]:
    """The team by segment (top, new, core, under), then by name."""
    result = [
        SellerSegment(
            member=member,
            assessment=assess_segment(
                profile=inputs.profile,
                results=inputs.results,
                overrides=inputs.overrides,
                rules=inputs.rules,
                on=on,
            ),
            tenure_months=whole_months_between(member.started_on, on),
        )
        for member, inputs in source.team_segment_inputs(manager_id=manager_id, on=on)
    ]
    result.sort(
        key=lambda s: (SEGMENT_ORDER.index(s.assessment.segment), s.member.name, s.member.email)
    )
    return result
