"""Per-request behaviour for signed-in users: their language, and private responses."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response
