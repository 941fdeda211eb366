"""In-memory stand-ins for the shell's repositories, so use cases are tested without a database."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from krutt.domain.segmentation import SegmentAssessment, history_digest
from krutt.domain.sellers import SellerId
from krutt.services.ports import SegmentInputs, StoredHistory
from krutt.services.record_time import Employment, TimeEntry


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
    """The time log in memory: the team as Employment rows, entries by id, audit rows, and a
    transaction that really rolls back (a use case's half-done work is never kept)."""

    team: dict[SellerId, Employment]
    entries: dict[int, TimeEntry] = field(default_factory=dict)
    audits: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    next_id: int = 1

    @contextmanager
    def atomic(self) -> Iterator[None]:
        saved = (dict(self.entries), list(self.audits), self.next_id)
        try:
            yield
        except BaseException:
            self.entries, self.audits, self.next_id = saved
            raise

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> dict[SellerId, Employment]:
        return {s: self.team[s] for s in seller_ids if s in self.team}

    def add_entry(self, entry: TimeEntry) -> int:
        entry_id, self.next_id = self.next_id, self.next_id + 1
        self.entries[entry_id] = entry
        return entry_id

    def stored_entry(self, entry_id: int, *, manager_id: int) -> TimeEntry | None:
        found = self.entries.get(entry_id)
        return found if found is not None and found.manager_id == manager_id else None

    def replace_entry(self, entry_id: int, entry: TimeEntry) -> None:
        self.entries[entry_id] = entry

    def remove_entry(self, entry_id: int) -> None:
        del self.entries[entry_id]

    def audit(self, *, action: str, entry_id: int, changes: Mapping[str, Any]) -> None:
        self.audits.append((action, entry_id, dict(changes)))
