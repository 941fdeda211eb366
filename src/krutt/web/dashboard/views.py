"""The manager's dashboard and the director's view of all teams."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from krutt.domain.allocation import Allocation
from krutt.domain.outcome import OutcomeSeller
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.web.access import teams_visible_to
from krutt.web.accounts.models import Role, User
from krutt.web.clock import SystemClock, today_in
from krutt.web.connections.selectors import stale_calendars
from krutt.web.crm.status import stale_crms
from krutt.web.dashboard.first_things import (
    Action,
    grouped_alerts,
    move_sentence,
    next_actions,
    time_by_seller,
)
from krutt.web.dashboard.queries import manager_policy, managers_policies, overview_for
from krutt.web.outcome.ramps import ramp_figures
from krutt.web.planning.alerts import alert_window, alerts_from
from krutt.web.planning.team import team_facts, teams_facts
from krutt.web.privacy.notices import manager_warnings, teams_warnings
from krutt.web.sellers.models import Team
from krutt.web.team.models import PerceivedSplit
from krutt.web.team.perceived import comparison
from krutt.web.team.progress import setup_complete, setup_progress
from krutt.web.timelog.repositories import TeamsTime, TimeRepository
from krutt.web.ui.charts import band_meter, trend_chart


def _segments(allocation: Allocation) -> list[dict[str, object]]:
    return [
        {
            "segment": s,
            "allocation": allocation.segments[s],
            "meter": band_meter(allocation.segments[s].share, allocation.segments[s].band, s),
        }
        for s in SEGMENT_ORDER
    ]


def _planned(allocation: Allocation) -> dict[str, object] | None:
    """«Planned for the rest of this week: 3.0 h, of which top 1.0 h» (None: nothing planned)."""
    if allocation.seller_minutes == 0:
        return None
    return {
        "minutes": allocation.seller_minutes,
        "top": allocation.segments[Segment.TOP].minutes,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.role == Role.DIRECTOR:
        return redirect("org_overview")
    if user.role != Role.MANAGER or user.organisation is None:
        return redirect("settings")
    progress = None if setup_complete(user) else setup_progress(user)
    now = SystemClock().now()
    today = today_in(user.organisation)
    policy = manager_policy(user.organisation, user)
    overview = overview_for(user, now, policy)
    window = alert_window(today)
    facts = team_facts(user, on=today, window=window, now=now)
    alerts = alerts_from(
        facts, on=today, window=window, policy=policy, allocation=overview.recent_allocation
    )
    groups = grouped_alerts(alerts)
    perception = comparison(user, overview.trend, today)
    ask = (
        [Action(_("Say how you think last week's time split"), reverse("perceived"))]
        if not perception["asked"] and progress is None
        else []
    )
    context = {
        "perception": perception,
        # The setup path stays on top until the team has sellers, numbers and time.
        "setup": progress,
        "overview": overview,
        "alerts": alerts,
        "alert_groups": groups,
        "new_group": any(g["key"] == "new" for g in groups),
        "actions": next_actions(overview.headline, overview.recent_allocation, alerts, extra=ask),
        "moves": [
            {"sentence": move_sentence(m), "weekly": w.minutes}
            for m, w in zip(overview.moves, overview.weekly_moves, strict=True)
        ],
        "by_seller": time_by_seller(overview.recent_allocation),
        "ramps": ramp_figures(
            (
                OutcomeSeller(
                    seller_id=s.seller_id,
                    email=s.email,
                    name=s.name,
                    started_on=s.started_on,
                    ended_on=None,
                )
                for s in facts.team
            ),
            facts.histories,
            today=today,
            link=True,
        ),
        "planned": _planned(overview.planned_this_week),
        "week_segments": _segments(overview.this_week_allocation),
        "recent_segments": _segments(overview.recent_allocation),
        "trend_svg": trend_chart(
            [p.shares for p in overview.trend],
            unfinished=not overview.trend[-1].complete if overview.trend else False,
        ),
        "segments": SEGMENT_ORDER,
        "teams": teams_visible_to(user),
        "notice_warnings": manager_warnings(user, today=today),
        "stale_calendars": stale_calendars(user, now=now, lang=request.LANGUAGE_CODE),
        "stale_crms": stale_crms(user.organisation_id, now),
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
def org_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    organisation = user.organisation
    if user.role != Role.DIRECTOR or organisation is None:
        return redirect("dashboard")
    now = SystemClock().now()
    today = today_in(organisation)
    teams = [
        t
        for t in teams_visible_to(user).select_related("manager", "manager__organisation")
        if t.manager is not None
    ]
    teams.sort(key=lambda t: t.name)
    managers = list(dict.fromkeys(t.manager_id for t in teams if t.manager_id is not None))
    # Every team in the same few queries, however many there are.
    policies = managers_policies(organisation, managers)
    source = TeamsTime(TimeRepository(organisation), managers)
    window = alert_window(today)
    facts = teams_facts(organisation, managers, on=today, window=window, now=now)
    # A manager's own estimates reach the director only when the manager shares them.
    sharing = set(
        PerceivedSplit.objects.filter(manager_id__in=managers, shared=True).values_list(
            "manager_id", flat=True
        )
    )
    warnings = teams_warnings(
        Team.objects.filter(pk__in=[t.pk for t in teams]), organisation, today=today
    )
    cards = []
    for team in teams:
        assert team.manager is not None
        policy = policies[team.manager.pk]
        overview = overview_for(team.manager, now, policy, source=source)
        cards.append(
            {
                "team": team,
                "perceived": comparison(team.manager, overview.trend, today)
                if team.manager.pk in sharing
                else None,
                "overview": overview,
                "segments": _segments(overview.recent_allocation),
                "alerts": alerts_from(
                    facts[team.manager.pk],
                    on=today,
                    window=window,
                    policy=policy,
                    allocation=overview.recent_allocation,
                ),
                "notice_warnings": warnings.get(team.pk, []),
            }
        )
    return render(
        request,
        "dashboard/org.html",
        {"cards": cards, "stale_crms": stale_crms(user.organisation_id, now)},
    )
