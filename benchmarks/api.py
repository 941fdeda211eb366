"""The report endpoint against the CLI report's use case, in the same process.

GET /api/v1/reports goes through Django's whole stack (middleware, token lookup, rate
limit, parameter and response validation, JSON rendering) and calls the very functions
`krutt report --json` calls (`web/answers/report.py`). The baseline is those functions
alone, on the same manager and week, measured in turns with the request. Goal (issue 16):
the endpoint within 1.5x of the use case. The endpoint under concurrent load is in the
pages scenario (benchmarks/pages.py, "report endpoint").
"""

from __future__ import annotations

from datetime import timedelta

from benchmarks.synthetic import Synthetic
from benchmarks.timing import paired_medians

GOAL = 1.5


def report_endpoint(data: Synthetic) -> dict[str, object]:
    from django.test import Client, override_settings

    from krutt.domain.periods import iso_week_label, week_containing
    from krutt.web.accounts.models import User
    from krutt.web.answers.report import report_document, run_report
    from krutt.web.api.tokens import create_token
    from krutt.web.clock import SystemClock

    manager = User.objects.select_related("organisation").get(
        pk=data.manager_ids[len(data.manager_ids) // 2]
    )
    period = week_containing(data.last_day - timedelta(days=90))
    week = iso_week_label(period.first)
    lang = manager.organisation.language if manager.organisation else "nb"
    token = create_token(user=manager, name="bench-api", now=SystemClock().now()).secret
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")

    def use_case() -> object:
        result, alerts = run_report(
            manager, period=period, policy_key=None, now=SystemClock().now()
        )
        return report_document(manager, result, alerts, lang)

    def endpoint() -> object:
        response = client.get("/api/v1/reports", {"manager": manager.email, "week": week})
        assert response.status_code == 200, response.content
        return response

    assert endpoint().json() == use_case()
    with override_settings(KRUTT_API_RATE_PER_MINUTE=10**9):
        endpoint_s, use_case_s = paired_medians(endpoint, use_case)
    ratio = endpoint_s / use_case_s
    return {
        "scenario": "report endpoint, one manager's week, in process",
        "krutt_ms": round(endpoint_s * 1000, 3),
        "baseline": "the CLI report's use case (run_report + report_document), same process",
        "baseline_ms": round(use_case_s * 1000, 3),
        "ratio": round(ratio, 2),
        "goal": f"ratio <= {GOAL}",
        "met": ratio <= GOAL,
    }
