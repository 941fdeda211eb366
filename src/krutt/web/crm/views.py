"""The organisation's CRM page (director and admin): connect and test, see each sync, sync
now, disconnect, and match CRM owners no seller matched ("this is …" stores an alias).

No page shows a secret; the token field is never filled back in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.web.accounts.models import Role, User
from krutt.web.audit.trail import record
from krutt.web.crm.forms import AliasForm, CrmConnectForm
from krutt.web.crm.models import CrmConnection
from krutt.web.crm.status import stale_crms
from krutt.web.crm.sync import CrmRequest, connect, disconnect, last_error, probe, test_connection
from krutt.web.messages import render as say
from krutt.web.sellers.models import Seller, SellerAlias


def _director(request: HttpRequest) -> User | None:
    user = request.user
    if (
        isinstance(user, User)
        and user.role in (Role.DIRECTOR, Role.ADMIN)
        and user.organisation is not None
    ):
        return user
    return None


def _own(user: User, request: HttpRequest) -> CrmConnection:
    raw = request.POST.get("connection", "")
    if not raw.isdigit():
        raise Http404
    found = CrmConnection.objects.filter(organisation=user.organisation, pk=int(raw)).first()
    if found is None:
        raise Http404
    return found


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def _request(form: CrmConnectForm) -> CrmRequest:
    data = form.cleaned_data
    return CrmRequest(
        kind=data["kind"],
        secret=data["secret"],
        url=data.get("url") or "",
        client_id=data.get("client_id") or "",
        every_minutes=data["every"],
        won=_names(data.get("won") or ""),
        lost=_names(data.get("lost") or ""),
    )


def _rows(user: User, lang: str) -> list[dict[str, Any]]:
    stale = {row["kind"] for row in stale_crms(user.organisation_id, timezone.now())}
    rows = []
    for c in CrmConnection.objects.filter(organisation=user.organisation).order_by("pk"):
        error = last_error(c)
        rows.append(
            {
                "connection": c,
                "error": say(error, lang) if error else "",
                "stale": c.get_kind_display() in stale,
                "unknown": [o for o in c.unknown_owners or [] if isinstance(o, dict)],
            }
        )
    return rows


@login_required
def crm_connections(request: HttpRequest) -> HttpResponse:
    user = _director(request)
    if user is None:
        return redirect("dashboard")
    lang = request.LANGUAGE_CODE
    form = CrmConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            wanted = _request(form)
            if request.POST.get("action") == "test":
                test_connection(probe(user.organisation, wanted))  # type: ignore[arg-type]
                messages.success(request, _("The CRM answered. Connect it to start syncing."))
            else:
                connection = connect(
                    user.organisation,  # type: ignore[arg-type]
                    request=wanted,
                    actor=user,
                    channel="web",
                )
                from krutt.web.connections.tasks import sync_crm

                sync_crm.enqueue(connection.pk)
                messages.success(request, _("CRM connected. The first sync runs in a moment."))
                return redirect("crm_connections")
        except KruttError as failed:
            form.add_error(None, say(failed.message, lang))
    sellers = Seller.objects.filter(organisation=user.organisation).order_by("name")
    return render(
        request,
        "crm/crm.html",
        {"form": form, "rows": _rows(user, lang), "sellers": sellers},
    )


@login_required
@require_POST
def crm_sync(request: HttpRequest) -> HttpResponse:
    user = _director(request)
    if user is None:
        raise Http404
    connection = _own(user, request)
    from krutt.web.connections.tasks import sync_crm

    CrmConnection.objects.filter(pk=connection.pk).update(next_sync_at=timezone.now())
    sync_crm.enqueue(connection.pk, request.POST.get("full") == "1")
    messages.success(request, _("The CRM syncs in a moment; reload the page to see it."))
    return redirect("crm_connections")


@login_required
@require_POST
def crm_disconnect(request: HttpRequest) -> HttpResponse:
    user = _director(request)
    if user is None:
        raise Http404
    connection = _own(user, request)
    removed, _batch = disconnect(
        connection, keep_deals=request.POST.get("keep") == "1", actor=user, channel="web"
    )
    messages.success(
        request,
        _("CRM disconnected; %(removed)d deals it wrote were removed.") % {"removed": removed},
    )
    return redirect("crm_connections")


@login_required
@require_POST
def crm_alias(request: HttpRequest) -> HttpResponse:
    """ "This is …": the CRM owner's e-mail becomes the seller's alias; the next sync reads all."""
    user = _director(request)
    if user is None:
        raise Http404
    connection = _own(user, request)
    form = AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a seller for an owner with an e-mail address."))
        return redirect("crm_connections")
    seller = Seller.objects.filter(
        organisation=user.organisation, pk=form.cleaned_data["seller"]
    ).first()
    if seller is None:
        raise Http404
    email = form.cleaned_data["owner"].lower()
    try:
        with transaction.atomic():
            SellerAlias.objects.create(organisation=seller.organisation, seller=seller, email=email)
            connection.unknown_owners = [
                o
                for o in connection.unknown_owners or []
                if not (isinstance(o, dict) and str(o.get("email", "")).lower() == email)
            ]
            connection.full_next = True
            connection.next_sync_at = timezone.now()
            connection.save(update_fields=["unknown_owners", "full_next", "next_sync_at"])
            record(
                action="seller.alias",
                object_type="seller",
                object_id=seller.pk,
                organisation_id=seller.organisation_id,
                actor_id=user.pk,
                actor_label=user.email,
                channel="web",
                changes={"alias": email, "from": f"crm:{connection.kind}"},
            )
    except IntegrityError:
        messages.error(request, _("That address is already another seller's."))
        return redirect("crm_connections")
    messages.success(
        request,
        _("%(email)s is now %(seller)s; the next sync reads the whole CRM again.")
        % {"email": email, "seller": seller.name},
    )
    return redirect("crm_connections")
