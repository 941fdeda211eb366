"""The in-memory deal store, answering the sums of kept won deals the import recounts from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from tests.services import fakes_imports


@dataclass
class FakeDealStore(fakes_imports.FakeDealStore):
    """Every kept deal is of the import's source; `totals_asked` counts the sums asked for."""

    totals_asked: int = 0

    def won_totals(self, first: Month, last: Month) -> Mapping[tuple[SellerId, Month], Decimal]:
        self.totals_asked += 1
        totals: dict[tuple[SellerId, Month], Decimal] = defaultdict(Decimal)
        for stored in self.deals.values():
            record = stored.record
            if record.status != "won" or record.closed_on is None or record.amount is None:
                continue
            month = Month.of(record.closed_on)
            if first <= month <= last:
                totals[(record.seller_id, month)] += record.amount
        return totals

    def won_totals_of(
        self, pairs: Sequence[tuple[SellerId, Month]]
    ) -> Mapping[tuple[SellerId, Month], Decimal]:
        first, last = min(m for _, m in pairs), max(m for _, m in pairs)
        totals = self.won_totals(first, last)
        return {pair: totals[pair] for pair in pairs if pair in totals}
