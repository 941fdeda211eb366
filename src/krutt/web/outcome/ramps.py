"""New sellers' ramp as the seller page and the overview show it: the same curve as the
Results page and the slow-ramp alert (`krutt.domain.outcome.seller_ramp`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from krutt.domain.months import Month
from krutt.domain.outcome import OutcomeSeller, seller_ramp
from krutt.domain.ramp import RampHistory
from krutt.web.outcome.charts import ramp_chart


def ramp_figures(
    sellers: Iterable[OutcomeSeller],
    histories: Sequence[RampHistory],
    *,
    today: date,
    link: bool = False,
) -> list[dict[str, Any]]:
    """One figure per seller still in their first year with a complete month of numbers,
    over the complete months before today's; `histories` are everyone on the manager's
    teams (the seller's own among them)."""
    by_id = {h.seller_id: h for h in histories}
    last = Month.of(today).plus(-1)
    figures = []
    for seller in sellers:
        history = by_id.get(seller.seller_id)
        if history is None:
            continue
        rows = seller_ramp(
            seller=seller,
            history=history,
            others=[h for h in histories if h.seller_id != seller.seller_id],
            last=last,
        )
        if rows:
            figures.append(
                {
                    "seller_id": seller.seller_id,
                    "name": seller.name,
                    "rows": rows,
                    "svg": ramp_chart(rows),
                    "link": link,
                }
            )
    return figures
