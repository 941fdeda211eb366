"""Until the second factor is given, a signed-in user reaches only the code page and logout.

A user with an authenticator gives a code after the password; a user whose role the
organisation requires a second factor for, and who has none yet, sets one up first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from krutt.web.accounts.models import User
from krutt.web.twofactor.codes import confirmed, required_for

PASSED = "krutt_two_factor"
# What a user may open before the second factor: the pages that give it, and the way out.
BEFORE_VERIFY = frozenset({"two_factor_verify", "logout", "set_language"})
BEFORE_SETUP = frozenset({"two_factor_setup", "logout", "set_language"})


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if request.session.get(PASSED):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if confirmed(user) is not None:
            return None if name in BEFORE_VERIFY else redirect("two_factor_verify")
        if required_for(user):
            return None if name in BEFORE_SETUP else redirect("two_factor_setup")
        # Neither has nor needs one: decided for this session, so later requests ask nothing.
        request.session[PASSED] = True
        return None
