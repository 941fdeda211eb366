"""Sellers in the user's scope, and a seller's own record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from krutt.web.access import get_or_404, own_seller, sellers_visible_to
from krutt.web.accounts.models import Role
from krutt.web.api.auth import only
from krutt.web.api.errors import responses
from krutt.web.api.schemas import SellerOut, SellerPage
from krutt.web.api.scope import require
from krutt.web.clock import today_in
from krutt.web.privacy.export import seller_document
from krutt.web.sellers.models import Seller

router = Router(tags=["sellers"])


class Page(Schema):
    limit: int = Field(default=100, ge=1, le=settings.KRUTT_API_MAX_PAGE)
    offset: int = Field(default=0, ge=0, le=10_000_000)


def _seller(seller: Seller, today: Any) -> dict[str, Any]:
    return {
        "id": seller.pk,
        "name": seller.name,
        "email": seller.email,
        "team": seller.team.name,
        "started_on": seller.started_on.isoformat(),
        "ended_on": seller.ended_on.isoformat() if seller.ended_on else None,
        "active": seller.started_on <= today
        and (seller.ended_on is None or seller.ended_on >= today),
    }


@router.get(
    "/sellers",
    response=responses(SellerPage),
    url_name="sellers",
    auth=only(Role.MANAGER, Role.DIRECTOR),
)
def sellers(request: HttpRequest, page: Query[Page]) -> Any:
    """The sellers of the teams the user manages (or, as director, directs)."""
    user = require(request, Role.MANAGER, Role.DIRECTOR)
    assert user.organisation is not None
    today = today_in(user.organisation)
    rows = sellers_visible_to(user).select_related("team").order_by("name", "id")
    return {
        "count": rows.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [_seller(s, today) for s in rows[page.offset : page.offset + page.limit]],
    }


@router.get(
    "/sellers/{seller_id}",
    response=responses(SellerOut),
    url_name="seller",
    auth=only(Role.MANAGER, Role.DIRECTOR),
)
def seller(request: HttpRequest, seller_id: int) -> Any:
    """One seller; outside the user's scope the same 404 as a missing id."""
    user = require(request, Role.MANAGER, Role.DIRECTOR)
    assert user.organisation is not None
    found = get_or_404(sellers_visible_to(user).select_related("team"), pk=seller_id)
    return _seller(found, today_in(user.organisation))


@router.get(
    "/me", response=responses(dict[str, Any]), url_name="me", tags=["me"], auth=only(Role.SELLER)
)
def me(request: HttpRequest) -> Any:
    """A seller's own record: the same document as seller.json in their export."""
    user = require(request, Role.SELLER)
    with transaction.atomic():
        return seller_document(own_seller(user))
