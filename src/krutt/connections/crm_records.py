"""What every CRM fetcher returns: the deals that changed, the ids deleted, the new watermark.

A fetcher only reads: the CRM's own words for a deal (owner, amount as `Decimal`, stage,
whether the CRM itself calls it won or closed) and when it was last modified. Deciding
what a stage means, whose deal it is and what it does to the actuals is the sync's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class CrmDeal:
    """One deal as the CRM's API gives it; `won`/`closed` are the CRM's verdict, if it has one."""

    deal_id: str
    name: str
    owner: str
    owner_email: str | None
    amount: Decimal | None
    currency: str | None
    stage: str
    won: bool | None
    closed: bool | None
    closed_on: date | None
    created_on: date | None
    account: str
    modified_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class CrmFetch:
    """`complete`: `deals` is everything the CRM holds; else the changes since `since`.

    `watermark` is the latest modification time seen (the next sync starts there), or
    the one it started from when nothing changed.
    """

    complete: bool
    deals: list[CrmDeal]
    deleted: list[str]
    watermark: datetime | None
