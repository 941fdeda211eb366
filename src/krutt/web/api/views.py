"""The account page's tokens: make one (shown once, on this answer only) and revoke one."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.web.accounts.models import User
from krutt.web.api.tokens import create_token, expiry_at, revoke_token, token_document, tokens_of
from krutt.web.clock import SystemClock, today_in
from krutt.web.messages import render as say
from krutt.web.sellers.policies import organisation_zone


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    expires = forms.DateField(
        label=gettext_lazy("Last day it works (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def account_context(user: User, form: TokenForm | None = None) -> dict[str, object]:
    return {
        "tokens": token_document(tokens_of(user), SystemClock().now()),
        "token_form": form or TokenForm(),
    }


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User) and user.organisation is not None
    form = TokenForm(request.POST)
    secret = None
    if form.is_valid():
        expires: date | None = form.cleaned_data["expires"]
        try:
            made = create_token(
                user=user,
                name=form.cleaned_data["name"],
                now=SystemClock().now(),
                expires_at=expiry_at(expires, organisation_zone(user.organisation))
                if expires
                else None,
            )
        except KruttError as error:
            form.add_error(None, say(error.message))
        else:
            secret = made.secret
            form = TokenForm()
    context = {
        **account_context(user, form),
        "new_token": secret,
        "today": today_in(user.organisation),
    }
    return render(request, "accounts/account.html", context, status=200 if secret else 400)


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        row = revoke_token(user=user, name=request.POST.get("name", ""), now=SystemClock().now())
    except KruttError as error:
        messages.error(request, say(error.message))
    else:
        messages.success(request, _("Token %(name)s revoked.") % {"name": row.name})
    return redirect("account")
