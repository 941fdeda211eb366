"""Applying the retention periods: what is older than the organisation keeps goes, once.

Per category: notes on time entries are blanked (the time stays, so no report moves);
private notes are deleted; deal rows closed (or, unclosed, created) before the period
are deleted with the before-images undo keeps of them, while monthly totals stay; audit
events about sellers who left before the period are deleted through the audit gate. A
second run on the same day finds nothing left; the purge is audited only when it removed
something, so the worker's daily run does not fill the trail with empty rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q

from krutt.domain.retention import kept_from
from krutt.web.accounts.models import Organisation
from krutt.web.audit.models import AuditErasureGate, AuditEvent
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.imports.models import Deal, ImportChange
from krutt.web.privacy.export import audit_events_about, login_of
from krutt.web.privacy.models import RetentionSettings
from krutt.web.privacy.retention import CATEGORIES, retention_months
from krutt.web.sellers.models import Seller, SellerNote
from krutt.web.timelog.models import TimeEntry


@dataclass(frozen=True, kw_only=True)
class Purge:
    on: date
    dry_run: bool
    kept_from: dict[str, date]
    removed: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "dry_run": self.dry_run,
            "kept_from": {k: v.isoformat() for k, v in self.kept_from.items()},
            "removed": self.removed,
        }


def purge(
    organisation: Organisation,
    *,
    dry_run: bool,
    actor_id: int | None,
    actor_label: str,
    channel: str,
    today: date | None = None,
) -> Purge:
    """Remove what is past its retention period; `dry_run` counts it and writes nothing."""
    today = today or today_in(organisation)
    months = retention_months(organisation)
    cutoff = {c.key: kept_from(today, months[c.key]) for c in CATEGORIES}
    zone = ZoneInfo(organisation.time_zone)

    notes = TimeEntry.objects.filter(organisation=organisation, day__lt=cutoff["entry_notes"])
    notes = notes.exclude(note="")
    private = SellerNote.objects.filter(
        seller__organisation=organisation,
        created_at__lt=datetime.combine(cutoff["private_notes"], time(), tzinfo=zone),
    )
    deal_cutoff = cutoff["deal_rows"]
    deals = Deal.objects.filter(organisation=organisation).filter(
        Q(closed_on__lt=deal_cutoff) | Q(closed_on__isnull=True, created_on__lt=deal_cutoff)
    )
    deal_ids = list(deals.values_list("pk", flat=True))
    leavers = Seller.objects.filter(
        organisation=organisation, ended_on__lt=cutoff["leaver_audit"]
    ).select_related("login")
    about = Q(pk__in=[])
    for seller in leavers:
        about |= audit_events_about(seller, login_of(seller))
    events = list(AuditEvent.objects.filter(about).values_list("pk", flat=True))

    removed = {
        "entry_notes": notes.count(),
        "private_notes": private.count(),
        "deal_rows": len(deal_ids),
        "leaver_audit": len(events),
    }
    result = Purge(on=today, dry_run=dry_run, kept_from=cutoff, removed=removed)
    if dry_run:
        return result
    notes.update(note="")
    private.delete()
    for start in range(0, len(deal_ids), 1000):
        chunk = deal_ids[start : start + 1000]
        # Undo must not write a purged row back from its before-image.
        ImportChange.objects.filter(table="deal", row_id__in=chunk).delete()
        Deal.objects.filter(pk__in=chunk).delete()
    _delete_audit_events(events)
    if result.total:
        record(
            action="privacy.purge",
            object_type="organisation",
            object_id=organisation.pk,
            organisation_id=organisation.pk,
            actor_id=actor_id,
            actor_label=actor_label,
            channel=channel,
            changes={"removed": removed, "kept_from": result.as_json()["kept_from"]},
        )
    return result


def _delete_audit_events(ids: list[int]) -> None:
    """Delete audit rows past retention: the only DELETE the triggers let through."""
    if not ids:
        return
    AuditErasureGate.objects.bulk_create([AuditErasureGate(event_id=i) for i in ids])
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)  # noqa: S608
    AuditErasureGate.objects.filter(event_id__in=ids).delete()


def purge_due(*, today_of: Any = today_in) -> list[tuple[Organisation, Purge]]:
    """The worker's daily purge: each organisation not purged today, claimed once."""
    from django.db import transaction

    done: list[tuple[Organisation, Purge]] = []
    for organisation in Organisation.objects.all():
        today = today_of(organisation)
        RetentionSettings.objects.get_or_create(organisation=organisation)
        with transaction.atomic():
            # SKIP LOCKED: another worker purging the same organisation right now wins.
            row = (
                RetentionSettings.objects.select_for_update(skip_locked=True)
                .filter(organisation=organisation)
                .filter(Q(last_purged_on__isnull=True) | Q(last_purged_on__lt=today))
                .first()
            )
            if row is None:
                continue
            result = purge(
                organisation,
                dry_run=False,
                actor_id=None,
                actor_label="worker",
                channel="worker",
                today=today,
            )
            row.last_purged_on = today
            row.save(update_fields=["last_purged_on"])
        done.append((organisation, result))
    return done
