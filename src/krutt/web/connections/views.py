"""The manager's Calendar page: connect (and test), see each sync, sync now, disconnect.

Only the manager's own connections are ever found (another's id is a plain 404). The
password field is never filled back in and no page shows a secret: a published
calendar's address is a secret too, so only its host is shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.connections.errors import ConnectionFailed
from krutt.domain.errors import KruttError
from krutt.domain.sync_schedule import is_stale
from krutt.web.accounts.models import Role, User
from krutt.web.connections.forms import ConnectForm
from krutt.web.connections.models import CalendarConnection
from krutt.web.connections.sync import (
    ConnectionRequest,
    connect,
    disconnect,
    fetch,
    label,
    last_error,
    settings_and_secret,
)
from krutt.web.messages import render as say


def _manager(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.role == Role.MANAGER and user.organisation is not None:
        return user
    return None


def _own(user: User, request: HttpRequest) -> CalendarConnection:
    raw = request.POST.get("connection", "")
    if not raw.isdigit():
        raise Http404
    found = CalendarConnection.objects.filter(manager=user, pk=int(raw)).first()
    if found is None:
        raise Http404
    return found


def _request(form: ConnectForm) -> ConnectionRequest:
    data = form.cleaned_data
    secret = {"microsoft365": "client_secret", "google": "key_text"}.get(data["kind"], "password")
    return ConnectionRequest(
        kind=data["kind"],
        url=data.get("url") or "",
        username=data.get("username") or "",
        calendar=data.get("calendar") or "",
        secret=data.get(secret) or "",
        every_minutes=data["every"],
        tenant=data.get("tenant") or "",
        client_id=data.get("client_id") or "",
        mailbox=data.get("mailbox") or "",
    )


def _rows(user: User, lang: str) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for c in CalendarConnection.objects.filter(manager=user).order_by("pk"):
        error = last_error(c)
        rows.append(
            {
                "connection": c,
                "label": label(c),
                "error": say(error, lang) if error else "",
                "stale": is_stale(
                    now=now, last_success_at=c.last_success_at, created_at=c.created_at
                ),
            }
        )
    return rows


@login_required
def calendar_connections(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        return redirect("dashboard")
    lang = request.LANGUAGE_CODE
    form = ConnectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        wanted = _request(form)
        if request.POST.get("action") == "test":
            _test(request, user, wanted, lang)
        else:
            try:
                connection = connect(
                    user.organisation,  # type: ignore[arg-type]
                    manager=user,
                    request=wanted,
                    actor=user,
                    channel="web",
                )
            except KruttError as failed:
                form.add_error(None, say(failed.message, lang))
            else:
                from krutt.web.connections.tasks import sync_connection

                sync_connection.enqueue(connection.pk)
                messages.success(request, _("Calendar connected. The first sync runs in a moment."))
                return redirect("calendar_connections")
    return render(
        request,
        "connections/calendar.html",
        {"form": form, "rows": _rows(user, lang)},
    )


def _test(request: HttpRequest, user: User, wanted: ConnectionRequest, lang: str) -> None:
    """Try the connection without saving anything."""
    from krutt.connections.http import policy_from_environment
    from krutt.web.connections import secrets

    try:
        settings, secret = settings_and_secret(wanted)
        probe = CalendarConnection(
            organisation=user.organisation,
            manager=user,
            kind=wanted.kind,
            settings=settings,
            secret=secrets.encrypt(secret),
        )
        fetch(probe, policy_from_environment())
    except (ConnectionFailed, KruttError) as failed:
        messages.error(request, say(failed.message, lang))
    else:
        messages.success(request, _("The calendar answered. Connect it to start syncing."))


@login_required
@require_POST
def calendar_sync(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        raise Http404
    connection = _own(user, request)
    from krutt.web.connections.tasks import sync_connection

    CalendarConnection.objects.filter(pk=connection.pk).update(next_sync_at=timezone.now())
    sync_connection.enqueue(connection.pk)
    messages.success(request, _("The calendar syncs in a moment; reload the page to see it."))
    return redirect("calendar_connections")


@login_required
@require_POST
def calendar_disconnect(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    if user is None:
        raise Http404
    connection = _own(user, request)
    removed = disconnect(
        connection,
        keep_entries=request.POST.get("keep") == "1",
        actor=user,
        channel="web",
    )
    messages.success(
        request,
        _(
            "Calendar disconnected; %(entries)d time entries and %(busy)d busy blocks it "
            "wrote were removed."
        )
        % removed,
    )
    return redirect("calendar_connections")
