"""Undoing an import batch: what it wrote goes, what it replaced comes back, row for row."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from krutt.domain.errors import NotFound
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.services.undo_import import BatchFacts, ChangedSince, Restored, undo_import
from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.imports.models import Deal, ImportBatch, ImportChange, Kind
from krutt.web.planning.models import BusyBlock
from krutt.web.sellers.models import MonthlyResult, Seller
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import SegmentRepository
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller


class UndoRepository:
    """Batches within `batches` (the caller's scope), undone on behalf of `actor`."""

    def __init__(self, batches: QuerySet[ImportBatch], *, actor: User | None) -> None:
        self.batches = batches
        self.actor = actor

    def batch(self, batch_id: int) -> ImportBatch | None:
        return self.batches.filter(pk=batch_id).first()

    def batch_facts(self, batch_id: int) -> BatchFacts | None:
        batch = self.batch(batch_id)
        if batch is None:
            return None
        later = (
            ImportChange.objects.filter(previous_batch_id=batch_id, batch__undone_at__isnull=True)
            .exclude(batch_id=batch_id)
            .values_list("batch_id", flat=True)
            .distinct()
        )
        return BatchFacts(
            batch_id=batch.pk,
            kind=batch.kind,
            undone_on=batch.undone_at.date() if batch.undone_at else None,
            later=tuple(sorted(set(later) | later_covering(batch))),
            changed_since=tuple(self._changed_since(batch)),
        )

    def _changed_since(self, batch: ImportBatch) -> list[ChangedSince]:
        changes = list(batch.changes.filter(table="actual").values_list("key", "after"))
        if not changes:
            return []
        current = {
            (seller_id, month): actual
            for seller_id, month, actual in MonthlyResult.objects.filter(
                seller_id__in={int(key.split(":")[0]) for key, _ in changes}
            ).values_list("seller_id", "month", "actual")
        }
        emails = dict(
            Seller.objects.filter(
                id__in={int(key.split(":")[0]) for key, _ in changes}
            ).values_list("id", "email")
        )
        found: list[ChangedSince] = []
        for key, after in changes:
            seller_id, month = _actual_key(key)
            written = _decimal(_image(after).get("actual"))
            if current.get((seller_id, month.first_day())) != written:
                found.append(
                    ChangedSince(seller=emails.get(seller_id, str(seller_id)), month=month)
                )
        return sorted(found, key=lambda c: (c.month, c.seller))

    def restore(self, batch_id: int) -> Restored:
        batch = self.batch(batch_id)
        assert batch is not None
        removed = restored = 0
        for table, rows in (("deal", Deal), ("entry", TimeEntry), ("busy", BusyBlock)):
            images = [
                before
                for before in batch.changes.filter(table=table)
                .order_by("id")
                .values_list("before", flat=True)
                if before is not None
            ]
            written = rows.objects.filter(
                **({"batch": batch} if table == "deal" else {"import_batch": batch})
            )
            ids = set(written.values_list("id", flat=True))
            written.delete()
            removed += len(ids - {image["id"] for image in images})
            restored += len(images)
            if table == "deal":
                _restore_deals(batch, images)
            elif table == "entry":
                _restore_entries(images)
            else:
                _restore_busy(batch, images)
        sellers, actuals = _restore_actuals(batch)
        return Restored(removed=removed, restored=restored, actuals=actuals, sellers=sellers)

    def mark_undone(self, batch_id: int) -> None:
        self.batches.filter(pk=batch_id).update(undone_at=timezone.now(), undone_by=self.actor)


def later_covering(batch: ImportBatch) -> set[int]:
    """Later imports, not undone, of the same kind over the same ground.

    A deal import covers its months for the sellers in its scope; a calendar import a
    manager's days. Undoing an earlier one would undo what the later one confirmed.
    """
    later = ImportBatch.objects.filter(
        organisation_id=batch.organisation_id,
        kind=batch.kind,
        undone_at__isnull=True,
        pk__gt=batch.pk,
    )
    if batch.kind == Kind.CALENDAR:
        if batch.covers_from is None or batch.covers_until is None:
            return set()
        # Each calendar keeps its own entries: only a later import of the same one builds on it.
        calendar = batch.counts.get("calendar", "")
        return {
            pk
            for pk, counts in later.filter(
                manager_id=batch.manager_id,
                covers_from__lte=batch.covers_until,
                covers_until__gte=batch.covers_from,
            ).values_list("pk", "counts")
            if counts.get("calendar", "") == calendar
        }
    months = set(batch.counts.get("months", []))
    scope = set(batch.counts.get("scope", []))
    return {
        pk
        for pk, counts in later.values_list("pk", "counts")
        if months & set(counts.get("months", [])) and scope & set(counts.get("scope", []))
    }


def undo_batch(
    batches: QuerySet[ImportBatch], batch_id: int, *, actor: User | None, channel: str
) -> tuple[ImportBatch, Restored]:
    """Undo the batch (in the caller's transaction) and audit it; a refusal raises KruttError."""
    store = UndoRepository(batches, actor=actor)
    batch = store.batch(batch_id)
    if batch is None:
        raise NotFound(gettext_noop("There is no import {id}."), id=batch_id)
    organisation = batch.organisation
    restored = undo_import(
        store=store,
        segments=SegmentRepository(organisation),
        batch_id=batch_id,
        through=segment_horizon(organisation, today_in(organisation)),
    )
    record(
        action="import.undo",
        object_type="import",
        object_id=batch.pk,
        organisation_id=organisation.pk,
        actor_id=actor.pk if actor else None,
        actor_label=actor.email if actor else "",
        channel=channel,
        changes={
            "kind": batch.kind,
            "removed": restored.removed,
            "restored": restored.restored,
            "actuals": restored.actuals,
        },
    )
    batch.refresh_from_db()
    return batch, restored


def _restore_deals(batch: ImportBatch, images: list[dict[str, Any]]) -> None:
    living = _living_sellers({image["seller_id"] for image in images})
    Deal.objects.bulk_create(
        [
            Deal(
                id=image["id"],
                organisation_id=batch.organisation_id,
                source=batch.preset,
                key=image["key"],
                seller_id=image["seller_id"] if image["seller_id"] in living else None,
                owner=image["owner"],
                name=image["name"],
                account=image["account"],
                amount=_decimal(image["amount"]),
                currency=image["currency"],
                status=image["status"],
                stage=image["stage"],
                closed_on=_day(image["closed_on"]),
                created_on=_day(image["created_on"]),
                line=image["line"],
                batch_id=image["batch_id"],
            )
            for image in images
        ],
        batch_size=2000,
    )


def _restore_entries(images: list[dict[str, Any]]) -> None:
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(
                id=image["id"],
                organisation_id=image["organisation_id"],
                manager_id=image["manager_id"],
                started_at=datetime.fromisoformat(image["started_at"]),
                # Images kept before entries knew their end are read as started + minutes.
                ended_at=datetime.fromisoformat(image["ended_at"])
                if image.get("ended_at")
                else datetime.fromisoformat(image["started_at"])
                + timedelta(minutes=image["minutes"]),
                day=date.fromisoformat(image["day"]),
                minutes=image["minutes"],
                activity=image["activity"],
                source=image["source"],
                note=image["note"],
                energy=image["energy"],
                seller_count=image["seller_count"],
                external_key=image["external_key"],
                calendar=image.get("calendar", ""),
                created_at=datetime.fromisoformat(image["created_at"]),
                import_batch_id=image["import_batch_id"],
            )
            for image in images
        ],
        batch_size=1000,
    )
    living = _living_sellers({seller for image in images for _, seller in image["links"]})
    TimeEntrySeller.objects.bulk_create(
        [
            TimeEntrySeller(id=pk, entry_id=image["id"], seller_id=seller)
            for image in images
            for pk, seller in image["links"]
            if seller in living
        ],
        batch_size=2000,
    )


