"""An in-memory CRM for the sync's service tests: deals, tombstones and a minute clock."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from krutt.connections.crm_records import CrmDeal, CrmFetch

EPOCH = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@dataclass
class FakeCrm:
    """Answers "what changed since" as the CRMs do: modified at or after, deletions included."""

    deals: dict[str, CrmDeal] = field(default_factory=dict)
    deleted: dict[str, datetime] = field(default_factory=dict)
    minute: int = 0
    next_id: int = 1

    def tick(self) -> datetime:
        self.minute += 1
        return EPOCH + timedelta(minutes=self.minute)

    def create(self, *, owner: str, amount: int, won: bool, closed: bool, day: date) -> str:
        deal_id = str(self.next_id)
        self.next_id += 1
        self.deals[deal_id] = CrmDeal(
            deal_id=deal_id,
            name=f"Avtale {deal_id}",
            owner=owner,
            owner_email=None,
            amount=Decimal(amount),
            currency="NOK",
            stage="Closed won" if won else ("Closed lost" if closed else "Forhandling"),
            won=won,
            closed=closed or won,
            closed_on=day,
            created_on=date(2026, 1, 2),
            account="Fjordfisk AS",
            modified_at=self.tick(),
        )
        return deal_id

    def change(self, deal_id: str, **values: object) -> None:
        self.deals[deal_id] = replace(self.deals[deal_id], **values, modified_at=self.tick())  # type: ignore[arg-type]

    def delete(self, deal_id: str) -> None:
        del self.deals[deal_id]
        self.deleted[deal_id] = self.tick()

    def fetch(self, since: datetime | None) -> CrmFetch:
        if since is None:
            deals = list(self.deals.values())
            gone: list[str] = []
        else:
            deals = [d for d in self.deals.values() if d.modified_at >= since]
            gone = [i for i, at in self.deleted.items() if at >= since]
        marks = [d.modified_at for d in deals] + [self.deleted[i] for i in gone]
        return CrmFetch(
            complete=since is None, deals=deals, deleted=gone, watermark=max(marks, default=None)
        )
