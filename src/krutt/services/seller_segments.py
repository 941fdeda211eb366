"""Each seller's segment on a day, with the reason, for the manager's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from krutt.domain.months import Month, whole_months_between
from krutt.domain.relative import has_untargeted_actuals
from krutt.domain.segmentation import SegmentAssessment, assess_segment
from krutt.domain.segments import SEGMENT_ORDER
from krutt.services.ports import SegmentInputs, TeamMember
from krutt.services.refresh_segments import medians_by_team


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

    def team_history_inputs(self, *, manager_id: int) -> list[SegmentInputs]:
        """Every seller ever on the manager's teams (the benchmark for sellers without targets)."""
        ...


def seller_segments(*, manager_id: int, on: date, source: TeamSegmentSource) -> list[SellerSegment]:
    """The team by segment (top, new, core, under), then by name."""
    team = source.team_segment_inputs(manager_id=manager_id, on=on)
    medians: dict[int | None, dict[Month, Decimal]] = {}
    if any(has_untargeted_actuals(inputs.results) for _, inputs in team):
        # The same benchmark the stored history uses: everyone who was on the team.
        medians = medians_by_team(source.team_history_inputs(manager_id=manager_id))
    result = [
        SellerSegment(
            member=member,
            assessment=assess_segment(
                profile=inputs.profile,
                results=inputs.results,
                overrides=inputs.overrides,
                rules=inputs.rules,
                on=on,
                team_medians=medians.get(inputs.team_id),
            ),
            tenure_months=whole_months_between(member.started_on, on),
        )
        for member, inputs in team
    ]
    result.sort(
        key=lambda s: (SEGMENT_ORDER.index(s.assessment.segment), s.member.name, s.member.email)
    )
    return result
