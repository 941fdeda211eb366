"""The in-memory deal store, answering the sums of kept won deals the import recounts from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
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
