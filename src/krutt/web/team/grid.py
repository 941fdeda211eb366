"""The month × seller grid of targets and results: cells in, the performance import's rows out.

An empty cell leaves the stored number as it is, exactly as a column the file leaves out;
a cell that cannot be read is named (seller, month, target or result) and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from krutt.domain.errors import InvalidInput
from krutt.domain.months import Month
from krutt.importers.numbers import NotANumber, parse_amount
from krutt.importers.performance import MonthlyRow
from krutt.services.import_performance import import_performance
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.sellers.models import MonthlyResult, Seller
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import PerformanceRepository, SegmentRepository

# Six months back (the segment rule's window) and the current one.
MONTHS_BACK = 6


@dataclass
class Cell:
    name: str
    value: str
    stored: Decimal | None


@dataclass
class GridRow:
    seller: Seller
    cells: list[tuple[Month, Cell, Cell]] = field(default_factory=list)


class NumberGrid:
    def __init__(self, sellers: list[Seller], *, today: date) -> None:
        current = Month.of(today)
        self.months = [current.plus(-i) for i in range(MONTHS_BACK, -1, -1)]
        self.today = today
        stored = {
            (r.seller_id, Month.of(r.month)): (r.target, r.actual)
            for r in MonthlyResult.objects.filter(
                seller__in=sellers, month__gte=self.months[0].first_day()
            )
        }
        self.rows: list[GridRow] = []
        for seller in sellers:
            row = GridRow(seller)
            for month in self.months:
                target, actual = stored.get((seller.pk, month), (None, None))
                row.cells.append(
                    (
                        month,
                        Cell(f"t-{seller.pk}-{month}", _plain(target), target),
                        Cell(f"a-{seller.pk}-{month}", _plain(actual), actual),
                    )
                )
            self.rows.append(row)
        self.errors: list[str] = []
        self._changes: list[MonthlyRow] = []
        self._ids = {s.email: s.pk for s in sellers}

    def bind(self, posted: Mapping[str, str]) -> None:
        line = 0
        for row in self.rows:
            for month, target, actual in row.cells:
                values: dict[str, Decimal | None] = {}
                for cell, what in ((target, _("target")), (actual, _("result"))):
                    cell.value = (posted.get(cell.name) or "").strip()
                    values[what] = None
                    if not cell.value:
                        continue
                    try:
                        amount = parse_amount(cell.value)
                    except NotANumber:
                        self.errors.append(
                            _("%(seller)s, %(month)s, %(what)s: «%(value)s» is not a number.")
                            % {
                                "seller": row.seller.name,
                                "month": month,
                                "what": what,
                                "value": cell.value,
                            }
                        )
                        continue
                    if amount < 0:
                        self.errors.append(
                            _("%(seller)s, %(month)s, %(what)s: a number below zero.")
                            % {"seller": row.seller.name, "month": month, "what": what}
                        )
                        continue
                    if amount != cell.stored:
                        values[what] = amount
                t, a = values[_("target")], values[_("result")]
                if t is not None or a is not None:
                    line += 1
                    self._changes.append(
                        MonthlyRow(
                            line=line, email=row.seller.email, month=month, target=t, actual=a
                        )
                    )

    def save(self, actor: User) -> ImportSummary:
        organisation = actor.organisation
        assert organisation is not None
        try:
            summary = import_performance(
                rows=self._changes,
                store=PerformanceRepository(organisation),
                segments=SegmentRepository(organisation),
                through=segment_horizon(organisation, self.today),
            )
        except ImportRejected as rejected:
            first = rejected.summary.problems[0].message
            raise InvalidInput(first.text, **dict(first.params)) from None
        if summary.created or summary.updated:
            record(
                action="performance.edit",
                object_type="team",
                object_id=actor.pk,
                organisation_id=organisation.pk,
                actor_id=actor.pk,
                actor_label=actor.email,
                changes={
                    "sellers": sorted({self._ids[c.email] for c in self._changes}),
                    "months": sorted({str(c.month) for c in self._changes}),
                },
            )
        return summary


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
