"""Typed view decorators: a view receives the user it checked, and domain errors are shown once.

`manager_required` hands a view the signed-in manager (with an organisation) as its
second argument, so no view repeats the check. `DomainErrors` (middleware) turns a
`KruttError` that a view lets through into the user's sentence: on a form post, a
message on the page the form came from; otherwise a readable 400 page. A view that
wants the sentence on its form instead uses `refusal_on(form)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from krutt.domain.errors import KruttError
from krutt.web.accounts.models import Role, User
from krutt.web.messages import render as say

P = ParamSpec("P")


def manager_required(
    view: Callable[Concatenate[HttpRequest, User, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Only a manager gets in; another role is sent to the overview (a 404 for an object's URL)."""

    def checked(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.role == Role.MANAGER and user.organisation is not None:
            return view(request, user, *args, **kwargs)
        if kwargs:
            raise Http404
        return redirect("dashboard")

    # The view's name and docstring stay its own (the URL walk and the tracebacks read them).
    checked.__name__, checked.__doc__ = view.__name__, view.__doc__
    checked.__module__, checked.__qualname__ = view.__module__, view.__qualname__
    return login_required(checked)


class Refused(Exception):
    """A rule refused what a form asked; the form already carries the sentence."""


@contextmanager
def refusal_on(form: forms.BaseForm) -> Iterator[None]:
    """Show a rule's refusal as the form's error (then raise `Refused` for the view to re-render)."""
    try:
        yield
    except KruttError as error:
        form.add_error(None, say(error.message))
        raise Refused from error


class DomainErrors:
    """Middleware: a `KruttError` out of a view becomes the user's sentence, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, KruttError):
            return None
        text = say(exception.message)
        back = request.META.get("HTTP_REFERER", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, text)
            return redirect(back)
        return render(request, "400.html", {"message": text}, status=400)
