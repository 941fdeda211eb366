"""Rows ↔ values for a calendar import: one manager's entries from the calendar and busy blocks.

Entries the manager logged by hand are never read or written here (`source` is not
calendar). What an import changes or removes is kept as an `ImportChange`, with the
row's id, so that undo writes the very same rows back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from krutt.domain.activities import Activity
from krutt.domain.sellers import SellerId
from krutt.services.import_calendar import Busy, CalendarEntry, StoredBusy, StoredEntry
from krutt.web.accounts.models import User
from krutt.web.imports.deal_store import Change, insert_rows, remember
from krutt.web.imports.models import ImportBatch
from krutt.web.planning.models import BusyBlock
from krutt.web.timelog.models import Source, TimeEntry, TimeEntrySeller

ENTRY_FIELDS = (
    "organisation_id",
    "manager_id",
    "started_at",
    "day",
    "minutes",
    "activity",
    "source",
    "note",
    "energy",
    "seller_count",
    "external_key",
    "created_at",
)


class CalendarRepository:
    """One manager's calendar rows, written on behalf of one import batch."""

    def __init__(self, *, batch: ImportBatch, manager: User) -> None:
        self.batch = batch
        self.manager = manager

    def stored_entries(self, *, start: datetime, end: datetime) -> list[StoredEntry]:
        rows = list(
            TimeEntry.objects.filter(
                organisation_id=self.batch.organisation_id,
                manager=self.manager,
                source=Source.CALENDAR,
                started_at__gte=start,
                started_at__lt=end,
            )
            .order_by("id")
            .values_list(
                "id", "import_batch_id", "external_key", "started_at", "day", "minutes", "activity"
            )
        )
        sellers = _sellers_of([r[0] for r in rows])
        return [
            StoredEntry(
                row_id=pk,
                batch_id=batch_id,
                entry=CalendarEntry(
                    key=key,
                    started_at=started_at,
                    day=day,
                    minutes=minutes,
                    activity=Activity(activity),
                    seller_ids=tuple(sorted(sellers.get(pk, ()))),
                ),
            )
            for pk, batch_id, key, started_at, day, minutes, activity in rows
        ]

    def save_entries(
        self,
        *,
        created: Sequence[CalendarEntry],
        updated: Sequence[tuple[StoredEntry, CalendarEntry]],
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
        rows = [self._row(new, pk=old.row_id) for old, new in updated]
        if rows:
            TimeEntry.objects.bulk_update(
                rows,
                ["started_at", "day", "minutes", "activity", "seller_count", "import_batch"],
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
            (
                "organisation_id",
                "manager_id",
                "started_at",
                "day",
                "minutes",
                "activity",
                "source",
                "note",
                "seller_count",
                "external_key",
                "import_batch_id",
                "created_at",
            ),
            [
                (
                    self.batch.organisation_id,
                    self.manager.pk,
                    ops.adapt_datetimefield_value(e.started_at),
                    ops.adapt_datefield_value(e.day),
                    e.minutes,
                    e.activity.value,
                    Source.CALENDAR.value,
                    "",
                    len(e.seller_ids),
                    e.key,
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

    def _row(self, entry: CalendarEntry, *, pk: int | None = None) -> TimeEntry:
        return TimeEntry(
            pk=pk,
            organisation_id=self.batch.organisation_id,
            manager=self.manager,
            started_at=entry.started_at,
            day=entry.day,
            minutes=entry.minutes,
            activity=entry.activity.value,
            source=Source.CALENDAR,
            seller_count=len(entry.seller_ids),
            external_key=entry.key,
            import_batch=self.batch,
        )

    def stored_busy(self, *, start: datetime, end: datetime) -> list[StoredBusy]:
        return [
            StoredBusy(row_id=pk, batch_id=batch_id, busy=Busy(key=key, start=s, end=e))
            for pk, batch_id, key, s, e in BusyBlock.objects.filter(
                organisation_id=self.batch.organisation_id,
                manager=self.manager,
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .order_by("id")
            .values_list("id", "import_batch_id", "external_key", "starts_at", "ends_at")
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
            ["starts_at", "ends_at", "import_batch"],
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
                "import_batch_id",
            ),
            [
                (
                    self.batch.organisation_id,
                    self.manager.pk,
                    ops.adapt_datetimefield_value(b.start),
                    ops.adapt_datetimefield_value(b.end),
                    b.key[:500],
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
        }

    def _busy(self, busy: Busy, *, pk: int | None = None) -> BusyBlock:
        return BusyBlock(
            pk=pk,
            organisation_id=self.batch.organisation_id,
            manager=self.manager,
            starts_at=busy.start,
            ends_at=busy.end,
            external_key=busy.key[:500],
            import_batch=self.batch,
        )


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
