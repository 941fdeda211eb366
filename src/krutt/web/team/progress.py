"""How far a manager's team is set up: sellers, numbers, time; what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from krutt.web.access import sellers_managed_by
from krutt.web.accounts.models import Role, User
from krutt.web.connections.models import CalendarConnection
from krutt.web.imports.models import ImportBatch, Kind
from krutt.web.sellers.models import MonthlyResult
from krutt.web.timelog.models import TimeEntry


@dataclass(frozen=True, kw_only=True)
class SetupProgress:
    sellers: int
    seller_months: int
    entries: int
    calendar: bool
    invited: int

    @property
    def complete(self) -> bool:
        """The overview has something to say once there are sellers, numbers and time."""
        return bool(self.sellers and self.seller_months and self.entries)

    @property
    def next_step(self) -> str:
        if not self.sellers:
            return "sellers"
        if not self.seller_months:
            return "numbers"
        if not self.entries:
            return "time"
        return "done"


def setup_complete(manager: User) -> bool:
    """Two cheap reads for the overview: numbers imply sellers, so these two are enough."""
    return (
        TimeEntry.objects.filter(manager=manager).exists()
        and MonthlyResult.objects.filter(seller__team__manager=manager).exists()
    )


def setup_progress(manager: User) -> SetupProgress:
    sellers = sellers_managed_by(manager)
    return SetupProgress(
        sellers=sellers.count(),
        seller_months=MonthlyResult.objects.filter(seller__in=sellers).count(),
        entries=TimeEntry.objects.filter(manager=manager).count(),
        calendar=CalendarConnection.objects.filter(manager=manager).exists()
        or ImportBatch.objects.filter(manager=manager, kind=Kind.CALENDAR).exists(),
        invited=User.objects.filter(
            organisation=manager.organisation, role__in=[Role.MANAGER, Role.DIRECTOR]
        )
        .exclude(pk=manager.pk)
        .count(),
    )
