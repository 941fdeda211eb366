"""The read endpoints: reports, segments, plans and outcome, each the CLI's `--json` answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field as QueryField
from ninja import Query, Router, Schema, Status

from krutt.domain.periods import parse_day
from krutt.web.accounts.models import Role
from krutt.web.answers.report import report_document, report_period, run_report
from krutt.web.answers.segments import segments_document, team_segments
from krutt.web.api.auth import only
from krutt.web.api.errors import responses
from krutt.web.api.schemas import DAY, MONTH, WEEK, Report, SegmentRow
from krutt.web.api.scope import language, require, visible_manager
from krutt.web.clock import SystemClock, today_in

router = Router(tags=["reports"])

Lang = Literal["nb", "en"]
Policy = Literal["biztools", "core-focus"]


class ReportQuery(Schema):
    manager: str | None = QueryField(default=None, max_length=254)
    week: str | None = QueryField(default=None, pattern=WEEK, description="ISO week, 2026-W47")
    month: str | None = QueryField(default=None, pattern=MONTH, description="2026-11")
    first: str | None = QueryField(default=None, alias="from", pattern=DAY)
    last: str | None = QueryField(default=None, alias="to", pattern=DAY)
    policy: Policy | None = None
    lang: Lang | None = None


@router.get(
    "/reports",
    response=responses(Report),
    by_alias=True,
    url_name="reports",
    auth=only(Role.MANAGER, Role.DIRECTOR),
)
def reports(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Seller time per segment against the policy (`krutt report --json`)."""
    user = require(request, Role.MANAGER, Role.DIRECTOR)
    assert user.organisation is not None
    with transaction.atomic():
        manager = visible_manager(user, query.manager)
        period = report_period(
            week=query.week,
            month=query.month,
            first=query.first,
            last=query.last,
            today=today_in(user.organisation),
        )
        result, alerts = run_report(
            manager, period=period, policy_key=query.policy, now=SystemClock().now()
        )
        return report_document(manager, result, alerts, language(user, query.lang))


class SegmentsQuery(Schema):
    manager: str | None = QueryField(default=None, max_length=254)
    at: str | None = QueryField(default=None, pattern=DAY, description="the day to judge")
    lang: Lang | None = None


@router.get(
    "/segments",
    response=responses(list[SegmentRow]),
    url_name="segments",
    auth=only(Role.MANAGER, Role.DIRECTOR),
)
def segments(request: HttpRequest, query: Query[SegmentsQuery]) -> Any:
    """Each seller's segment and why (`krutt segments --json`)."""
    user = require(request, Role.MANAGER, Role.DIRECTOR)
    assert user.organisation is not None
    with transaction.atomic():
        manager = visible_manager(user, query.manager)
        on = parse_day(query.at) if query.at else today_in(user.organisation)
        return segments_document(team_segments(manager, on), on, language(user, query.lang))


class PlanQuery(Schema):
    manager: str | None = QueryField(default=None, max_length=254)
    week: str | None = QueryField(default=None, pattern=WEEK)
    hours: Decimal = QueryField(gt=0, le=80, max_digits=5, decimal_places=2)
    policy: Policy | None = None
    lang: Lang | None = None


def _week(user: Any, week: str | None) -> Any:
    from datetime import timedelta

    from krutt.domain.periods import iso_week, week_containing
    from krutt.web.planning.plans import check_plannable

    today = today_in(user.organisation)
    chosen = iso_week(week) if week else week_containing(today + timedelta(days=7))
    # As on the web: planning past the stored segments would make a read extend them.
    check_plannable(user, chosen, today)
    return chosen


@router.get(
    "/plans",
    response=responses(dict[str, Any]),
    url_name="plans",
    auth=only(Role.MANAGER),
)
def plans(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    """Next week's plan as calendar slots (`krutt plan --json`); nothing is saved."""
    from krutt.exporters.plan_json import plan_document
    from krutt.web.messages import render
    from krutt.web.planning.plans import propose

    user = require(request, Role.MANAGER)
    lang = language(user, query.lang)
    with transaction.atomic():
        manager = visible_manager(user, query.manager)
        plan = propose(
            manager,
            week=_week(manager, query.week),
            hours=query.hours,
            now=SystemClock().now(),
            policy_key=query.policy,
        )
        return plan_document(plan, render=lambda m: render(m, lang))


class PlanSave(Schema):
    week: str | None = QueryField(default=None, pattern=WEEK)
    hours: Decimal = QueryField(gt=0, le=80, max_digits=5, decimal_places=2)
    policy: Policy | None = None
    lang: Lang | None = None


@router.post(
    "/plans",
    response=responses(dict[str, Any], 201),
    url_name="plans",
    auth=only(Role.MANAGER),
)
def save(request: HttpRequest, body: PlanSave) -> Any:
    """Propose the week's plan and keep it, as the plan page's Save (audited); the saved plan."""
    from krutt.exporters.plan_json import plan_document
    from krutt.web.messages import render
    from krutt.web.planning.plans import save_week_plan

    user = require(request, Role.MANAGER)
    lang = language(user, body.lang)
    with transaction.atomic():
        plan, _count = save_week_plan(
            user,
            week=_week(user, body.week),
            hours=body.hours,
            now=SystemClock().now(),
            channel="api",
            policy_key=body.policy,
        )
        return Status(201, plan_document(plan, render=lambda m: render(m, lang)))


class OutcomeQuery(Schema):
    manager: str | None = QueryField(default=None, max_length=254)
    months: int = QueryField(default=24, ge=1, le=120)
    at: str | None = QueryField(default=None, pattern=DAY)


@router.get(
    "/outcome",
    response=responses(dict[str, Any]),
    url_name="outcome",
    auth=only(Role.MANAGER, Role.DIRECTOR),
)
def outcome(request: HttpRequest, query: Query[OutcomeQuery]) -> Any:
    """Does the policy pay (`krutt outcome --json`)."""
    from krutt.domain.outcome import OutcomeRules
    from krutt.services.outcome import outcome_report
    from krutt.web.answers.outcome import outcome_json
    from krutt.web.dashboard.queries import manager_policy
    from krutt.web.outcome.repository import OutcomeRepository

    user = require(request, Role.MANAGER, Role.DIRECTOR)
    organisation = user.organisation
    assert organisation is not None
    with transaction.atomic():
        manager = visible_manager(user, query.manager)
        result = outcome_report(
            manager_id=manager.pk,
            today=parse_day(query.at) if query.at else today_in(organisation),
            policy=manager_policy(organisation, manager),
            source=OutcomeRepository(organisation),
            rules=OutcomeRules(months=query.months),
        )
        return outcome_json(result, manager.email)
