"""Rows ↔ domain values for time entries, scoped to one organisation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.log_time import NewTimeEntry
from krutt.services.ports import RecordedTime, TeamMember
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller
from krutt.web.sellers.refresh import ensure_segments_through
from krutt.web.sellers.repositories import SegmentRepository, employed_between, team_members
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller


class TimeRepository:
    """The time source for reports and the log for new entries."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def team_members(self, *, manager_id: int, first: date, last: date) -> list[TeamMember]:
        return team_members(
            Seller.objects.filter(organisation=self.organisation, team__manager_id=manager_id).filter(
                employed_between(first, last)
            )
        )

    def sellers_by_id(self, seller_ids: Sequence[SellerId]) -> list[TeamMember]:
        return team_members(Seller.objects.filter(organisation=self.organisation, id__in=list(seller_ids)))

    def recorded_time(self, *, manager_id: int, start: datetime, end: datetime) -> list[RecordedTime]:
        links = (
            TimeEntrySeller.objects.filter(
                entry__manager_id=manager_id, entry__started_at__gte=start, entry__started_at__lt=end
            )
            .order_by("entry_id")
            .values_list("entry_id", "entry__started_at", "entry__minutes", "seller_id")
        )
        entries: dict[int, tuple[datetime, int, list[SellerId]]] = {}
        for entry_id, started_at, minutes, seller_id in links:
            entries.setdefault(entry_id, (started_at, minutes, []))[2].append(SellerId(seller_id))
        return [
            RecordedTime(entry_id=pk, started_at=started_at, minutes=minutes, seller_ids=tuple(sellers))
            for pk, (started_at, minutes, sellers) in entries.items()
        ]

    def segment_timelines(
        self, seller_ids: Sequence[SellerId], *, first: date, last: date
    ) -> Mapping[SellerId, Sequence[tuple[date, Segment]]]:
        ensure_segments_through(self.organisation, last)
        return SegmentRepository(self.organisation).timelines(seller_ids, first=first, last=last)

    def sellers_on_team(self, *, manager_id: int, seller_ids: Sequence[SellerId], day: date) -> set[SellerId]:
        return {
            SellerId(pk)
            for pk in Seller.objects.filter(
                organisation=self.organisation, team__manager_id=manager_id, id__in=list(seller_ids)
            )
            .filter(employed_between(day, day))
            .values_list("id", flat=True)
        }

    def seller_label(self, seller_id: SellerId) -> str:
        seller = Seller.objects.get(organisation=self.organisation, id=seller_id)
        return f"{seller.name} <{seller.email}>"

    def add_entry(self, entry: NewTimeEntry) -> int:
        row = TimeEntry.objects.create(
            organisation=self.organisation,
            manager_id=entry.manager_id,
            started_at=entry.started_at,
            minutes=entry.minutes,
            activity=entry.activity.value,
            source=entry.source,
            note=entry.note,
            energy=entry.energy,
            seller_count=len(entry.seller_ids),
        )
        TimeEntrySeller.objects.bulk_create([TimeEntrySeller(entry=row, seller_id=s) for s in entry.seller_ids])
        return row.pk
