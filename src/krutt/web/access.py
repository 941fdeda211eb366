"""Who sees what: the one place that scopes every query a page or endpoint runs.

A manager sees the sellers of the teams they manage; a director the teams under them
(never private notes); an organisation admin manages settings and users but sees no
seller data; a seller sees their own record at /me/ and nothing else, every other
route answering them 404 (`route_open_to`, applied by `SellerScopeMiddleware`, reads the
access matrix). Anything outside a user's scope is a 404, never a 403, so that nothing
reveals that an object exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from krutt.web.access_matrix import ACCESS_MATRIX
from krutt.web.accounts.models import Role, User
from krutt.web.sellers.models import Seller, SellerNote, Team
from krutt.web.timelog.models import TimeEntry


def teams_visible_to(user: Any) -> QuerySet[Team]:
    """Teams the user may look at: their own as manager, those under them as director."""
    if not isinstance(user, User) or not user.is_active or user.organisation_id is None:
        return Team.objects.none()
    teams = Team.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.MANAGER:
        return teams.filter(manager=user)
    if user.role == Role.DIRECTOR:
        return teams.filter(director=user)
    return Team.objects.none()


def teams_managed_by(user: Any) -> QuerySet[Team]:
    """Teams whose data the user may change (log time, override, notes): only a manager's own."""
    if isinstance(user, User) and user.role == Role.MANAGER:
        return teams_visible_to(user)
    return Team.objects.none()


def sellers_visible_to(user: Any) -> QuerySet[Seller]:
    return Seller.objects.filter(team__in=teams_visible_to(user))


def sellers_managed_by(user: Any) -> QuerySet[Seller]:
    return Seller.objects.filter(team__in=teams_managed_by(user))


def entries_managed_by(user: Any) -> QuerySet[TimeEntry]:
    """A manager's own time entries; nobody else edits them."""
    if not isinstance(user, User) or user.role != Role.MANAGER:
        return TimeEntry.objects.none()
    return TimeEntry.objects.filter(manager=user, organisation=user.organisation)


def notes_visible_to(user: Any) -> QuerySet[SellerNote]:
    """Private notes are the author's: not the director's, not the admin's."""
    if not isinstance(user, User) or user.role != Role.MANAGER:
        return SellerNote.objects.none()
    return SellerNote.objects.filter(author=user, seller__in=sellers_managed_by(user))


def route_open_to(user: Any, route_name: str | None) -> bool:
    """Whether a signed-in seller may use the named route: only those the matrix gives them.

    Managers, directors and admins are scoped by each view; a seller is turned away from
    everything else before any view runs, so a new page cannot leak to them by accident.
    """
    if not isinstance(user, User) or user.role != Role.SELLER:
        return True
    route = ACCESS_MATRIX.get(route_name or "")
    return route is not None and (route.public or Role.SELLER.value in route.roles)


def own_seller(user: Any) -> Seller:
    """The roster row behind a seller's login; anyone else (or a login without one) gets 404."""
    if (
        not isinstance(user, User)
        or not user.is_active
        or user.role != Role.SELLER
        or user.seller_id is None
    ):
        raise Http404
    seller: Seller = get_or_404(
        Seller.objects.select_related("team", "organisation"),
        pk=user.seller_id,
        organisation_id=user.organisation_id,
    )
    return seller


def get_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """The object if it is in the user's scope; otherwise the same 404 as a missing id."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None
