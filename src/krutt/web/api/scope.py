"""Which manager an API question is about, within the token user's scope (web/access.py)."""

from __future__ import annotations

from django.http import HttpRequest

from krutt.domain.addresses import normalise_email
from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import gettext_noop
from krutt.web.access import teams_visible_to
from krutt.web.accounts.models import Role, User
from krutt.web.api.errors import Forbidden


def caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User) and user.organisation is not None
    return user


def require(request: HttpRequest, *roles: Role) -> User:
    """The token's user, if their role may use the endpoint (else 403)."""
    user = caller(request)
    if user.role not in roles:
        raise Forbidden
    return user


def visible_manager(user: User, email: str | None) -> User:
    """The manager a report is about: a manager themself; for a director one of theirs.

    A manager outside the user's scope is the same 404 as one that does not exist, and the
    answer never lists other managers.
    """
    assert user.organisation_id is not None
    managers = User.objects.filter(
        organisation_id=user.organisation_id,
        role=Role.MANAGER,
        pk__in=teams_visible_to(user).values("manager_id"),
    ).order_by("email")
    if user.role == Role.MANAGER:
        managers = User.objects.filter(pk=user.pk)
    if email:
        found = managers.filter(email=normalise_email(email)).first()
        if found is None:
            raise NotFound(
                gettext_noop("No manager you can see has the e-mail address {email}."),
                email=email,
            )
        return found
    candidates = list(managers[:2])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(gettext_noop("No team is under you yet."))
    raise InvalidInput(gettext_noop("Say which manager with manager=EMAIL."))


def language(user: User, lang: str | None) -> str:
    """The CLI's --lang: the organisation's language unless the request names one."""
    assert user.organisation is not None
    return lang or user.organisation.language or "nb"
