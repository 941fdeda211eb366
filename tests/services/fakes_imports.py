"""In-memory stand-ins for the import repositories: deals, actuals, calendar rows, batches."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.import_calendar import StoredBusy
from krutt.services.import_deals import ActualChange, DealRecord, StoredDeal
from krutt.services.record_time import Employment, StoredEntry, TimeEntry
from krutt.services.undo_import import BatchFacts, Restored


@dataclass
class FakeDealStore:
    sellers: list[SellerDirectoryEntry]
    deals: dict[str, StoredDeal] = field(default_factory=dict)
    actuals: dict[tuple[SellerId, Month], Decimal | None] = field(default_factory=dict)
    lookups: int = 0
    writes: int = 0
    batch: int = 1

    def directory(self) -> list[SellerDirectoryEntry]:
        return self.sellers

    def stored_deals(self, keys: Sequence[str]) -> Mapping[str, StoredDeal]:
        self.lookups += 1
        return {k: self.deals[k] for k in keys if k in self.deals}

    def save_deals(
        self, *, created: Sequence[DealRecord], updated: Sequence[tuple[StoredDeal, DealRecord]]
    ) -> None:
        self.writes += 1
        for record in created:
            self.deals[record.key] = StoredDeal(
                row_id=len(self.deals) + 1, batch_id=self.batch, record=record
            )
        for old, record in updated:
            self.deals[record.key] = StoredDeal(
                row_id=old.row_id, batch_id=self.batch, record=record
            )

    def stored_actuals(
        self, seller_ids: Sequence[SellerId], months: Sequence[Month]
    ) -> Mapping[tuple[SellerId, Month], Decimal | None]:
        return {
            (s, m): self.actuals[(s, m)]
            for s in seller_ids
            for m in months
            if (s, m) in self.actuals
        }

    def save_actuals(self, changes: Sequence[ActualChange]) -> None:
        for change in changes:
            self.actuals[(change.seller_id, change.month)] = change.after

    def remove_deals(self, stored: Sequence[StoredDeal]) -> None:
        self.writes += 1
        for old in stored:
            del self.deals[old.record.key]

    def source_keys(self) -> set[str]:
        return set(self.deals)


@dataclass
class FakeCalendarStore:
    """One calendar's rows in memory; `others` are the manager's other calendars' entries."""

    entries: list[StoredEntry] = field(default_factory=list)
    busy: list[StoredBusy] = field(default_factory=list)
    team: dict[SellerId, Employment] = field(default_factory=dict)
    others: list[TimeEntry] = field(default_factory=list)
    other_busy_times: list[Busy] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> Mapping[SellerId, Employment]:
        return {s: self.team[s] for s in seller_ids if s in self.team}

    def stored_entries(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredEntry]:
        self.calls.append("stored_entries")
        found = [e for e in self.entries if start <= e.entry.started_at < end]
        return [e for e in found if _of_events(e.entry.key, only, adopt)]

    def other_entries(self, *, start: datetime, end: datetime) -> list[TimeEntry]:
        return [e for e in self.others if start <= e.started_at < end]

    def stored_busy(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredBusy]:
        self.calls.append("stored_busy")
        found = [b for b in self.busy if start <= b.busy.start < end]
        return [b for b in found if _of_events(b.busy.key, only, adopt)]

    def other_busy(self, *, start: datetime, end: datetime) -> list[Busy]:
        return [b for b in self.other_busy_times if start <= b.start < end]

    def save_entries(
        self,
        *,
        created: Sequence[TimeEntry],
        updated: Sequence[tuple[StoredEntry, TimeEntry]],
        removed: Sequence[StoredEntry],
    ) -> None:
        self.calls.append("save_entries")
        gone = {old.row_id for old in removed} | {old.row_id for old, _ in updated}
        kept = [e for e in self.entries if e.row_id not in gone]
        kept += [StoredEntry(row_id=old.row_id, batch_id=2, entry=new) for old, new in updated]
        top = max((e.row_id for e in self.entries), default=0)
        kept += [
            StoredEntry(row_id=top + i, batch_id=2, entry=new)
            for i, new in enumerate(created, start=1)
        ]
        self.entries = sorted(kept, key=lambda e: e.row_id)

    def save_busy(
        self,
        *,
        created: Sequence[Busy],
        updated: Sequence[tuple[StoredBusy, Busy]],
        removed: Sequence[StoredBusy],
    ) -> None:
        self.calls.append("save_busy")
        gone = {old.row_id for old in removed} | {old.row_id for old, _ in updated}
        kept = [b for b in self.busy if b.row_id not in gone]
        kept += [StoredBusy(row_id=old.row_id, batch_id=2, busy=new) for old, new in updated]
        top = max((b.row_id for b in self.busy), default=0)
        kept += [
            StoredBusy(row_id=top + i, batch_id=2, busy=new)
            for i, new in enumerate(created, start=1)
        ]
        self.busy = sorted(kept, key=lambda b: b.row_id)


@dataclass
class FakeUndoStore:
    facts: dict[int, BatchFacts]
    restored: Restored = field(
        default_factory=lambda: Restored(removed=0, restored=0, actuals=0, sellers=())
    )
    done: list[str] = field(default_factory=list)

    def batch_facts(self, batch_id: int) -> BatchFacts | None:
        return self.facts.get(batch_id)

    def restore(self, batch_id: int) -> Restored:
        self.done.append(f"restore {batch_id}")
        return self.restored

    def mark_undone(self, batch_id: int) -> None:
        self.done.append(f"undone {batch_id}")


def _of_events(key: str, only: Collection[str] | None, adopt: Collection[str]) -> bool:
    """As the repository: with `only`, the rows of those event UIDs or with a key in `adopt`."""
    return only is None or key in adopt or key.rpartition("|")[0] in only
