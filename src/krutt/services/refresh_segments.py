"""Recompute the stored segment history so reports judge time by the segment of its day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from krutt.domain.months import Month
from krutt.domain.relative import has_untargeted_actuals, team_medians
from krutt.domain.segmentation import SegmentationRules, history_digest, segment_history
from krutt.domain.sellers import SellerId
from krutt.services.ports import SegmentInputs, SegmentStore, StoredHistory


@dataclass(frozen=True, kw_only=True, slots=True)
class RefreshSummary:
    sellers: int
    changed: int


def refresh_segments(
    *, store: SegmentStore, through: date, seller_ids: Sequence[SellerId] | None = None
) -> RefreshSummary:
    """Bring every seller's history (or the named sellers') up to `through`; write only what changed."""
    if seller_ids is not None:
        # A team-mate's sales move the median that sellers without targets are judged by.
        seller_ids = store.team_mates(seller_ids)
    inputs = store.segment_inputs(seller_ids)
    stored = store.stored_digests([i.profile.seller_id for i in inputs])
    medians = medians_by_team(inputs)
    changed: dict[SellerId, StoredHistory] = {}
    # A seller with no numbers and no overrides has the history of their start date alone:
    # a roster of fifty thousand new sellers shares a few thousand, computed once each.
    unnumbered: dict[tuple[date, SegmentationRules], StoredHistory] = {}
    for item in inputs:
        plain = not item.results and not item.overrides
        key = (item.profile.started_on, item.rules)
        found = unnumbered.get(key) if plain else None
        if found is None:
            history = segment_history(
                profile=item.profile,
                results=item.results,
                overrides=item.overrides,
                rules=item.rules,
                through=through,
                team_medians=medians.get(item.team_id),
            )
            found = StoredHistory(history=history, digest=history_digest(history))
            if plain:
                unnumbered[key] = found
        if stored.get(item.profile.seller_id) != found.digest:
            changed[item.profile.seller_id] = found
    if changed:
        store.replace_history(changed)
    return RefreshSummary(sellers=len(inputs), changed=len(changed))


def medians_by_team(inputs: Sequence[SegmentInputs]) -> dict[int | None, dict[Month, Decimal]]:
    """The team median per month, for the teams that have a seller with sales but no target."""
    needing = {
        i.team_id for i in inputs if i.team_id is not None and has_untargeted_actuals(i.results)
    }
    members: dict[int | None, list[SegmentInputs]] = defaultdict(list)
    for item in inputs:
        if item.team_id in needing:
            members[item.team_id].append(item)
    return {
        team_id: team_medians(((i.profile, i.results) for i in team), team[0].rules)
        for team_id, team in members.items()
    }
