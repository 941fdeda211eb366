"""Sync the organisation's CRM: fetch the deals that changed, write them as a deal import does.

The feed (the network) is read first, outside any transaction. Its deals become the
same `Deal` values a CRM export gives and go through `import_deals`, the one use case
every deal enters by: owners matched by e-mail, alias or name, unknown owners listed,
amounts as Decimal, the actuals of the touched months recounted and the segments
refreshed. The CRM's own verdict (won, closed) decides a deal's outcome unless the
organisation named the stage as won or lost. A failure writes nothing; the caller
rolls back and records the error, and the next try follows the backoff.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from krutt.connections.crm_records import CrmDeal, CrmFetch
from krutt.connections.errors import ConnectionFailed
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sync_schedule import next_sync_at
from krutt.importers.crm_presets import DEFAULT_LOST, DEFAULT_WON, status_key, vocabulary
from krutt.importers.deals import Deal, DealsRead, DealStatus
from krutt.importers.outcome_names import OutcomeNames
from krutt.importers.problems import Problem
from krutt.services.import_deals import CrmChanges, DealsImport, DealsRejected

# Changes written while the last sync read are picked up by the next: every window
# starts this much before the watermark, and deals seen twice are the same deal.
OVERLAP = timedelta(minutes=5)


class DealFeed(Protocol):
    def fetch(self) -> CrmFetch:
        """What changed in the CRM since the window's start; raises `ConnectionFailed`."""
        ...


class DealSink(Protocol):
    def write(self, deals: FetchedDeals, changes: CrmChanges) -> DealsImport:
        """The deal import of these deals (raises `DealsRejected`, writing nothing)."""
        ...


def window_start(watermark: datetime | None, *, full: bool) -> datetime | None:
    """Where the next fetch starts: everything (None) when full or never synced."""
    if full or watermark is None:
        return None
    return watermark - OVERLAP


@dataclass(kw_only=True, eq=False)
class FetchedDeals:
    """A CRM's deals as the deal import reads them: in order, each once, line = position."""

    kind: str
    deals: list[Deal]
    problems: list[Problem] = field(default_factory=list)

    def __iter__(self) -> Iterator[Deal]:
        return iter(self.deals)

    def result(self, deals: list[Deal]) -> DealsRead:
        return DealsRead(
            preset=self.kind,
            detected=False,
            mapping={},
            fallbacks={},
            headers=[],
            header_line=0,
            encoding="",
            deals=deals,
            skipped=[],
            problems=self.problems,
        )


def as_deals(kind: str, fetched: Sequence[CrmDeal], names: OutcomeNames) -> FetchedDeals:
    """The CRM's deals as `Deal`s, the latest version of each id only (windows overlap)."""
    latest: dict[str, CrmDeal] = {}
    for deal in fetched:
        kept = latest.get(deal.deal_id)
        if kept is None or deal.modified_at >= kept.modified_at:
            latest[deal.deal_id] = deal
    won = {status_key(n) for n in names.won if status_key(n)}
    lost = {status_key(n) for n in names.lost if status_key(n)}
    deals = [
        Deal(
            line=line,
            deal_id=d.deal_id,
            name=d.name,
            owner=d.owner,
            owner_email=d.owner_email,
            amount=d.amount,
            currency=(d.currency or "").upper() or None,
            status=outcome(d, won, lost),
            stage=d.stage,
            closed_on=d.closed_on,
            created_on=d.created_on,
            account=d.account,
        )
        for line, d in enumerate(
            sorted(latest.values(), key=lambda d: (d.modified_at, d.deal_id)), start=1
        )
    ]
    return FetchedDeals(kind=kind, deals=deals)


_DEFAULT_WON = vocabulary((), DEFAULT_WON)
_DEFAULT_LOST = vocabulary((), DEFAULT_LOST)


def outcome(deal: CrmDeal, won: set[str], lost: set[str]) -> DealStatus:
    """Won, lost or open: the organisation's stage names first, then the CRM's verdict."""
    stage = status_key(deal.stage)
    if stage in won:
        return DealStatus.WON
    if stage in lost:
        return DealStatus.LOST
    if deal.won is True:
        return DealStatus.WON
    if deal.closed is True:
        return DealStatus.LOST
    if deal.won is None and deal.closed is None:
        if stage in _DEFAULT_WON:
            return DealStatus.WON
        if stage in _DEFAULT_LOST:
            return DealStatus.LOST
    return DealStatus.OPEN


@dataclass(kw_only=True)
class DealSyncOutcome:
    """`status`: synced, unchanged or failed; `result` the deal import's report when synced."""

    status: str
    next_sync_at: datetime
    failures: int
    full: bool = False
    watermark: datetime | None = None
    result: DealsImport | None = None
    error: Message | None = None
    problems: list[Message] = field(default_factory=list)


def sync_deals(
    *,
    kind: str,
    feed: DealFeed,
    sink: DealSink,
    names: OutcomeNames,
    watermark: datetime | None,
    now: datetime,
    every_minutes: int,
    failures: int,
) -> DealSyncOutcome:
    """Fetch the CRM's changes and import them; on any failure nothing is kept."""
    try:
        fetched = feed.fetch()
        fresh = _later(watermark, fetched.watermark)
        if not fetched.complete and not fetched.deals and not fetched.deleted:
            return DealSyncOutcome(
                status="unchanged",
                next_sync_at=next_sync_at(now=now, every_minutes=every_minutes, failures=0),
                failures=0,
                watermark=fresh,
            )
        deals = as_deals(kind, fetched.deals, names)
        changes = CrmChanges(deleted=tuple(fetched.deleted), complete=fetched.complete)
        result = sink.write(deals, changes)
    except ConnectionFailed as failed:
        return _failed(failed.message, now, every_minutes, failures + 1, failed.retry_after)
    except DealsRejected as rejected:
        problems = [p.message for p in rejected.result.summary.problems]
        outcome = _failed(
            problems[0] if problems else Message(REJECTED), now, every_minutes, failures + 1
        )
        outcome.result, outcome.problems = rejected.result, problems
        return outcome
    summary = result.summary
    changed = summary.created or summary.updated or summary.removed or result.actuals_changed
    return DealSyncOutcome(
        status="synced" if changed else "unchanged",
        next_sync_at=next_sync_at(now=now, every_minutes=every_minutes, failures=0),
        failures=0,
        full=fetched.complete,
        watermark=fresh,
        result=result,
    )


def _later(old: datetime | None, new: datetime | None) -> datetime | None:
    if old is None or (new is not None and new > old):
        return new
    return old


def _failed(
    error: Message,
    now: datetime,
    every_minutes: int,
    failures: int,
    retry_after: int | None = None,
) -> DealSyncOutcome:
    return DealSyncOutcome(
        status="failed",
        next_sync_at=next_sync_at(
            now=now,
            every_minutes=every_minutes,
            failures=failures,
            retry_after_seconds=retry_after,
        ),
        failures=failures,
        error=error,
    )


REJECTED = gettext_noop("The CRM's deals could not be imported.")
