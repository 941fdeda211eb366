"""The team by segment on a day, as `krutt segments --json` and GET /api/v1/segments give it."""

from __future__ import annotations

from datetime import date
from typing import Any

from krutt.services.seller_segments import seller_segments
from krutt.web.accounts.models import User
from krutt.web.messages import render
from krutt.web.sellers.repositories import TeamSegmentsRepository


def team_segments(manager: User, on: date) -> list[Any]:
    assert manager.organisation is not None
    return list(
        seller_segments(
            manager_id=manager.pk, on=on, source=TeamSegmentsRepository(manager.organisation)
        )
    )


def segments_document(result: list[Any], on: date, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "email": s.member.email,
            "name": s.member.name,
            "segment": s.assessment.segment.value,
            "reason": render(s.assessment.reason, lang),
            "attainment": round(float(s.assessment.attainment), 4)
            if s.assessment.attainment is not None
            else None,
            "tenure_months": s.tenure_months,
            "source": s.assessment.source.value,
            "tenure_days": (on - s.member.started_on).days,
            "months_of_data": s.assessment.months_of_data,
            "since": s.assessment.valid_from.isoformat(),
        }
        for s in result
    ]
