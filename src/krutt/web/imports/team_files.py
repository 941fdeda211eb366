"""The roster and monthly-number files: read, then one use case, in the caller's transaction.

Each committed import that changed something is kept in the import history as a batch
(these cannot be undone; a corrected file is imported over them instead).
"""

from __future__ import annotations

from krutt.importers.performance import read_monthly_numbers
from krutt.importers.roster import read_roster
from krutt.services.import_performance import import_performance
from krutt.services.import_roster import import_roster
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.web.accounts.models import Organisation, User
from krutt.web.clock import today_in
from krutt.web.imports.batches import close_batch, hold_import_lock, open_batch
from krutt.web.imports.models import Kind
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import (
    PerformanceRepository,
    RosterRepository,
    SegmentRepository,
)


def import_roster_file(
    data: bytes,
    organisation: Organisation,
    *,
    filename: str = "",
    actor: User | None = None,
    channel: str = "cli",
) -> ImportSummary:
    read = read_roster(data)
    if read.problems:
        raise ImportRejected(
            ImportSummary(kind="sellers", read=len(read.rows), problems=read.problems)
        )
    hold_import_lock(organisation)
    summary = import_roster(
        rows=read.rows,
        store=RosterRepository(organisation),
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
    )
    _history(summary, organisation, Kind.SELLERS, filename, data, actor, channel)
    return summary


def import_performance_file(
    data: bytes,
    organisation: Organisation,
    *,
    filename: str = "",
    actor: User | None = None,
    channel: str = "cli",
) -> ImportSummary:
    read = read_monthly_numbers(data)
    if read.problems:
        raise ImportRejected(
            ImportSummary(kind="performance", read=len(read.rows), problems=read.problems)
        )
    hold_import_lock(organisation)
    summary = import_performance(
        rows=read.rows,
        store=PerformanceRepository(organisation),
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
    )
    _history(summary, organisation, Kind.PERFORMANCE, filename, data, actor, channel)
    return summary


def _history(
    summary: ImportSummary,
    organisation: Organisation,
    kind: str,
    filename: str,
    data: bytes,
    actor: User | None,
    channel: str,
) -> None:
    if not (summary.created or summary.updated):
        return
    batch = open_batch(
        organisation, kind=kind, filename=filename, data=data, channel=channel, actor=actor
    )
    counts = {
        "read": summary.read,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
    }
    close_batch(batch, counts=counts, changed=True)
