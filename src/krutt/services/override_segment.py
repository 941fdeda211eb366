"""A manager overrides a seller's segment: the judgement call beats the rule, with a reason, until it expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from krutt.domain.errors import InvalidInput
from krutt.domain.limits import REASON_MAX
from krutt.domain.messages import gettext_noop
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId

MAX_REASON = REASON_MAX


@dataclass(frozen=True, kw_only=True, slots=True)
class NewOverride:
    seller_id: SellerId
    segment: Segment
    reason: str
    starts_on: date
    expires_on: date | None
    actor_id: int


class OverrideStore(Protocol):
    def current_segment(self, seller_id: SellerId, on: date) -> Segment: ...

    def end_overrides(self, seller_id: SellerId, *, on: date) -> int:
        """End the seller's active overrides from `on`; how many there were."""
        ...

    def add_override(self, override: NewOverride) -> int: ...

    def refresh(self, seller_id: SellerId) -> None:
        """Recompute the seller's stored segment history."""
        ...


def override_segment(
    *,
    store: OverrideStore,
    seller_id: SellerId,
    segment: Segment,
    reason: str,
    today: date,
    expires_on: date | None,
    actor_id: int,
) -> tuple[int, Segment]:
    """Set the seller's segment from today; returns the override's id and the segment it replaced."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(gettext_noop("Say why: an override needs a reason."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            gettext_noop("Keep the reason under {limit} characters."), limit=MAX_REASON
        )
    if expires_on is not None and expires_on <= today:
        raise InvalidInput(
            gettext_noop("The override must expire after today ({today})."), today=today
        )
    before = store.current_segment(seller_id, today)
    store.end_overrides(seller_id, on=today)
    override_id = store.add_override(
        NewOverride(
            seller_id=seller_id,
            segment=segment,
            reason=reason,
            starts_on=today,
            expires_on=expires_on,
            actor_id=actor_id,
        )
    )
    store.refresh(seller_id)
    return override_id, before


def withdraw_override(*, store: OverrideStore, seller_id: SellerId, today: date) -> Segment:
    """Hand the seller back to the rule from today; returns the segment they had under the override."""
    before = store.current_segment(seller_id, today)
    if store.end_overrides(seller_id, on=today) == 0:
        raise InvalidInput(gettext_noop("There is no override to withdraw."))
    store.refresh(seller_id)
    return before
