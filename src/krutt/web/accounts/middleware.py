"""Per-request behaviour for signed-in users: their language, private responses, session limits."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation

from krutt.web.access import route_open_to
from krutt.web.accounts.models import User


class UserLanguageMiddleware:
    """A signed-in user reads krutt in their own language (else their organisation's), in its time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            language = (
                user.language or (user.organisation.language if user.organisation else "") or "nb"
            )
            translation.activate(language)
            request.LANGUAGE_CODE = language
            if user.organisation is not None:
                timezone.activate(user.organisation.time_zone)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Pages about people are never kept by browsers or proxies (ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API authenticates by token, not session: its answers are about people too.
        if (
            request.user.is_authenticated and not request.path.startswith("/static/")
        ) or request.path.startswith("/api/v1/"):
            response["Cache-Control"] = "no-store"
        return response


class SessionTimeoutMiddleware:
    """Sign out after `SESSION_IDLE_SECONDS` without a request, and `SESSION_COOKIE_AGE` after login.

    Personal data on an unattended laptop: 30 minutes idle and 12 hours in all are the
    re-authentication limits NIST SP 800-63B gives for this level (RELIABILITY.md, item 8).
    The cookie's own expiry cannot do both: saving the session to note activity renews it.
    """

    # Noting activity costs a session write; once a minute is precise enough for 30 minutes.
    TOUCH_EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - signed_in > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen >= self.TOUCH_EVERY or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class SellerScopeMiddleware:
    """A seller reaches only the routes the access matrix gives them; the rest is a plain 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> None:
        match = request.resolver_match
        if not route_open_to(request.user, match.view_name if match else None):
            raise Http404
