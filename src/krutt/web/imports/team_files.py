"""The roster and monthly-number files: read, then one use case, in the caller's transaction.

Each committed import that changed something is kept in the import history as a batch
(these cannot be undone; a corrected file is imported over them instead).
"""

from __future__ import annotations

from collections.abc import Mapping

from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId
from krutt.importers.performance import read_monthly_numbers
from krutt.importers.problems import Problem
from krutt.importers.roster import RosterRead, read_roster
from krutt.services.import_performance import import_performance
from krutt.services.import_roster import import_roster
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.web.accounts.models import Organisation, User
from krutt.web.clock import today_in
from krutt.web.imports.batches import close_batch, hold_import_lock, open_batch
from krutt.web.imports.models import Kind
from krutt.web.sellers.models import Seller, Team
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
    manager: User | None = None,
) -> ImportSummary:
    """With `manager` (the web), the file may add sellers but change only the manager's own."""
    read = read_roster(data)
    if manager is not None and not read.problems:
        read = _within_team(read, organisation, manager)
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
    manager: User | None = None,
) -> ImportSummary:
    """With `manager` (the web), only the manager's own sellers are known to the file."""
    read = read_monthly_numbers(data)
    if read.problems:
        raise ImportRejected(
            ImportSummary(kind="performance", read=len(read.rows), problems=read.problems)
        )
    hold_import_lock(organisation)
    summary = import_performance(
        rows=read.rows,
        store=(
            TeamPerformanceRepository(organisation, manager)
            if manager is not None
            else PerformanceRepository(organisation)
        ),
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
    )
    _history(summary, organisation, Kind.PERFORMANCE, filename, data, actor, channel)
    return summary


OTHER_TEAM = gettext_noop(
    "{email} is on {team}, another manager's team; only that manager or the CLI can change them."
)


def _within_team(read: RosterRead, organisation: Organisation, manager: User) -> RosterRead:
    known = RosterRepository(organisation).sellers_by_address()
    own = {t.name.casefold() for t in Team.objects.filter(manager=manager)}
    problems = [
        Problem.at(row.line, OTHER_TEAM, email=row.email, team=stored.team)
        for row in read.rows
        if (stored := known.get(row.email)) is not None and stored.team.casefold() not in own
    ]
    return RosterRead(rows=read.rows, problems=problems)


class TeamPerformanceRepository(PerformanceRepository):
    """Monthly numbers as a manager may write them: their own sellers' only."""

    def __init__(self, organisation: Organisation, manager: User) -> None:
        super().__init__(organisation)
        self.manager = manager

    def seller_ids_by_address(self) -> Mapping[str, SellerId]:
        own = set(Seller.objects.filter(team__manager=self.manager).values_list("id", flat=True))
        return {a: s for a, s in super().seller_ids_by_address().items() if s in own}


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
