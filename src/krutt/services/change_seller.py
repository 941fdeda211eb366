"""Add, edit, move, end or alias one seller: a roster of one row, through the roster's own rules.

The web's seller forms and `krutt seller …` call these, so a typed seller meets exactly the
checks a roster file meets (an alias that belongs to someone else, an end before the start),
and every change leaves one audit row with what it was before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from krutt.domain.addresses import normalise_email
from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId
from krutt.importers.roster import RosterRow
from krutt.services.import_roster import RosterStore, StoredSeller, import_roster
from krutt.services.imports import ImportRejected
from krutt.services.ports import SegmentStore


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerDetails:
    """What a manager types about a seller; the team comes with its manager's address."""

    name: str
    email: str
    started_on: date
    ended_on: date | None
    team: str
    manager_email: str
    aliases: tuple[str, ...] = ()


class SellerStore(RosterStore, Protocol):
    def change_email(self, seller_id: SellerId, email: str) -> None:
        """Give the seller a new main address (their history stays theirs)."""
        ...


class SellerAudit(Protocol):
    def seller_changed(
        self, *, seller_id: SellerId, action: str, before: dict[str, str], after: dict[str, str]
    ) -> None: ...


def details_of(stored: StoredSeller) -> SellerDetails:
    return SellerDetails(
        name=stored.name,
        email=stored.email,
        started_on=stored.started_on,
        ended_on=stored.ended_on,
        team=stored.team,
        manager_email=stored.manager_email,
        aliases=tuple(sorted(stored.aliases)),
    )


def save_seller(
    *,
    details: SellerDetails,
    seller_id: SellerId | None,
    store: SellerStore,
    segments: SegmentStore,
    through: date,
    audit: SellerAudit,
    action: str = "seller.change",
) -> SellerId:
    """Create the seller (no id) or change them in place; refused with the roster's sentence."""
    details = _normal(details)
    known = store.sellers_by_address()
    before: StoredSeller | None = None
    if seller_id is not None:
        before = next((s for s in known.values() if s.seller_id == seller_id), None)
        if before is None:
            raise NotFound(gettext_noop("No seller has the id {id}."), id=seller_id)
        if details.email != before.email:
            owner = known.get(details.email)
            if owner is not None and owner.seller_id != seller_id:
                raise InvalidInput(
                    gettext_noop("{email} belongs to {owner} already."),
                    email=details.email,
                    owner=owner.name,
                )
            # The address is the roster's key: move it first, then the row updates in place.
            store.change_email(seller_id, details.email)
            known = store.sellers_by_address()
    elif details.email in known:
        raise InvalidInput(
            gettext_noop("{email} belongs to {owner} already."),
            email=details.email,
            owner=known[details.email].name,
        )
    row = RosterRow(
        line=0,
        name=details.name,
        email=details.email,
        started_on=details.started_on,
        ended_on=details.ended_on,
        team=details.team,
        manager_email=details.manager_email,
        aliases=tuple(a for a in details.aliases if a != details.email),
    )
    try:
        import_roster(rows=[row], store=store, segments=segments, through=through)
    except ImportRejected as rejected:
        first = rejected.summary.problems[0].message
        raise InvalidInput(first.text, **dict(first.params)) from None
    saved = store.sellers_by_address()[details.email]
    after = _audited(details_of(saved))
    if before is None or _audited(details_of(before)) != after:
        audit.seller_changed(
            seller_id=saved.seller_id,
            action="seller.add" if before is None else action,
            before=_audited(details_of(before)) if before else {},
            after=after,
        )
    return saved.seller_id


def add_alias(
    *,
    seller: str,
    alias: str,
    store: SellerStore,
    segments: SegmentStore,
    through: date,
    audit: SellerAudit,
) -> SellerId:
    """Store `alias` as another address of the seller known by `seller` (e-mail or alias)."""
    known = store.sellers_by_address()
    stored = known.get(normalise_email(seller))
    if stored is None:
        raise NotFound(gettext_noop("No seller has the e-mail address {email}."), email=seller)
    alias = normalise_email(alias)
    details = details_of(stored)
    if alias in details.aliases or alias == details.email:
        return stored.seller_id
    return save_seller(
        details=replace(details, aliases=(*details.aliases, alias)),
        seller_id=stored.seller_id,
        store=store,
        segments=segments,
        through=through,
        audit=audit,
        action="seller.alias",
    )


def _normal(details: SellerDetails) -> SellerDetails:
    name = " ".join(details.name.split())
    if not name:
        raise InvalidInput(gettext_noop("The name is missing."))
    if details.ended_on is not None and details.ended_on < details.started_on:
        raise InvalidInput(gettext_noop("The end date is before the start date."))
    aliases: list[str] = []
    for alias in details.aliases:
        alias = normalise_email(alias)
        if alias and alias not in aliases:
            aliases.append(alias)
    return replace(
        details,
        name=name,
        email=normalise_email(details.email),
        team=" ".join(details.team.split()),
        manager_email=normalise_email(details.manager_email),
        aliases=tuple(aliases),
    )


def _audited(details: SellerDetails) -> dict[str, str]:
    # Coded values only, as the rest of the trail: no free text beyond the roster's own fields.
    return {
        "name": details.name,
        "email": details.email,
        "started_on": details.started_on.isoformat(),
        "ended_on": details.ended_on.isoformat() if details.ended_on else "",
        "team": details.team,
        "aliases": ";".join(details.aliases),
    }
