"""The seller's own page and its download: their record and nothing about anyone else."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.web.access import own_seller
from krutt.web.accounts.models import User
from krutt.web.clock import today_in
from krutt.web.messages import format_percent
from krutt.web.privacy.export import export_seller
from krutt.web.privacy.retention import retention_rows
from krutt.web.sellers.models import SegmentOverride
from krutt.web.sellers.policies import resolve_policy
from krutt.web.sellers.queries import seller_history
from krutt.web.sellers.views import segment_runs
from krutt.web.support.models import SupportDecision, SupportLogEntry, SupportPlan
from krutt.web.support.repositories import support_statuses


@login_required
def me(request: HttpRequest) -> HttpResponse:
    seller = own_seller(request.user)
    organisation = seller.organisation
    today = today_in(organisation)
    history = seller_history(seller, today=today)
    runs = segment_runs(history.periods)
    current = history.periods[0] if history.periods else None
    since: date | None = runs[0][0].valid_from if runs else None
    policy = resolve_policy(organisation, seller.team)
    band = None
    if current is not None:
        b = policy.band(Segment(current.segment))
        band = (
            format_percent(b.minimum),
            format_percent(b.maximum) if b.maximum is not None else None,
        )
    months = [
        (
            month,
            target,
            actual,
            Fraction(actual) / Fraction(target) if target and actual is not None else None,
        )
        for month, target, actual in reversed(history.months)
        if target is not None or actual is not None
    ]
    support = None
    if SupportPlan.objects.filter(seller=seller).exists():
        support = {
            "status": support_statuses([seller.pk], on=today)[SellerId(seller.pk)],
            "entries": SupportLogEntry.objects.filter(seller=seller).order_by("-day")[:20],
            "decisions": SupportDecision.objects.filter(seller=seller)[:10],
        }
    return render(
        request,
        "me/me.html",
        {
            "seller": seller,
            "months": months,
            "history": history,
            "current": current,
            "since": since,
            "runs": runs,
            "policy": {"name": _(policy.name), "rationale": _(policy.rationale)},
            "band": band,
            "support": support,
            "overrides": SegmentOverride.objects.filter(seller=seller)
            .select_related("created_by")
            .order_by("-created_at"),
            "retention": retention_rows(organisation),
        },
    )


@login_required
@require_POST
def me_download(request: HttpRequest) -> HttpResponse:
    """The same ZIP as `krutt privacy export`, recorded in the audit trail."""
    seller = own_seller(request.user)
    user = request.user
    assert isinstance(user, User)
    language = getattr(request, "LANGUAGE_CODE", "") or "nb"
    archive = export_seller(
        # Labelled by row, not by address: an erasure must find no e-mail in the trail.
        seller,
        language=language,
        actor_id=user.pk,
        actor_label=f"seller:{seller.pk}",
        channel="web",
    )
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="krutt-my-data.zip"'
    return response
