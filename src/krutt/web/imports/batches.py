"""Import batches: opening one for a file, closing it with its counts, and who may see it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.trail import record
from krutt.web.imports.models import ImportBatch, Kind
from krutt.web.sellers.models import Seller, Team


def hold_import_lock(organisation: Organisation) -> None:
    """Imports of one organisation run one after the other, on PostgreSQL as on SQLite.

    SQLite lets one writer at a time anyway. PostgreSQL would let two imports of the same
    roster, CRM or calendar write side by side, each checked against what the other has not
    committed yet (a duplicate, or a unique-key error). The organisation's row, held until
    the import commits, queues the second behind the first, for KRUTT_DB_LOCK_WAIT_SECONDS
    at most; then it is told the database is busy. FOR NO KEY UPDATE still lets every other
    write (a time entry, a page) refer to the organisation meanwhile.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        list(
            Organisation.objects.select_for_update(no_key=True)
            .filter(pk=organisation.pk)
            .values_list("pk", flat=True)
        )


def open_batch(
    organisation: Organisation,
    *,
    kind: str,
    filename: str,
    data: bytes,
    channel: str,
    actor: User | None = None,
    manager: User | None = None,
    preset: str = "",
) -> ImportBatch:
    """A batch for the rows an import is about to write (the caller's transaction keeps it or not)."""
    hold_import_lock(organisation)
    return ImportBatch.objects.create(
        organisation=organisation,
        kind=kind,
        filename=_display_name(filename),
        sha256=hashlib.sha256(data).hexdigest(),
        channel=channel,
        created_by=actor,
        manager=manager,
        preset=preset,
    )


def close_batch(
    batch: ImportBatch,
    *,
    counts: dict[str, Any],
    changed: bool,
    seller_ids: Iterable[int] = (),
    team: Team | None = None,
) -> ImportBatch | None:
    """Store the counts and the team, and audit it; an import that changed nothing leaves no batch."""
    if not changed:
        batch.delete()
        return None
    batch.counts = counts
    batch.team = team if team is not None else single_team(seller_ids)
    batch.save(update_fields=["counts", "team", "covers_from", "covers_until", "preset"])
    record(
        action=f"import.{batch.kind}",
        object_type="import",
        object_id=batch.pk,
        organisation_id=batch.organisation_id,
        actor_id=batch.created_by_id,
        actor_label=batch.created_by.email if batch.created_by else "",
        channel=batch.channel,
        changes={k: v for k, v in counts.items() if isinstance(v, int)},
    )
    return batch


def single_team(seller_ids: Iterable[int]) -> Team | None:
    """The team of these sellers when they are all on one; else None."""
    teams = list(
        Team.objects.filter(
            id__in=Seller.objects.filter(id__in=list(seller_ids)).values("team_id")
        )[:2]
    )
    return teams[0] if len(teams) == 1 else None


def batches_visible_to(user: Any) -> QuerySet[ImportBatch]:
    """A manager's imports: their own calendars, and deal imports of their teams or by them."""
    if not isinstance(user, User) or user.role != Role.MANAGER or user.organisation_id is None:
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(organisation_id=user.organisation_id)
    calendar = Q(kind=Kind.CALENDAR, manager=user)
    others = ~Q(kind=Kind.CALENDAR) & (
        Q(team__manager=user) | Q(team__isnull=True, created_by=user)
    )
    return batches.filter(calendar | others)


def _display_name(filename: str) -> str:
    """The last part of what the user called the file, printable and short; never a path."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "-"
