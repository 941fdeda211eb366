"""In-memory stand-ins for the shell's repositories, so use cases are tested without a database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from krutt.domain.segmentation import SegmentAssessment, history_digest
from krutt.domain.sellers import SellerId
from krutt.services.log_time import NewTimeEntry
from krutt.services.ports import SegmentInputs, StoredHistory


@dataclass
class FakeSegmentStore:
    inputs: list[SegmentInputs]
    history: dict[SellerId, list[SegmentAssessment]] = field(default_factory=dict)
    writes: int = 0

    def segment_inputs(self, seller_ids: Sequence[SellerId] | None) -> list[SegmentInputs]:
        return [i for i in self.inputs if seller_ids is None or i.profile.seller_id in seller_ids]

    def team_mates(self, seller_ids: Sequence[SellerId]) -> list[SellerId]:
        teams = {i.team_id for i in self.inputs if i.profile.seller_id in seller_ids}
        return [
            i.profile.seller_id
            for i in self.inputs
            if i.profile.seller_id in seller_ids or (i.team_id is not None and i.team_id in teams)
        ]

    def stored_digests(self, seller_ids: Sequence[SellerId]) -> Mapping[SellerId, str]:
        return {s: history_digest(self.history[s]) for s in seller_ids if s in self.history}

    def replace_history(self, changed: Mapping[SellerId, StoredHistory]) -> None:
        self.writes += 1
        self.history.update({s: list(h.history) for s, h in changed.items()})


@dataclass
class FakeTimeLog:
    team: dict[SellerId, tuple[date, date | None]]
    added: list[NewTimeEntry] = field(default_factory=list)

    def sellers_on_team(
        self, *, manager_id: int, seller_ids: Sequence[SellerId], day: date
    ) -> set[SellerId]:
        return {
            s
            for s in seller_ids
            if s in self.team
            and self.team[s][0] <= day
            and (self.team[s][1] is None or day <= self.team[s][1])
        }

    def seller_label(self, seller_id: SellerId) -> str:
        return f"Seller {seller_id} <s{seller_id}@x.no>"

    def add_entry(self, entry: NewTimeEntry) -> int:
        self.added.append(entry)
        return len(self.added)
