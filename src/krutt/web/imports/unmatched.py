"""A calendar preview's addresses that matched nobody: "this is …", "not a seller", or leave it.

"This is …" stores the address as the seller's alias (the same use case as the seller page
and `krutt seller alias`), and the preview reads the file again; "not a seller" is
remembered for the manager, so the address is not asked about again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.services.calendar_time import UnmatchedAddress
from krutt.web.access import sellers_managed_by
from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.decorators import manager_required
from krutt.web.messages import render as say
from krutt.web.sellers.changes import store_alias
from krutt.web.team.models import NotASeller


def still_open(manager: User, unmatched: Sequence[UnmatchedAddress]) -> list[UnmatchedAddress]:
    """The addresses the manager has not said are no seller."""
    ignored = set(NotASeller.objects.filter(manager=manager).values_list("name", flat=True))
    return [u for u in unmatched if u.address not in ignored]


def unmatched_rows(manager: User, unmatched: Sequence[UnmatchedAddress]) -> dict[str, Any]:
    return {
        "unmatched": still_open(manager, unmatched),
        "seller_choices": list(sellers_managed_by(manager).order_by("name").values("id", "name")),
    }


@require_POST
@manager_required
def resolve_unmatched(request: HttpRequest, manager: User) -> HttpResponse:
    from krutt.web.imports.views import _pending, _remember

    assert manager.organisation is not None
    token = request.POST.get("upload", "")
    address = request.POST.get("address", "").strip().lower()
    back = f"{reverse('import_preview')}?upload={token}"
    meta = _pending(request).get(token)
    if meta is None or not address:
        messages.error(request, _("That upload is no longer here; please upload the file again."))
        return redirect("imports")
    if request.POST.get("choice") == "not_seller":
        with transaction.atomic():
            NotASeller.objects.get_or_create(manager=manager, name=address)
            record(
                action="calendar.not_a_seller",
                object_type="user",
                object_id=manager.pk,
                organisation_id=manager.organisation.pk,
                actor_id=manager.pk,
                actor_label=manager.email,
            )
        messages.success(
            request,
            _("%(address)s is not a seller; krutt will not ask again.") % {"address": address},
        )
        return redirect(back)
    seller_id = request.POST.get("seller", "")
    seller = (
        sellers_managed_by(manager).filter(pk=int(seller_id) if seller_id.isdigit() else 0).first()
    )
    if seller is None:
        messages.error(request, _("Choose the seller this address belongs to."))
        return redirect(back)
    try:
        with transaction.atomic():
            store_alias(manager.organisation, seller.email, address, actor=manager)
    except KruttError as error:
        messages.error(request, say(error.message))
        return redirect(back)
    # Another choice set, so the preview is worked out again with the new alias.
    meta["aliases"] = int(meta.get("aliases", 0)) + 1
    _remember(request, token, meta)
    messages.success(
        request,
        _("%(address)s is now an address of %(name)s; the preview is read again.")
        % {"address": address, "name": seller.name},
    )
    return redirect(back)
