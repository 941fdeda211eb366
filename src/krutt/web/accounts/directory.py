"""Finding the organisation, manager and sellers a command or request is about."""

from __future__ import annotations

from collections.abc import Sequence

from krutt.domain.addresses import normalise_email
from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.sellers.models import Team
from krutt.web.sellers.repositories import seller_ids_by_address


def the_organisation(name: str | None = None, *, create: bool = False) -> Organisation:
    """The organisation named, or the only one; with `create`, a first one is made when none exists."""
    organisations = list(Organisation.objects.order_by("id"))
    if name:
        for organisation in organisations:
            if organisation.name.casefold() == name.casefold():
                return organisation
        if create:
            return Organisation.objects.create(name=name)
        raise NotFound(gettext_noop("No organisation is called {name}."), name=name)
    if len(organisations) == 1:
        return organisations[0]
    if not organisations:
        if create:
            return Organisation.objects.create(name="krutt")
        raise NotFound(
            gettext_noop(
                "There is no data yet: import a roster (krutt import sellers FILE) or run krutt demo."
            )
        )
    raise InvalidInput(
        gettext_noop("There are several organisations ({names}); say which with --org."),
        names=", ".join(o.name for o in organisations),
    )


def the_manager(organisation: Organisation, email: str | None) -> User:
    """The manager with this e-mail, or the only manager when none is given."""
    managers = User.objects.filter(organisation=organisation, role=Role.MANAGER).order_by("email")
    if email:
        manager = managers.filter(email=normalise_email(email)).first()
        if manager is None:
            raise NotFound(
                gettext_noop("No manager has the e-mail address {email}; managers: {managers}."),
                email=email,
                managers=", ".join(m.email for m in managers) or "–",
            )
        return manager
    found = list(managers.filter(id__in=Team.objects.values("manager_id")))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            gettext_noop(
                "There are no managers yet: import a roster first (krutt import sellers FILE)."
            )
        )
    raise InvalidInput(
        gettext_noop("Say which manager with --manager: {managers}."),
        managers=", ".join(m.email for m in found),
    )


def the_sellers(organisation: Organisation, addresses: Sequence[str]) -> list[SellerId]:
    """Sellers by e-mail or alias, case-insensitive; an unknown address is an error, never a guess."""
    known = seller_ids_by_address(organisation)
    ids: list[SellerId] = []
    for address in addresses:
        seller_id = known.get(normalise_email(address))
        if seller_id is None:
            raise NotFound(gettext_noop("No seller has the e-mail address {email}."), email=address)
        ids.append(seller_id)
    return ids
