"""The outcome (does the policy pay?) as `krutt outcome --json` and GET /api/v1/outcome give it."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from krutt.domain.outcome import Outcome
from krutt.domain.outcome_stats import Estimate
from krutt.domain.segments import SEGMENT_ORDER


def rounded(value: Fraction | float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _shares(shares: Any) -> dict[str, float | None]:
    return {s.value: (rounded(shares[s]) if shares is not None else None) for s in SEGMENT_ORDER}


def _estimate(estimate: Estimate | None, value: str, count: str) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        value: rounded(estimate.value),
        "low": rounded(estimate.low),
        "high": rounded(estimate.high),
        count: estimate.n,
    }


def outcome_json(outcome: Outcome, manager: str) -> dict[str, Any]:
    """The contract of `krutt outcome --json` (issue 13); shares and attainment as fractions,
    the coaching slope as attainment (a fraction) per coaching hour."""
    retention = outcome.retention
    return {
        "manager": manager,
        "from": str(outcome.first),
        "to": str(outcome.last),
        "months": [
            {
                "month": str(m.month),
                "attainment": rounded(m.attainment),
                "shares": _shares(m.shares),
                "within_policy": m.within_policy,
            }
            for m in outcome.team.months
        ],
        "team_correlation": _estimate(outcome.team.correlation, "r", "months"),
        "coaching_effect": {
            s.value: _estimate(outcome.coaching[s].estimate, "slope_per_hour", "seller_months")
            for s in SEGMENT_ORDER
        },
        "ramp": [
            {
                "email": r.email,
                "tenure_month": r.tenure_month,
                "attainment": rounded(r.attainment),
                "cohort_median": rounded(r.cohort_median),
                "cohort_q1": rounded(r.cohort_q1),
                "cohort_q3": rounded(r.cohort_q3),
                "cohort_size": r.cohort_size,
            }
            for r in outcome.ramp
        ],
        "wear": [
            {
                "week": w.week.isoformat(),
                "shares_time": _shares(w.shares_time),
                "shares_energy": _shares(w.shares_energy),
                "rated_share": rounded(w.rated_share),
            }
            for w in outcome.wear.weeks
        ],
        "retention": None
        if retention is None
        else {
            "leavers": [
                {
                    "email": x.email,
                    "left_on": x.left_on.isoformat(),
                    "hours_per_month": rounded(x.hours_per_month),
                    "stayers_hours_per_month": rounded(x.stayers_hours_per_month),
                }
                for x in retention.leavers
            ],
            "stayers_hours_per_month": rounded(retention.stayers_hours_per_month),
            "leavers_hours_per_month": rounded(retention.leavers_hours_per_month),
        },
    }
