"""The sellers list and the seller page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.domain.limits import NOTE_MAX
from krutt.domain.months import Month
from krutt.domain.outcome import OutcomeSeller
from krutt.domain.periods import Period, week_containing
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.services.override_segment import override_segment, withdraw_override
from krutt.web.access import (
    get_or_404,
    notes_visible_to,
    sellers_managed_by,
    sellers_visible_to,
    teams_visible_to,
)
from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.clock import SystemClock, today_in
from krutt.web.messages import render as say
from krutt.web.outcome.ramps import ramp_figures
from krutt.web.planning.team import ramp_histories
from krutt.web.sellers.forms import NoteForm, OverrideForm
from krutt.web.sellers.models import SegmentOverride, SegmentPeriod, Seller, SellerNote
from krutt.web.sellers.overrides import OverrideRepository
from krutt.web.sellers.queries import SORTS, seller_history, seller_rows
from krutt.web.sellers.repositories import employed_between
from krutt.web.support.forms import DecisionForm, SupportLogForm, SupportPlanForm
from krutt.web.support.models import SupportDecision, SupportLogEntry, SupportPlan
from krutt.web.support.repositories import support_statuses
from krutt.web.ui.charts import monthly_bars, sparkline

PERIODS = ("week", "4weeks", "quarter")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _period(choice: str, today: object) -> Period:
    from datetime import date

    assert isinstance(today, date)
    week = week_containing(today)
    if choice == "week":
        return week
    if choice == "quarter":
        return Period(first=week.first - timedelta(weeks=12), last=week.last)
    return Period(first=week.first - timedelta(weeks=3), last=week.last)


@login_required
def seller_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.organisation is None:
        return redirect("dashboard")
    today = today_in(user.organisation)
    teams = teams_visible_to(user)
    sellers = sellers_visible_to(user).filter(employed_between(today, today))
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        sellers = sellers.filter(team_id=int(team_id))
    choice = request.GET.get("period", "4weeks")
    choice = choice if choice in PERIODS else "4weeks"
    period = _period(choice, today)
    manager_ids = [t.manager_id for t in teams if t.manager_id]
    rows = seller_rows(
        sellers, today=today, now=SystemClock().now(), period=period, manager_ids=manager_ids
    )
    counts = dict.fromkeys(SEGMENT_ORDER, 0)
    for row in rows:
        counts[row.segment] += 1
    segment = request.GET.get("segment", "")
    if segment in {s.value for s in Segment}:
        rows = [r for r in rows if r.segment.value == segment]
    sort = request.GET.get("sort", "segment")
    sort = sort if sort in SORTS else "segment"
    rows.sort(key=SORTS[sort])
    return render(
        request,
        "sellers/list.html",
        {
            "rows": [(r, sparkline(r.monthly)) for r in rows],
            "segment": segment,
            "sort": sort,
            "period_choice": choice,
            "period": period,
            "segments": SEGMENT_ORDER,
            "teams": teams,
            "team_id": team_id,
            "counts": counts,
        },
    )


@login_required
def seller_detail(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = _user(request)
    seller = get_or_404(
        sellers_visible_to(user).select_related("team", "organisation"), pk=seller_id
    )
    assert user.organisation is not None
    today = today_in(user.organisation)
    history = seller_history(seller, today=today)
    can_manage = sellers_managed_by(user).filter(pk=seller.pk).exists()
    override = (
        SegmentOverride.objects.filter(
            seller=seller, withdrawn_at__isnull=True, starts_on__lte=today
        )
        .exclude(expires_on__lte=today)
        .order_by("-starts_on")
        .first()
    )
    bars = [
        (str(m), float(t) if t is not None else None, float(a) if a is not None else None)
        for m, t, a in history.months
    ]
    current = history.periods[0] if history.periods else None
    ramp = _ramp(seller, today)
    has_ledger = SupportPlan.objects.filter(seller=seller).exists()
    support = None
    if (current is not None and current.segment == Segment.UNDER.value) or has_ledger:
        support = {
            "status": support_statuses([seller.pk], on=today)[SellerId(seller.pk)],
            "plan_form": SupportPlanForm(
                initial={"started_on": today, "review_on": today + timedelta(days=90)}
            ),
            "log_form": SupportLogForm(initial={"day": today}),
            "decision_form": DecisionForm(initial={"decided_on": today}),
            "entries": SupportLogEntry.objects.filter(seller=seller).order_by("-day")[:20],
            "decisions": SupportDecision.objects.filter(seller=seller)[:10],
        }
    return render(
        request,
        "sellers/detail.html",
        {
            "seller": seller,
            "history": history,
            "bars_svg": monthly_bars(bars),
            "current": current,
            "support": support,
            "override": override,
            "can_manage": can_manage,
            "override_form": OverrideForm(initial={"segment": current.segment if current else ""}),
            "runs": segment_runs(history.periods),
            "note_form": NoteForm(),
            "notes": notes_visible_to(user).filter(seller=seller),
            "today": today,
            "ramp": ramp,
        },
    )


def _ramp(seller: Seller, today: date) -> dict[str, Any] | None:
    """The seller's first year against the earlier hires on their manager's teams."""
    manager_id = seller.team.manager_id if seller.team is not None else None
    if manager_id is None:
        return None
    histories, _ = ramp_histories([manager_id], before=Month.of(today)).get(manager_id, ([], None))
    figures = ramp_figures(
        [
            OutcomeSeller(
                seller_id=SellerId(seller.pk),
                email=seller.email,
                name=seller.name,
                started_on=seller.started_on,
                ended_on=seller.ended_on,
            )
        ],
        histories,
        today=today,
    )
    return figures[0] if figures else None


@login_required
@require_POST
def seller_override(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = _user(request)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    assert user.organisation is not None
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The override was not saved: a segment and a reason are needed."))
        return redirect("seller_detail", seller_id=seller.pk)
    today = today_in(user.organisation)
    try:
        with transaction.atomic():
            override_id, before = override_segment(
                store=OverrideRepository(user.organisation),
                seller_id=SellerId(seller.pk),
                segment=Segment(form.cleaned_data["segment"]),
                reason=form.cleaned_data["reason"],
                today=today,
                expires_on=form.cleaned_data["expires_on"],
                actor_id=user.pk,
            )
            record(
                action="segment.override",
                object_type="seller",
                object_id=seller.pk,
                organisation_id=user.organisation_id,
                actor_id=user.pk,
                actor_label=user.email,
                changes={
                    "segment": [before.value, form.cleaned_data["segment"]],
                    "override": override_id,
                },
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Segment overridden. The reason is kept with it."))
    return redirect("seller_detail", seller_id=seller.pk)


@login_required
@require_POST
def seller_override_withdraw(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = _user(request)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    assert user.organisation is not None
    try:
        with transaction.atomic():
            before = withdraw_override(
                store=OverrideRepository(user.organisation),
                seller_id=SellerId(seller.pk),
                today=today_in(user.organisation),
            )
            record(
                action="segment.override_withdrawn",
                object_type="seller",
                object_id=seller.pk,
                organisation_id=user.organisation_id,
                actor_id=user.pk,
                actor_label=user.email,
                changes={"segment": [before.value, None]},
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Override withdrawn: the rule decides again."))
    return redirect("seller_detail", seller_id=seller.pk)


@login_required
@require_POST
def seller_note_add(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = _user(request)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            note = SellerNote.objects.create(
                seller=seller, author=user, text=form.cleaned_data["text"].strip()
            )
            record(
                action="note.create",
                object_type="seller_note",
                object_id=note.pk,
                organisation_id=user.organisation_id,
                actor_id=user.pk,
                actor_label=user.email,
                changes={"seller": seller.pk},
            )
    elif request.POST.get("text", "").strip():
        messages.error(
            request,
            _("The note is longer than %(limit)s characters; it was not saved.")
            % {"limit": NOTE_MAX},
        )
    else:
        messages.error(request, _("An empty note was not saved."))
    return redirect("seller_detail", seller_id=seller.pk)


@login_required
@require_POST
def seller_note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    user = _user(request)
    note = get_or_404(notes_visible_to(user), pk=note_id)
    seller_id = note.seller_id
    with transaction.atomic():
        record(
            action="note.delete",
            object_type="seller_note",
            object_id=note.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
            changes={"seller": seller_id},
        )
        note.delete()
    return redirect("seller_detail", seller_id=seller_id)


def segment_runs(periods: list[SegmentPeriod]) -> list[tuple[SegmentPeriod, SegmentPeriod]]:
    """Consecutive periods in the same segment as one run: (where it began, its latest reason)."""
    runs: list[tuple[SegmentPeriod, SegmentPeriod]] = []
    for period in periods:  # newest first
        if runs and runs[-1][0].segment == period.segment:
            runs[-1] = (period, runs[-1][1])
        else:
            runs.append((period, period))
    return runs
