"""Signing in and out, the password, and the language a user reads krutt in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from krutt.domain.addresses import normalise_email
from krutt.web.accounts.models import Role, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The lockout key's user part (AXES_USERNAME_CALLABLE): the address as sign-in reads it."""
    given = (credentials or {}).get("username")
    if given is None:
        given = request.POST.get("username", "")
    return normalise_email(str(given))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A new installation has nobody to log in: its first page creates the first login.
        if not User.objects.exists():
            return redirect("team_start")
        return super().get(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        """A seller lands on their own page; everyone else on the overview."""
        user = self.request.user
        if isinstance(user, User) and user.role == Role.SELLER:
            return resolve_url("me")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    success_url = "/account/"

    def form_valid(self, form: forms.Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Password changed."))
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    from krutt.web.api.views import account_context

    user = request.user
    assert isinstance(user, User)
    return render(request, "accounts/account.html", account_context(user))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language: kept on the user when signed in, in a cookie otherwise."""
    language = request.POST.get("language", "")
    if language not in ("nb", "en"):
        language = "nb"
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        user.language = language
        user.save(update_fields=["language"])
    target = request.POST.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        "django_language", language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    translation.activate(language)
    return response
