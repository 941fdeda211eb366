"""The plan page: next week's proposal as a week view, saved, adjusted, downloaded as .ics."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import InvalidInput, KruttError
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.periods import Period, iso_week, iso_week_label, week_containing
from krutt.exporters.plan_ics import slot_uid
from krutt.web.access import get_or_404, sellers_managed_by
from krutt.web.accounts.models import Role, User
from krutt.web.audit.trail import record
from krutt.web.clock import SystemClock, today_in
from krutt.web.dashboard.queries import manager_policy
from krutt.web.messages import encode_message
from krutt.web.messages import render as say
from krutt.web.planning.forms import AddForm, HoursForm, MoveForm
from krutt.web.planning.models import PlannedSlot
from krutt.web.planning.plans import (
    calendar_file,
    check_free,
    propose,
    save_week_plan,
    saved_plan,
)
from krutt.web.sellers.policies import organisation_zone
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import employed_between

DEFAULT_HOURS = Decimal(8)


def _manager(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.role == Role.MANAGER and user.organisation is not None:
        return user
    return None


def _week(request: HttpRequest, user: User) -> Period:
    assert user.organisation is not None
    try:
        return iso_week(request.GET.get("week") or request.POST.get("week") or "")
    except InvalidInput:
        # Planning is for the coming week.
        return week_containing(today_in(user.organisation) + timedelta(days=7))


def _last_week(user: User) -> Period:
    """The last week a plan can be made for.

    Segment histories are stored to the horizon (the end of next month). Planning beyond it
    would make a GET extend every seller's history and the organisation's horizon.
    """
    assert user.organisation is not None
    return week_containing(segment_horizon(user.organisation, today_in(user.organisation)))


def _beyond(week: Period, last: Period) -> str:
    """The sentence for a week past the horizon (the page shows it instead of a plan)."""
    return _(
        "Week %(week)s is further ahead than krutt can plan: the segments are known to the "
        "end of next month, so plans go no further than week %(last)s."
    ) % {"week": iso_week_label(week.first), "last": iso_week_label(last.first)}


def _plan_url(week: Period, **extra: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"week": iso_week_label(week.first), **extra}.items())
    return f"{reverse('plan')}?{query}"


def _days(plan: Any, week: Period) -> list[dict[str, Any]]:
    days: list[dict[str, Any]] = []
    for i in range(7):
        day = week.first + timedelta(days=i)
        slots = [
            (seller, slot)
            for seller in plan.sellers
            for slot in seller.slots
            if slot.start.date() == day
        ]
        slots.sort(key=lambda x: x[1].start)
        days.append({"day": day, "slots": slots})
    return [d for d in days if d["slots"] or d["day"].weekday() < 5]


@login_required
def plan_view(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    assert user.organisation is not None
    week = _week(request, user)
    last = _last_week(user)
    pages = {
        "week": week,
        "week_label": iso_week_label(week.first),
        "previous_week": iso_week_label(week.first - timedelta(days=7)),
        "next_week": iso_week_label(week.first + timedelta(days=7))
        if week.first < last.first
        else None,
    }
    if week.first > last.first:
        return render(
            request,
            "planning/plan.html",
            {**pages, "beyond": _beyond(week, last), "last_week": iso_week_label(last.first)},
        )
    policy = manager_policy(user.organisation, user)
    saved = saved_plan(user, week, policy)
    hours_form = HoursForm(
        request.GET if "hours" in request.GET else None,
        initial={"hours": Decimal(saved.plan.available_minutes) / 60 if saved else DEFAULT_HOURS},
        week=iso_week_label(week.first),
    )
    hours = hours_form.cleaned_data["hours"] if hours_form.is_valid() else DEFAULT_HOURS
    proposal = None
    if saved is None or "hours" in request.GET:
        try:
            proposal = propose(user, week=week, hours=hours, now=SystemClock().now())
        except KruttError as error:
            messages.error(request, say(error.message))
    shown = proposal if proposal is not None else (saved.plan if saved else None)
    rows = {(r.seller_id, r.starts_at): r for r in saved.rows} if saved and proposal is None else {}
    today = today_in(user.organisation)
    sellers = (
        sellers_managed_by(user).filter(employed_between(week.first, week.last)).order_by("name")
    )
    return render(
        request,
        "planning/plan.html",
        {
            **pages,
            "plan": shown,
            "is_proposal": proposal is not None,
            "saved": saved,
            "rows": rows,
            "days": _days(shown, week) if shown else [],
            "hours": hours,
            "hours_form": hours_form,
            "add_form": AddForm(sellers=sellers, initial={"day": max(week.first, today)}),
            "move_form": MoveForm(),
        },
    )


@login_required
@require_POST
def plan_save(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    week = _week(request, user)
    if week.first > _last_week(user).first:
        messages.error(request, _beyond(week, _last_week(user)))
        return redirect(_plan_url(week))
    form = HoursForm(request.POST, week=iso_week_label(week.first))
    hours = form.cleaned_data["hours"] if form.is_valid() else DEFAULT_HOURS
    try:
        with transaction.atomic():
            _plan, count = save_week_plan(
                user, week=week, hours=hours, now=SystemClock().now(), channel="web"
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(
            request,
            _("Plan saved: %(count)s sessions. Download it for your calendar.") % {"count": count},
        )
    return redirect(_plan_url(week))


def _slot(request: HttpRequest, slot_id: int) -> tuple[User, PlannedSlot]:
    user = _manager(request)
    slot = get_or_404(
        PlannedSlot.objects.filter(manager=user, cancelled=False)
        if user
        else PlannedSlot.objects.none(),
        pk=slot_id,
    )
    assert user is not None
    return user, slot


@login_required
@require_POST
def slot_drop(request: HttpRequest, slot_id: int) -> HttpResponse:
    user, slot = _slot(request, slot_id)
    with transaction.atomic():
        slot.cancelled = True
        slot.save(update_fields=["cancelled"])
        record(
            action="plan.slot_drop",
            object_type="planned_slot",
            object_id=slot.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
        )
    messages.success(
        request, _("Session dropped. The next download removes it from your calendar.")
    )
    return redirect(_plan_url(iso_week(slot.week)))


@login_required
@require_POST
def slot_move(request: HttpRequest, slot_id: int) -> HttpResponse:
    user, slot = _slot(request, slot_id)
    assert user.organisation is not None
    form = MoveForm(request.POST)
    week = iso_week(slot.week)
    if not form.is_valid():
        messages.error(request, _("Give a day and a start time."))
        return redirect(_plan_url(week))
    zone = organisation_zone(user.organisation)
    start = datetime.combine(form.cleaned_data["day"], form.cleaned_data["start"], tzinfo=zone)
    end = start + (slot.ends_at - slot.starts_at)
    try:
        if not week.contains(start.date()):
            raise InvalidInput(
                gettext_noop("The session must stay in week {week}."), week=slot.week
            )
        check_free(user, start=start, end=end, ignore=slot.pk)
    except KruttError as error:
        messages.error(request, say(error.message))
        return redirect(_plan_url(week))
    with transaction.atomic():
        slot.starts_at, slot.ends_at = start, end
        slot.save(update_fields=["starts_at", "ends_at"])
        record(
            action="plan.slot_move",
            object_type="planned_slot",
            object_id=slot.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
        )
    messages.success(request, _("Session moved."))
    return redirect(_plan_url(week))


@login_required
@require_POST
def slot_add(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    assert user.organisation is not None
    week = _week(request, user)
    if week.first > _last_week(user).first:
        messages.error(request, _beyond(week, _last_week(user)))
        return redirect(_plan_url(week))
    form = AddForm(request.POST, sellers=sellers_managed_by(user))
    if not form.is_valid():
        messages.error(request, _("Choose a seller, a day, a start time and minutes."))
        return redirect(_plan_url(week))
    zone = organisation_zone(user.organisation)
    start = datetime.combine(form.cleaned_data["day"], form.cleaned_data["start"], tzinfo=zone)
    end = start + timedelta(minutes=form.cleaned_data["minutes"])
    seller = form.cleaned_data["seller"]
    label = iso_week_label(week.first)
    try:
        if not week.contains(start.date()):
            raise InvalidInput(gettext_noop("The session must stay in week {week}."), week=label)
        check_free(user, start=start, end=end)
    except KruttError as error:
        messages.error(request, say(error.message))
        return redirect(_plan_url(week))
    with transaction.atomic():
        taken = PlannedSlot.objects.filter(manager=user, week=label, seller=seller).count()
        slot = PlannedSlot.objects.create(
            organisation=user.organisation,
            manager=user,
            week=label,
            seller=seller,
            starts_at=start,
            ends_at=end,
            activity=form.cleaned_data["activity"],
            reason=encode_message(_added_reason()),
            uid=slot_uid(
                manager=str(user.pk), week=label, seller_id=seller.pk, number=taken + 1 + 1000
            ),
        )
        record(
            action="plan.slot_add",
            object_type="planned_slot",
            object_id=slot.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
        )
    messages.success(request, _("Session added."))
    return redirect(_plan_url(week))


def _added_reason() -> Message:
    return Message(gettext_noop("Added by you."))


@login_required
def plan_ics(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    assert user.organisation is not None
    week = _week(request, user)
    if week.first > _last_week(user).first:
        messages.error(request, _beyond(week, _last_week(user)))
        return redirect(_plan_url(week))
    saved = saved_plan(user, week, manager_policy(user.organisation, user))
    if saved is None:
        messages.error(request, _("Save the plan first; the download is the saved plan."))
        return redirect(_plan_url(week))
    body = calendar_file(user, saved, stamp=SystemClock().now(), language=get_language() or "nb")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="krutt-plan-{iso_week_label(week.first)}.ics"'
    )
    return response
