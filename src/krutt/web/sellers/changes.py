"""The store and audit trail behind the seller use cases (services/change_seller.py)."""

from __future__ import annotations

from datetime import date

from krutt.domain.sellers import SellerId
from krutt.services.change_seller import SellerAudit, SellerDetails, add_alias, save_seller
from krutt.web.accounts.models import Organisation, User
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.sellers.models import Seller
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import RosterRepository, SegmentRepository


class SellerRepository(RosterRepository):
    def change_email(self, seller_id: SellerId, email: str) -> None:
        Seller.objects.filter(organisation=self.organisation, pk=seller_id).update(email=email)


class AuditTrail(SellerAudit):
    def __init__(self, organisation: Organisation, actor: User | None, channel: str) -> None:
        self.organisation, self.actor, self.channel = organisation, actor, channel

    def seller_changed(
        self, *, seller_id: SellerId, action: str, before: dict[str, str], after: dict[str, str]
    ) -> None:
        changed = {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k) != v}
        record(
            action=action,
            object_type="seller",
            object_id=seller_id,
            organisation_id=self.organisation.pk,
            actor_id=self.actor.pk if self.actor else None,
            actor_label=self.actor.email if self.actor else "cli",
            channel=self.channel,
            changes=changed,
        )


def _through(organisation: Organisation) -> date:
    return segment_horizon(organisation, today_in(organisation))


def store_seller(
    organisation: Organisation,
    details: SellerDetails,
    *,
    seller_id: SellerId | None = None,
    actor: User | None = None,
    channel: str = "web",
    action: str = "seller.change",
) -> SellerId:
    """Save one seller in the caller's transaction (add when `seller_id` is None)."""
    return save_seller(
        details=details,
        seller_id=seller_id,
        store=SellerRepository(organisation),
        segments=SegmentRepository(organisation),
        through=_through(organisation),
        audit=AuditTrail(organisation, actor, channel),
        action=action,
    )


def store_alias(
    organisation: Organisation,
    seller: str,
    alias: str,
    *,
    actor: User | None = None,
    channel: str = "web",
) -> SellerId:
    return add_alias(
        seller=seller,
        alias=alias,
        store=SellerRepository(organisation),
        segments=SegmentRepository(organisation),
        through=_through(organisation),
        audit=AuditTrail(organisation, actor, channel),
    )
