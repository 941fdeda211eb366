"""Recompute the stored segment history so reports judge time by the segment of its day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from krutt.domain.segmentation import history_digest, segment_history
from krutt.domain.sellers import SellerId
from krutt.services.ports import SegmentStore, StoredHistory


@dataclass(frozen=True, kw_only=True, slots=True)
class RefreshSummary:
    sellers: int
    changed: int


def refresh_segments(
    *, store: SegmentStore, through: date, seller_ids: Sequence[SellerId] | None = None
) -> RefreshSummary:
    """Bring every seller's history (or the named sellers') up to `through`; write only what changed."""
    inputs = store.segment_inputs(seller_ids)
    stored = store.stored_digests([i.profile.seller_id for i in inputs])
    changed: dict[SellerId, StoredHistory] = {}
    for item in inputs:
        history = segment_history(
            profile=item.profile,
            results=item.results,
            overrides=item.overrides,
            rules=item.rules,
            through=through,
        )
        digest = history_digest(history)
        if stored.get(item.profile.seller_id) != digest:
            changed[item.profile.seller_id] = StoredHistory(history=history, digest=digest)
    if changed:
        store.replace_history(changed)
    return RefreshSummary(sellers=len(inputs), changed=len(changed))
