"""Import entry points shared by the CLI and (later) the web: read, then one use case, in the caller's transaction."""

from __future__ import annotations

from krutt.importers.performance import read_monthly_numbers
from krutt.importers.roster import read_roster
from krutt.services.import_performance import import_performance
from krutt.services.import_roster import import_roster
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.web.accounts.models import Organisation
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import (
    PerformanceRepository,
    RosterRepository,
    SegmentRepository,
)


def import_roster_file(
    data: bytes, organisation: Organisation, *, actor_id: int | None = None
) -> ImportSummary:
    read = read_roster(data)
    if read.problems:
        raise ImportRejected(
            ImportSummary(kind="sellers", read=len(read.rows), problems=read.problems)
        )
    summary = import_roster(
        rows=read.rows,
        store=RosterRepository(organisation),
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
    )
    _audit(summary, organisation, actor_id)
    return summary


def import_performance_file(
    data: bytes, organisation: Organisation, *, actor_id: int | None = None
) -> ImportSummary:
    read = read_monthly_numbers(data)
    if read.problems:
        raise ImportRejected(
            ImportSummary(kind="performance", read=len(read.rows), problems=read.problems)
        )
    summary = import_performance(
        rows=read.rows,
        store=PerformanceRepository(organisation),
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
    )
    _audit(summary, organisation, actor_id)
    return summary


def _audit(summary: ImportSummary, organisation: Organisation, actor_id: int | None) -> None:
    if summary.created or summary.updated:
        record(
            action=f"import.{summary.kind}",
            object_type="organisation",
            object_id=organisation.pk,
            organisation_id=organisation.pk,
            actor_id=actor_id,
            channel="cli" if actor_id is None else "web",
            changes={"created": summary.created, "updated": summary.updated},
        )
