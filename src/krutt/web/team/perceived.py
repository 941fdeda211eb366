"""Perceived against measured in the web: the weekly question, its store, the comparison.

Only the manager sees their own estimates (the director only if the manager shares them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krutt.domain.errors import KruttError
from krutt.domain.perceived import WeekComparison, gap_message
from krutt.domain.periods import Period, iso_week, iso_week_label, week_containing
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.services.record_perceived import record_perceived
from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.decorators import manager_required
from krutt.web.messages import render as say
from krutt.web.team.models import PerceivedSplit


class PerceivedRepository:
    def __init__(self, manager: User, channel: str = "web") -> None:
        self.manager, self.channel = manager, channel

    def save_perceived(
        self, *, manager_id: int, week: Period, percents: Mapping[Segment, int], shared: bool
    ) -> None:
        values = {s.value: percents[s] for s in SEGMENT_ORDER}
        PerceivedSplit.objects.update_or_create(
            manager_id=manager_id, week=week.first, defaults={**values, "shared": shared}
        )
        record(
            action="perceived.save",
            object_type="user",
            object_id=manager_id,
            organisation_id=self.manager.organisation_id,
            actor_id=self.manager.pk,
            actor_label=self.manager.email,
            channel=self.channel,
            changes={"week": iso_week_label(week.first), **values, "shared": shared},
        )


def save_perceived(
    manager: User,
    week: Period,
    percents: Mapping[Segment, int],
    *,
    shared: bool = False,
    channel: str = "web",
) -> dict[Segment, Fraction]:
    assert manager.organisation is not None
    return record_perceived(
        store=PerceivedRepository(manager, channel),
        manager_id=manager.pk,
        week=week,
        percents=percents,
        today=today_in(manager.organisation),
        shared=shared,
    )


def perceived_shares(row: PerceivedSplit) -> dict[Segment, Fraction]:
    return {s: Fraction(getattr(row, s.value), 100) for s in SEGMENT_ORDER}


def perceived_for_week(manager: User, monday: date) -> dict[Segment, Fraction] | None:
    row = PerceivedSplit.objects.filter(manager=manager, week=monday).first()
    return perceived_shares(row) if row else None


def comparison(manager: User, trend: Sequence[Any], today: date) -> dict[str, Any]:
    """Last week perceived beside measured, and the gap over the weeks there are both."""
    rows = {r.week: r for r in PerceivedSplit.objects.filter(manager=manager)}
    weeks = [
        WeekComparison(perceived=perceived_shares(rows[p.week.first]), measured=p.shares)
        for p in trend
        if p.complete and p.seller_minutes and p.week.first in rows
    ]
    last_monday = week_containing(today).first - timedelta(weeks=1)
    last = next((p for p in trend if p.week.first == last_monday), None)
    mine = rows.get(last_monday)
    return {
        "asked": mine is not None,
        "last_week": last_monday,
        "rows": [
            {
                "segment": s,
                "perceived": perceived_shares(mine)[s] if mine else None,
                "measured": last.shares[s] if last and last.seller_minutes else None,
            }
            for s in SEGMENT_ORDER
        ],
        "gap": gap_message(weeks),
    }


class PerceivedForm(forms.Form):
    week = forms.CharField(widget=forms.HiddenInput)
    shared = forms.BooleanField(
        label=gettext_lazy("Let my director see my estimates"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from krutt.web.ui.templatetags.krutt import segment_label

        for s in SEGMENT_ORDER:
            self.fields[s.value] = forms.IntegerField(
                label=segment_label(s),
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"type": "range", "step": 1, "class": "slider"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [data.get(s.value) for s in SEGMENT_ORDER]
        if all(v is not None for v in values) and sum(v for v in values if v is not None) != 100:
            self.add_error(
                None,
                _("The four shares must sum to 100; these sum to %(total)s.")
                % {"total": sum(v for v in values if v is not None)},
            )
        return data


@manager_required
def perceived(request: HttpRequest, manager: User) -> HttpResponse:
    """Once a week: how do you believe last week's seller time split over the four segments?"""
    assert manager.organisation is not None
    today = today_in(manager.organisation)
    default = week_containing(today).first - timedelta(weeks=1)
    try:
        week = iso_week(request.POST.get("week") or request.GET.get("week") or "")
    except KruttError:
        week = week_containing(default)
    row = PerceivedSplit.objects.filter(manager=manager, week=week.first).first()
    initial: dict[str, Any] = {"week": iso_week_label(week.first), "top": 50, "new": 25}
    initial.update({"core": 15, "under": 10})
    if row:
        initial.update({s.value: getattr(row, s.value) for s in SEGMENT_ORDER})
        initial["shared"] = row.shared
    form = PerceivedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                save_perceived(
                    manager,
                    iso_week(data["week"]),
                    {s: data[s.value] for s in SEGMENT_ORDER},
                    shared=data["shared"],
                )
        except KruttError as error:
            form.add_error(None, say(error.message))
        else:
            messages.success(request, _("Saved. The overview shows it beside what was measured."))
            return redirect("dashboard")
    return render(
        request,
        "team/perceived.html",
        {"form": form, "week": week},
        status=400 if form.errors else 200,
    )
