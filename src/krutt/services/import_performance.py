"""Load monthly targets and actuals; a number the file leaves out stays as it was."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.importers.performance import MonthlyRow
from krutt.importers.problems import Problem
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.services.ports import SegmentStore
from krutt.services.refresh_segments import refresh_segments


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthlyChange:
    seller_id: SellerId
    month: Month
    target: Decimal | None
    actual: Decimal | None


class PerformanceStore(Protocol):
    def seller_ids_by_address(self) -> Mapping[str, SellerId]:
        """Every seller of the organisation under their e-mail and each alias."""
        ...

    def monthly_numbers(
        self, seller_ids: Sequence[SellerId]
    ) -> Mapping[tuple[SellerId, Month], tuple[Decimal | None, Decimal | None]]: ...

    def save_monthly(self, changes: Sequence[MonthlyChange]) -> None: ...


def import_performance(
    *, rows: Sequence[MonthlyRow], store: PerformanceStore, segments: SegmentStore, through: date
) -> ImportSummary:
    """Upsert seller-months; unknown sellers are listed by line, never guessed."""
    summary = ImportSummary(kind="performance", read=len(rows))
    ids = store.seller_ids_by_address()
    resolved: list[tuple[SellerId, MonthlyRow]] = []
    for row in rows:
        seller_id = ids.get(row.email)
        if seller_id is None:
            summary.problems.append(
                Problem.at(
                    row.line,
                    gettext_noop("No seller has the e-mail address {email}."),
                    email=row.email,
                )
            )
        else:
            resolved.append((seller_id, row))
    if summary.problems:
        raise ImportRejected(summary)
    current = store.monthly_numbers(sorted({s for s, _ in resolved}))
    changes: list[MonthlyChange] = []
    for seller_id, row in resolved:
        before = current.get((seller_id, row.month))
        target = row.target if row.target is not None else (before[0] if before else None)
        actual = row.actual if row.actual is not None else (before[1] if before else None)
        if before is None:
            summary.created += 1
        elif before == (target, actual):
            summary.unchanged += 1
            continue
        else:
            summary.updated += 1
        changes.append(
            MonthlyChange(seller_id=seller_id, month=row.month, target=target, actual=actual)
        )
    if changes:
        store.save_monthly(changes)
        refresh_segments(
            store=segments, through=through, seller_ids=sorted({c.seller_id for c in changes})
        )
    return summary
