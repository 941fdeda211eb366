"""The time log: quick entry, the week grid, corrections, and the timer."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.periods import Period, iso_week, iso_week_label, week_containing
from krutt.domain.sellers import SellerId
from krutt.services.record_time import (
    MAX_ENTRY_MINUTES,
    Source,
    TimeRecord,
    delete_time,
    edit_time,
    record_time,
)
from krutt.web.access import entries_managed_by, get_or_404, sellers_managed_by
from krutt.web.accounts.models import User
from krutt.web.clock import SystemClock, today_in
from krutt.web.decorators import Refused, manager_required, refusal_on
from krutt.web.sellers.models import Seller
from krutt.web.sellers.policies import organisation_zone
from krutt.web.sellers.repositories import employed_between
from krutt.web.timelog.forms import MINUTE_CHOICES, TimeEntryForm, TimerForm
from krutt.web.timelog.models import RunningTimer
from krutt.web.timelog.repositories import TimeRepository


def _team(user: User, day: date) -> QuerySet[Seller]:
    return sellers_managed_by(user).filter(employed_between(day, day)).order_by("name")


def _week(request: HttpRequest, today: date) -> Period:
    try:
        return iso_week(request.GET["week"])
    except (KeyError, InvalidInput):
        return week_containing(today)


def _record(form: TimeEntryForm, now: datetime) -> TimeRecord:
    return TimeRecord(
        seller_ids=tuple(SellerId(s.pk) for s in form.cleaned_data["sellers"]),
        started_at=form.cleaned_data["when"] or now,
        minutes=form.cleaned_data["minutes"],
        activity=Activity(form.cleaned_data["activity"]),
        note=form.cleaned_data["note"],
        energy=form.cleaned_data["energy"],
    )


def _log(user: User) -> TimeRepository:
    assert user.organisation is not None
    return TimeRepository(user.organisation, actor=user, channel="web")


@manager_required
def time_log(request: HttpRequest, user: User) -> HttpResponse:
    assert user.organisation is not None
    today = today_in(user.organisation)
    zone = organisation_zone(user.organisation)
    team = _team(user, today)
    if request.method == "POST":
        form = TimeEntryForm(request.POST, sellers=sellers_managed_by(user))
        if form.is_valid() and _saved(
            form,
            lambda now: record_time(
                log=_log(user),
                record=_record(form, now),
                manager_id=user.pk,
                zone=zone,
                now=now,
            ),
        ):
            minutes = form.cleaned_data["minutes"]
            messages.success(
                request,
                _("Logged %(minutes)s minutes with %(sellers)s.")
                % {
                    "minutes": minutes,
                    "sellers": ", ".join(s.name for s in form.cleaned_data["sellers"]),
                },
            )
            return redirect(_local_next(request) or "time_log")
    else:
        form = TimeEntryForm(sellers=team)
    week = _week(request, today)
    context = {
        **_week_context(user, week, team),
        "form": form,
        "today": today,
        "minute_presets": MINUTE_CHOICES,
    }
    return render(request, "timelog/log.html", context)


def _week_context(user: User, week: Period, team: QuerySet[Seller]) -> dict[str, Any]:
    days = [week.first + timedelta(days=i) for i in range(7)]
    entries = list(
        entries_managed_by(user)
        .filter(day__gte=week.first, day__lte=week.last)
        .prefetch_related("sellers")
        .order_by("started_at")
    )
    grid: dict[int, dict[date, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    names: dict[int, str] = {s.pk: s.name for s in team}
    team_wide = Fraction(0)
    assert user.organisation is not None
    limit = user.organisation.team_wide_above
    for entry in entries:
        sellers = list(entry.sellers.all())
        if len(sellers) > limit:
            team_wide += entry.minutes
            continue
        for seller in sellers:
            names.setdefault(seller.pk, seller.name)
            grid[seller.pk][entry.day] += Fraction(entry.minutes, len(sellers))
    rows: list[dict[str, Any]] = [
        {
            "name": name,
            "cells": [grid[pk].get(d, Fraction(0)) for d in days],
            "total": sum(grid[pk].values(), Fraction(0)),
        }
        for pk, name in sorted(names.items(), key=lambda x: x[1])
    ]
    totals = [sum((r["cells"][i] for r in rows), Fraction(0)) for i in range(7)]
    timer = RunningTimer.objects.filter(manager=user).prefetch_related("sellers").first()
    return {
        "week": week,
        "week_label": iso_week_label(week.first),
        "previous_week": iso_week_label(week.first - timedelta(days=7)),
        "next_week": iso_week_label(week.first + timedelta(days=7)),
        "days": days,
        "rows": rows,
        "totals": totals,
        "grand_total": sum(totals, Fraction(0)),
        "team_wide": team_wide,
        "entries": entries,
        "timer": timer,
        "timer_form": TimerForm(sellers=team),
    }


@manager_required
def entry_edit(request: HttpRequest, user: User, entry_id: int) -> HttpResponse:
    entry = get_or_404(entries_managed_by(user), pk=entry_id)
    assert user.organisation is not None
    zone = organisation_zone(user.organisation)
    if request.method == "POST":
        form = TimeEntryForm(request.POST, sellers=sellers_managed_by(user))
        if form.is_valid() and _saved(
            form,
            lambda now: edit_time(
                log=_log(user),
                entry_id=entry.pk,
                record=_record(form, now),
                manager_id=user.pk,
                zone=zone,
                now=now,
            ),
        ):
            messages.success(request, _("Entry corrected."))
            return redirect(f"{reverse('time_log')}?week={iso_week_label(entry.day)}")
    else:
        form = TimeEntryForm(
            sellers=sellers_managed_by(user).order_by("name"),
            initial={
                "sellers": list(entry.sellers.all()),
                "activity": entry.activity,
                "minutes": entry.minutes,
                "when": timezone.localtime(entry.started_at),
                "note": entry.note,
                "energy": entry.energy,
            },
        )
    return render(request, "timelog/edit.html", {"form": form, "entry": entry})


def _saved(form: TimeEntryForm, action: Callable[[datetime], object]) -> bool:
    """Run the use case; a rule's refusal becomes the form's error."""
    try:
        with refusal_on(form):
            action(SystemClock().now())
    except Refused:
        return False
    return True


@manager_required
@require_POST
def entry_delete(request: HttpRequest, user: User, entry_id: int) -> HttpResponse:
    entry = get_or_404(entries_managed_by(user), pk=entry_id)
    delete_time(log=_log(user), entry_id=entry.pk, manager_id=user.pk)
    messages.success(request, _("Entry deleted."))
    return redirect(f"{reverse('time_log')}?week={iso_week_label(entry.day)}")


@manager_required
@require_POST
def timer_start(request: HttpRequest, user: User) -> HttpResponse:
    assert user.organisation is not None
    form = TimerForm(request.POST, sellers=_team(user, today_in(user.organisation)))
    if not form.is_valid():
        messages.error(request, _("Choose at least one seller and an activity to start the timer."))
        return redirect("time_log")
    with transaction.atomic():
        RunningTimer.objects.filter(manager=user).delete()
        timer = RunningTimer.objects.create(
            manager=user, started_at=SystemClock().now(), activity=form.cleaned_data["activity"]
        )
        timer.sellers.set(form.cleaned_data["sellers"])
    return redirect("time_log")


@manager_required
@require_POST
def timer_stop(request: HttpRequest, user: User) -> HttpResponse:
    timer = RunningTimer.objects.filter(manager=user).prefetch_related("sellers").first()
    if timer is None:
        return redirect("time_log")
    if request.POST.get("discard"):
        timer.delete()
        messages.info(request, _("Timer discarded."))
        return redirect("time_log")
    assert user.organisation is not None
    now = SystemClock().now()
    minutes = min(
        MAX_ENTRY_MINUTES, max(1, math.ceil((now - timer.started_at).total_seconds() / 60))
    )
    # The timer stays when a rule refuses the entry (the middleware says why), so nothing is lost.
    with transaction.atomic():
        record_time(
            log=_log(user),
            record=TimeRecord(
                seller_ids=tuple(SellerId(s.pk) for s in timer.sellers.all()),
                started_at=timer.started_at,
                minutes=minutes,
                activity=Activity(timer.activity),
            ),
            manager_id=user.pk,
            zone=organisation_zone(user.organisation),
            now=now,
            source=Source.TIMER,
        )
        timer.delete()
    messages.success(
        request, _("Timer stopped: %(minutes)s minutes logged.") % {"minutes": minutes}
    )
    return redirect("time_log")


def _local_next(request: HttpRequest) -> str | None:
    """The `next` address if it stays on this site (never an open redirect)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
