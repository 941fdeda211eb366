"""A week's plan as the JSON document `krutt plan --json` prints (the keys are a contract).

`{"week", "hours", "policy", "segments": {"top": {"hours", …}, …}, "sellers": [{"email",
"segment", "hours", "slots": [{"start", "end", "activity", "reason"}]}], "unplaced",
"warnings"}`; hours are numbers (whole hours as integers), times ISO 8601 with the
organisation's offset, texts rendered by `render` in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from krutt.domain.messages import Message, render_plain
from krutt.domain.planning import WeekPlan
from krutt.domain.segments import SEGMENT_ORDER

Render = Callable[[Message], str]


def hours_value(minutes: int | Fraction) -> int | float:
    """Minutes as hours for JSON: 600 → 10, 450 → 7.5, 100 → 1.67."""
    hours = Fraction(minutes) / 60
    if hours.denominator == 1:
        return int(hours)
    return round(float(hours), 2)


def plan_document(plan: WeekPlan, *, render: Render = render_plain) -> dict[str, Any]:
    """The plan as plain JSON-ready values."""
    total = plan.planned_minutes
    return {
        "week": plan.label,
        "hours": hours_value(plan.available_minutes),
        "policy": plan.policy.key,
        "segments": {
            segment.value: {
                "hours": hours_value(plan.segments[segment].minutes),
                "share": round(float(Fraction(plan.segments[segment].minutes, total)), 4)
                if total
                else 0,
                "target": round(float(plan.segments[segment].target), 4),
                "sellers": plan.segments[segment].sellers,
            }
            for segment in SEGMENT_ORDER
        },
        "sellers": [
            {
                "email": seller.email,
                "segment": seller.segment.value,
                "hours": hours_value(seller.minutes),
                "slots": [
                    {
                        "start": slot.start.isoformat(),
                        "end": slot.end.isoformat(),
                        "activity": slot.activity.value,
                        "reason": render(slot.reason),
                    }
                    for slot in seller.slots
                ],
            }
            for seller in plan.sellers
        ],
        "unplaced": [
            {
                "email": item.email,
                "segment": item.segment.value,
                "hours": hours_value(item.minutes),
                "reason": render(item.reason),
            }
            for item in plan.unplaced
        ],
        "warnings": [
            {"code": warning.code.value, "message": render(warning.message)}
            for warning in plan.warnings
        ],
    }
