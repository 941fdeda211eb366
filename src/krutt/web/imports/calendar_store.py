"""Rows ↔ values for a calendar import: one manager's entries from the calendar and busy blocks.

Entries the manager logged by hand are never read or written here (`source` is not
calendar). What an import changes or removes is kept as an `ImportChange`, with the
row's id, so that undo writes the very same rows back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from krutt.domain.sellers import SellerId
from krutt.domain.workweek import Busy
from krutt.services.import_calendar import StoredBusy
from krutt.services.record_time import Employment, StoredEntry
from krutt.services.record_time import TimeEntry as TimeEntryValues
from krutt.web.accounts.models import User
from krutt.web.imports.deal_store import Change, insert_rows, remember
from krutt.web.imports.models import ImportBatch
from krutt.web.planning.models import BusyBlock
from krutt.web.timelog.models import Source, TimeEntry, TimeEntrySeller
from krutt.web.timelog.repositories import TimeRepository, entry_fields, entry_values

# The columns a plain INSERT writes, in `entry_fields` order after the organisation.
INSERTED = (
    "organisation_id",
    "manager_id",
    "started_at",
    "ended_at",
    "day",
    "minutes",
    "activity",
    "source",
    "note",
    "energy",
    "seller_count",
    "calendar",
    "external_key",
)
# What undo needs to write an entry back exactly.
ENTRY_FIELDS = (*INSERTED, "created_at")


class CalendarRepository:
    """One manager's rows from one calendar, written on behalf of one import batch."""

    def __init__(self, *, batch: ImportBatch, manager: User, calendar: str = "") -> None:
        self.batch = batch
        self.manager = manager
        self.calendar = calendar
        self.time = TimeRepository(batch.organisation)

    def employment(
        self, *, manager_id: int, seller_ids: Collection[SellerId]
    ) -> Mapping[SellerId, Employment]:
        return self.time.employment(manager_id=manager_id, seller_ids=seller_ids)

    def _entries(self, *, start: datetime, end: datetime) -> QuerySet[TimeEntry]:
        return TimeEntry.objects.filter(
            organisation_id=self.batch.organisation_id,
            manager=self.manager,
            source=Source.CALENDAR,
            started_at__gte=start,
            started_at__lt=end,
        )

    def stored_entries(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredEntry]:
        mine = Q(calendar=self.calendar)
        if self.calendar:
            # Entries from before calendars had names are this calendar's if it has them.
            mine |= Q(calendar="", external_key__in=list(adopt))
        rows = self._entries(start=start, end=end).filter(mine)
        if only is not None:
            rows = rows.filter(_of_events(only, list(adopt)))
        return self._stored(rows)

    def other_entries(self, *, start: datetime, end: datetime) -> list[TimeEntryValues]:
        others = self._entries(start=start, end=end).exclude(calendar=self.calendar)
        return [stored.entry for stored in self._stored(others)]

    def _stored(self, rows: QuerySet[TimeEntry]) -> list[StoredEntry]:
        found = list(rows.order_by("id"))
        sellers = _sellers_of([r.pk for r in found])
        return [
            StoredEntry(
                row_id=row.pk,
                batch_id=row.import_batch_id,
                entry=entry_values(row, sellers.get(row.pk, [])),
            )
            for row in found
        ]

    def save_entries(
        self,
        *,
        created: Sequence[TimeEntryValues],
        updated: Sequence[tuple[StoredEntry, TimeEntryValues]],
        removed: Sequence[StoredEntry],
    ) -> None:
        changed = [old.row_id for old, _ in updated] + [old.row_id for old in removed]
        images = entry_images(changed)
        remember(
            self.batch,
            [
                _change("entry", old.entry.key, old.row_id, old.batch_id, images[old.row_id])
                for old in [*(o for o, _ in updated), *removed]
            ],
        )
        for ids in _chunks([old.row_id for old in removed]):
            TimeEntry.objects.filter(id__in=ids).delete()
        rows = [
            TimeEntry(pk=old.row_id, import_batch=self.batch, **entry_fields(new))
            for old, new in updated
        ]
        if rows:
            TimeEntry.objects.bulk_update(
                rows,
                [
                    "started_at",
                    "ended_at",
                    "day",
                    "minutes",
                    "activity",
                    "seller_count",
                    "calendar",
                    "import_batch",
                ],
                batch_size=1000,
            )
        # Links are replaced only where the sellers changed; the others keep their rows.
        relinked = [
            (old.row_id, new) for old, new in updated if old.entry.seller_ids != new.seller_ids
        ]
        for ids in _chunks([row_id for row_id, _ in relinked]):
            TimeEntrySeller.objects.filter(entry_id__in=ids).delete()
        # New entries as plain INSERTs: a year of a busy calendar is a hundred thousand rows.
        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        insert_rows(
            TimeEntry._meta.db_table,
            (*INSERTED, "import_batch_id", "created_at"),
            [
                (
                    self.batch.organisation_id,
                    *(_adapted(ops, value) for value in entry_fields(e).values()),
                    self.batch.pk,
                    now,
                )
                for e in created
            ],
        )
        new_ids: dict[str, int] = {}
        if created:
            new_ids = dict(
                TimeEntry.objects.filter(import_batch=self.batch, manager=self.manager).values_list(
                    "external_key", "id"
                )
            )
        insert_rows(
            TimeEntrySeller._meta.db_table,
            ("entry_id", "seller_id"),
            [
                (entry_id, seller)
                for entry_id, entry in [
                    *relinked,
                    *((new_ids[e.key], e) for e in created),
                ]
                for seller in entry.seller_ids
            ],
        )

    def _busy_rows(self, *, start: datetime, end: datetime) -> QuerySet[BusyBlock]:
        return BusyBlock.objects.filter(
            organisation_id=self.batch.organisation_id,
            manager=self.manager,
            starts_at__gte=start,
            starts_at__lt=end,
        )

    def stored_busy(
        self,
        *,
        start: datetime,
        end: datetime,
        adopt: Collection[str],
        only: Collection[str] | None = None,
    ) -> list[StoredBusy]:
        mine = Q(calendar=self.calendar)
        if self.calendar:
            mine |= Q(calendar="", external_key__in=[k[:500] for k in adopt])
        rows = self._busy_rows(start=start, end=end).filter(mine)
        if only is not None:
            rows = rows.filter(_of_events(only, [k[:500] for k in adopt]))
        return [
            StoredBusy(row_id=pk, batch_id=batch_id, busy=Busy(key=key, start=s, end=e))
            for pk, batch_id, key, s, e in rows.order_by("id").values_list(
                "id", "import_batch_id", "external_key", "starts_at", "ends_at"
            )
        ]

    def other_busy(self, *, start: datetime, end: datetime) -> list[Busy]:
        return [
            Busy(key=key, start=s, end=e)
            for key, s, e in self._busy_rows(start=start, end=end)
            .exclude(calendar=self.calendar)
            .values_list("external_key", "starts_at", "ends_at")
        ]

    def save_busy(
        self,
        *,
        created: Sequence[Busy],
        updated: Sequence[tuple[StoredBusy, Busy]],
        removed: Sequence[StoredBusy],
    ) -> None:
        remember(
            self.batch,
            [
                _change("busy", old.busy.key, old.row_id, old.batch_id, self._busy_image(old))
                for old in [*(o for o, _ in updated), *removed]
            ],
        )
        for ids in _chunks([old.row_id for old in removed]):
            BusyBlock.objects.filter(id__in=ids).delete()
        BusyBlock.objects.bulk_update(
            [self._busy(new, pk=old.row_id) for old, new in updated],
            ["starts_at", "ends_at", "calendar", "import_batch"],
            batch_size=1000,
        )
        ops = connection.ops
        insert_rows(
            BusyBlock._meta.db_table,
            (
                "organisation_id",
                "manager_id",
                "starts_at",
                "ends_at",
                "external_key",
                "calendar",
                "import_batch_id",
            ),
            [
                (
                    self.batch.organisation_id,
                    self.manager.pk,
                    ops.adapt_datetimefield_value(b.start),
                    ops.adapt_datetimefield_value(b.end),
                    b.key[:500],
                    self.calendar,
                    self.batch.pk,
                )
                for b in created
            ],
        )

    def _busy_image(self, stored: StoredBusy) -> dict[str, Any]:
        return {
            "id": stored.row_id,
            "organisation_id": self.batch.organisation_id,
            "manager_id": self.manager.pk,
            "import_batch_id": stored.batch_id,
            "starts_at": stored.busy.start.isoformat(),
            "ends_at": stored.busy.end.isoformat(),
            "external_key": stored.busy.key,
            "calendar": self.calendar,
        }

    def _busy(self, busy: Busy, *, pk: int | None = None) -> BusyBlock:
        return BusyBlock(
            pk=pk,
            organisation_id=self.batch.organisation_id,
            manager=self.manager,
            starts_at=busy.start,
            ends_at=busy.end,
            external_key=busy.key[:500],
            calendar=self.calendar,
            import_batch=self.batch,
        )


