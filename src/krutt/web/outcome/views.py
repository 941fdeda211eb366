"""Results: does the policy pay? The manager's team, or each of a director's teams side by side."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from krutt.domain.outcome import PUBLISHED_FINDING, Outcome, RampRow
from krutt.domain.segments import SEGMENT_ORDER
from krutt.services.outcome import outcome_report
from krutt.web.access import teams_visible_to
from krutt.web.accounts.models import Role, User
from krutt.web.clock import today_in
from krutt.web.dashboard.queries import manager_policy
from krutt.web.messages import format_hours, format_number
from krutt.web.outcome.charts import (
    coaching_chart,
    outcome_chart,
    ramp_chart,
    retention_chart,
    wear_chart,
)
from krutt.web.outcome.repository import OutcomeRepository
from krutt.web.privacy.notices import manager_warnings, notice_warnings


def _points(value: float | None) -> str:
    """Attainment per coaching hour as percentage points with one decimal."""
    return "–" if value is None else format_number(round(value * 100, 1), 1)


def _view(outcome: Outcome) -> dict[str, Any]:
    ramp: dict[int, list[RampRow]] = defaultdict(list)
    for row in outcome.ramp:
        ramp[row.seller_id].append(row)
    retention = outcome.retention
    return {
        "outcome": outcome,
        "outcome_svg": outcome_chart(outcome.team.months),
        "coaching": [
            {
                "segment": s,
                "effect": outcome.coaching[s],
                "slope": _points(e.value if (e := outcome.coaching[s].estimate) else None),
                "low": _points(e.low if e else None),
                "high": _points(e.high if e else None),
            }
            for s in SEGMENT_ORDER
        ],
        "coaching_svg": coaching_chart(outcome.coaching),
        "ramp": [
            {"name": rows[0].name, "rows": rows, "svg": ramp_chart(rows)} for rows in ramp.values()
        ],
        "wear_svg": wear_chart(outcome.wear.weeks),
        "retention": retention,
        "leavers": [
            {
                "leaver": x,
                "hours": format_hours(x.hours_per_month),
                "stayers": format_hours(x.stayers_hours_per_month)
                if x.stayers_hours_per_month is not None
                else "–",
            }
            for x in (retention.leavers if retention else ())
        ],
        "retention_svg": retention_chart(
            float(retention.leavers_hours_per_month), float(retention.stayers_hours_per_month)
        )
        if retention
        and retention.leavers_hours_per_month is not None
        and retention.stayers_hours_per_month is not None
        else "",
    }


@login_required
def results(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.role not in (Role.MANAGER, Role.DIRECTOR) or user.organisation is None:
        return redirect("dashboard")
    organisation = user.organisation
    today = today_in(organisation)
    columns = []
    if user.role == Role.MANAGER:
        warnings = manager_warnings(user, today=today)
        teams = list(teams_visible_to(user).order_by("name"))
        if teams:
            outcome = outcome_report(
                manager_id=user.pk,
                today=today,
                policy=manager_policy(organisation, user),
                source=OutcomeRepository(organisation),
            )
            columns.append({"title": ", ".join(t.name for t in teams), "who": "", **_view(outcome)})
    else:
        warnings = notice_warnings(
            teams_visible_to(user).select_related("organisation"), today=today
        )
        for team in teams_visible_to(user).select_related("manager").order_by("name"):
            if team.manager is None:
                continue
            outcome = outcome_report(
                manager_id=team.manager.pk,
                today=today,
                policy=manager_policy(organisation, team.manager),
                source=OutcomeRepository(organisation, team_ids=[team.pk]),
            )
            columns.append(
                {
                    "title": team.name,
                    "who": team.manager.name or team.manager.email,
                    **_view(outcome),
                }
            )
    return render(
        request,
        "outcome/results.html",
        {
            "columns": columns,
            "segments": SEGMENT_ORDER,
            "published_finding": PUBLISHED_FINDING,
            "side_by_side": user.role == Role.DIRECTOR,
            "notice_warnings": warnings,
        },
    )
