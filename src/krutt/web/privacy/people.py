"""Finding the seller a privacy command is about: by e-mail, alias or id (an erased one has no e-mail)."""

from __future__ import annotations

from krutt.domain.errors import NotFound
from krutt.domain.messages import gettext_noop
from krutt.web.accounts.directory import the_sellers
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller


def the_seller(organisation: Organisation, who: str) -> Seller:
    text = who.strip().lstrip("#")
    if text.isdigit():
        seller = (
            Seller.objects.select_related("team", "organisation")
            .filter(organisation=organisation, pk=int(text))
            .first()
        )
        if seller is None:
            raise NotFound(gettext_noop("No seller has the id {id}."), id=text)
        return seller
    (seller_id,) = the_sellers(organisation, [who])
    found: Seller = Seller.objects.select_related("team", "organisation").get(pk=seller_id)
    return found
