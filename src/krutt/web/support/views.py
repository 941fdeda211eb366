"""The support ledger's forms on the seller page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.domain.support import Decision, SupportKind
from krutt.web.access import get_or_404, sellers_managed_by
from krutt.web.accounts.models import User
from krutt.web.messages import render as say
from krutt.web.support.forms import DecisionForm, SupportLogForm, SupportPlanForm
from krutt.web.support.ledger import decide, log_support, write_plan


def _back(seller_id: int) -> HttpResponse:
    from django.urls import reverse

    return redirect(reverse("seller_detail", kwargs={"seller_id": seller_id}) + "#support-h")


@login_required
@require_POST
def support_plan(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    form = SupportPlanForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The plan was not saved: a goal, a start and a review date are needed.")
        )
        return _back(seller.pk)
    try:
        with transaction.atomic():
            write_plan(
                seller=seller,
                goal=form.cleaned_data["goal"],
                started_on=form.cleaned_data["started_on"],
                review_on=form.cleaned_data["review_on"],
                actions=form.actions(),
                actor_id=user.pk,
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Support plan saved."))
    return _back(seller.pk)


@login_required
@require_POST
def support_log(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    form = SupportLogForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a day, a kind and minutes."))
        return _back(seller.pk)
    try:
        with transaction.atomic():
            log_support(
                seller=seller,
                day=form.cleaned_data["day"],
                kind=SupportKind(form.cleaned_data["kind"]),
                minutes=form.cleaned_data["minutes"],
                note=form.cleaned_data["note"],
                actor_id=user.pk,
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Support logged."))
    return _back(seller.pk)


@login_required
@require_POST
def support_decide(request: HttpRequest, seller_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    seller = get_or_404(sellers_managed_by(user), pk=seller_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A decision needs a date and a reason."))
        return _back(seller.pk)
    try:
        with transaction.atomic():
            decide(
                seller=seller,
                decision=Decision(form.cleaned_data["decision"]),
                decided_on=form.cleaned_data["decided_on"],
                reason=form.cleaned_data["reason"],
                actor_id=user.pk,
            )
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Decision recorded."))
    return _back(seller.pk)
