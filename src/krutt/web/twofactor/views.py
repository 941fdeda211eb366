"""Setting up an authenticator, giving a code after the password, recovery codes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from krutt.web.accounts.models import Role, User
from krutt.web.audit.trail import record
from krutt.web.twofactor.codes import (
    Check,
    check_code,
    confirmed,
    new_secret,
    provisioning_uri,
    renew_recovery_codes,
    required_for,
    required_roles,
    turn_off,
    turn_on,
)
from krutt.web.twofactor.middleware import PASSED
from krutt.web.twofactor.models import TwoFactorPolicy

PENDING = "krutt_two_factor_secret"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _home(user: User) -> str:
    return resolve_url("me" if user.role == Role.SELLER else "dashboard")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the code into an authenticator app and confirm with a first code."""
    user = _user(request)
    device = confirmed(user)
    if device is not None:
        return render(
            request,
            "twofactor/status.html",
            {"required": required_for(user), "codes": None},
        )
    # The secret waits in the session until confirmed, so opening the page writes nothing.
    secret = request.session.get(PENDING) or new_secret()
    request.session[PENDING] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            codes = turn_on(user, secret=secret, code=form.cleaned_data["code"], now=timezone.now())
        if codes is not None:
            del request.session[PENDING]
            request.session[PASSED] = True
            return render(request, "twofactor/status.html", {"codes": codes, "required": False})
        form.add_error("code", _("That code is not right; check the time on your phone."))
    return render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "secret": secret,
            "uri": provisioning_uri(user, secret),
            "required": required_for(user),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password: from the authenticator app, or a recovery code."""
    user = _user(request)
    if confirmed(user) is None or request.session.get(PASSED):
        return redirect(_home(user))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            outcome = check_code(user, form.cleaned_data["code"], now=timezone.now())
        if outcome.passed:
            request.session.cycle_key()
            request.session[PASSED] = True
            if outcome.check is Check.RECOVERY:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new ones "
                        "on your account page if you are running out."
                    )
                    % {"left": outcome.recovery_left},
                )
            return redirect(_home(user))
        if outcome.check is Check.PAUSED:
            logout(request)
            messages.error(request, _("Too many wrong codes: sign-in is paused for 15 minutes."))
            return redirect("login")
        form.add_error(
            "code",
            _("That code has been used already; wait for the next one.")
            if outcome.check is Check.REUSED
            else _("That code is not right."),
        )
    return render(request, "twofactor/verify.html", {"form": form})


@login_required
@require_POST
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if confirmed(user) is None:
        return redirect("two_factor_setup")
    with transaction.atomic():
        codes = renew_recovery_codes(user)
    return render(
        request, "twofactor/status.html", {"codes": codes, "required": required_for(user)}
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if required_for(user):
        messages.error(request, _("Your organisation requires a second factor for your role."))
        return redirect("two_factor_setup")
    with transaction.atomic():
        turn_off(user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("account")


ROLE_CHOICES = [
    (Role.ADMIN.value, gettext_lazy("Admins")),
    (Role.DIRECTOR.value, gettext_lazy("Directors")),
    (Role.MANAGER.value, gettext_lazy("Managers")),
    (Role.SELLER.value, gettext_lazy("Sellers")),
]


class PolicyForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that must sign in with a second factor"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@login_required
@require_POST
def two_factor_policy(request: HttpRequest) -> HttpResponse:
    """The admin chooses which roles must use a second factor (audited)."""
    user = _user(request)
    if user.role != Role.ADMIN or user.organisation is None:
        return redirect("dashboard")
    form = PolicyForm(request.POST)
    if form.is_valid():
        roles = [r for r, _label in ROLE_CHOICES if r in form.cleaned_data["roles"]]
        with transaction.atomic():
            before = required_roles(user.organisation_id)
            TwoFactorPolicy.objects.update_or_create(
                organisation=user.organisation, defaults={"required_roles": roles}
            )
            record(
                action="authn.two_factor_policy",
                object_type="organisation",
                object_id=user.organisation_id or "",
                organisation_id=user.organisation_id,
                actor_id=user.pk,
                actor_label=user.email,
                changes={"required_roles": [before, roles]},
            )
        messages.success(request, _("Two-factor sign-in requirement saved."))
    return redirect("privacy")