def _restore_busy(batch: ImportBatch, images: list[dict[str, Any]]) -> None:
    BusyBlock.objects.bulk_create(
        [
            BusyBlock(
                id=image["id"],
                organisation_id=image["organisation_id"],
                manager_id=image["manager_id"],
                starts_at=datetime.fromisoformat(image["starts_at"]),
                ends_at=datetime.fromisoformat(image["ends_at"]),
                external_key=image["external_key"],
                calendar=image.get("calendar", ""),
                import_batch_id=image["import_batch_id"],
            )
            for image in images
        ],
        batch_size=1000,
    )


def _restore_actuals(batch: ImportBatch) -> tuple[tuple[SellerId, ...], int]:
    """Each monthly actual back to what it was; a month that had no row loses it again."""
    changes = list(batch.changes.filter(table="actual").values_list("key", "before"))
    sellers: set[SellerId] = set()
    for key, image in changes:
        before = _image(image)
        seller_id, month = _actual_key(key)
        row = MonthlyResult.objects.filter(seller_id=seller_id, month=month.first_day()).first()
        if row is None and not before["existed"]:
            continue
        if before["existed"]:
            MonthlyResult.objects.update_or_create(
                seller_id=seller_id,
                month=month.first_day(),
                defaults={"actual": _decimal(before["actual"])},
            )
        elif row is not None and row.target is None:
            row.delete()
        elif row is not None:
            row.actual = None
            row.save(update_fields=["actual"])
        sellers.add(SellerId(seller_id))
    return tuple(sorted(sellers)), len(changes)


def _image(value: Any) -> dict[str, Any]:
    """A stored before/after image (JSON object)."""
    return value if isinstance(value, dict) else {}


def _actual_key(key: str) -> tuple[int, Month]:
    seller, _, month = key.partition(":")
    return int(seller), Month.parse(month)


def _living_sellers(seller_ids: set[int]) -> set[int]:
    """Those of the sellers that still exist (a restored row cannot point at a deleted one)."""
    ids = sorted(s for s in seller_ids if s is not None)
    living: set[int] = set()
    for start in range(0, len(ids), 900):
        living.update(
            Seller.objects.filter(id__in=ids[start : start + 900]).values_list("id", flat=True)
        )
    return living


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