def _adapted(ops: Any, value: Any) -> Any:
    """A value as the database driver takes it in a plain INSERT."""
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    return value


def _chunks(ids: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    """Id lists short enough for one statement's parameters on every database."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _sellers_of(entry_ids: Sequence[int]) -> dict[int, list[SellerId]]:
    return {
        entry_id: [seller for _, seller in links]
        for entry_id, links in _links_of(entry_ids).items()
    }


def _links_of(entry_ids: Sequence[int]) -> dict[int, list[tuple[int, SellerId]]]:
    """Each entry's seller links as (link id, seller id), in link order."""
    links: dict[int, list[tuple[int, SellerId]]] = defaultdict(list)
    for start in range(0, len(entry_ids), 900):
        for pk, entry_id, seller_id in (
            TimeEntrySeller.objects.filter(entry_id__in=entry_ids[start : start + 900])
            .order_by("id")
            .values_list("id", "entry_id", "seller_id")
        ):
            links[entry_id].append((pk, SellerId(seller_id)))
    return links


def entry_images(entry_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Time entries as JSON, every field and seller, enough to write them back exactly."""
    links = _links_of(entry_ids)
    images: dict[int, dict[str, Any]] = {}
    for start in range(0, len(entry_ids), 900):
        for row in TimeEntry.objects.filter(id__in=entry_ids[start : start + 900]).values(
            "id", "import_batch_id", *ENTRY_FIELDS
        ):
            images[row["id"]] = {
                **{k: _json(v) for k, v in row.items()},
                "links": [[pk, seller] for pk, seller in links.get(row["id"], [])],
            }
    return images


def _change(
    table: str, key: str, row_id: int, previous: int | None, image: dict[str, Any]
) -> Change:
    return (table, key, row_id, previous, image, None)


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _of_events(uids: Collection[str], keys: list[str]) -> Q:
    """Rows of these event UIDs (keys are `UID|recurrence id`), or with one of these keys."""
    found = Q(external_key__in=keys)
    for uid in uids:
        found |= Q(external_key__startswith=f"{uid}|")
    return found
