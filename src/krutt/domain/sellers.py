"""Sellers as the rules see them: an id, a start date and monthly numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NewType

from krutt.domain.months import Month

SellerId = NewType("SellerId", int)


@dataclass(frozen=True, kw_only=True, slots=True)
class SellerProfile:
    """What segmentation needs to know about a seller besides the numbers."""

    seller_id: SellerId
    started_on: date


@dataclass(frozen=True, kw_only=True, slots=True)
class MonthlyResult:
    """A seller's target (quota) and actual (booked sales) for one month; either may be unknown."""

    month: Month
    target: Decimal | None
    actual: Decimal | None
