"""A CRM deal export into krutt: read, one use case, and the batch that records it.

Runs in the caller's transaction (the CLI command or the view owns it), so a rejected
file, a dry run or a crash leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.db.models import QuerySet

from krutt.importers.outcome_names import OutcomeNames
from krutt.importers.workbooks import WorkbookLimits
from krutt.services.import_deals import (
    NO_NAMES,
    CrmChanges,
    DealsImport,
    DealSource,
    import_deals,
    open_deals,
)
from krutt.web.accounts.models import Organisation, User
from krutt.web.clock import today_in
from krutt.web.imports.batches import close_batch, open_batch
from krutt.web.imports.deal_store import DealRepository
from krutt.web.imports.models import ImportBatch, Kind
from krutt.web.sellers.models import Seller
from krutt.web.sellers.refresh import segment_horizon
from krutt.web.sellers.repositories import SegmentRepository


def workbook_limits() -> WorkbookLimits:
    """The spreadsheet limits of the settings (KRUTT_XLSX_*)."""
    return WorkbookLimits(
        max_unpacked_bytes=settings.KRUTT_XLSX_MAX_UNPACKED_MB * 1024 * 1024,
        max_ratio=settings.KRUTT_XLSX_MAX_RATIO,
        max_rows=settings.KRUTT_XLSX_MAX_ROWS,
        max_cells=settings.KRUTT_XLSX_MAX_CELLS,
    )


def import_deals_file(
    data: bytes,
    organisation: Organisation,
    *,
    filename: str,
    preset: str = "auto",
    mapping: Mapping[str, str] | None = None,
    sellers: QuerySet[Seller] | None = None,
    actor: User | None = None,
    channel: str = "cli",
    progress: Callable[[int], None] | None = None,
    extra_names: OutcomeNames = NO_NAMES,
) -> tuple[DealsImport, ImportBatch | None]:
    """Import the deals; `sellers` limits who deals can belong to (default: the organisation's).

    The organisation's won and lost stage names, and this import's `extra_names`, count
    besides krutt's own. Returns the outcome and the batch (None when nothing changed).
    Raises `DealsRejected` when the file has problems.
    """
    stream = open_deals(
        data,
        preset=preset,
        mapping=mapping,
        filename=filename,
        names=outcome_names_of(organisation),
        extra_names=extra_names,
        workbook_limits=workbook_limits(),
    )
    source = stream.preset.key if stream.preset is not None else ""
    batch = open_batch(
        organisation,
        kind=Kind.DEALS,
        filename=filename,
        data=data,
        channel=channel,
        actor=actor,
        manager=actor if channel == "web" else None,
        preset=source,
    )
    scope = sellers if sellers is not None else Seller.objects.filter(organisation=organisation)
    store = DealRepository(batch=batch, source=source, sellers=scope)
    result = import_deals(
        deals=stream,
        store=store,
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
        progress=progress,
    )
    return result, _close(batch, result, store)


def import_crm_deals(
    deals: DealSource,
    organisation: Organisation,
    *,
    source: str,
    changes: CrmChanges,
    label: str,
    actor: User | None = None,
    channel: str = "sync",
) -> tuple[DealsImport, ImportBatch | None]:
    """A CRM sync's deals through the same import as a file, as a batch that can be undone.

    `source` is the CRM (the same key as its file preset, so a sync updates the deals an
    export of the same CRM brought). Raises `DealsRejected`, writing nothing.
    """
    batch = open_batch(
        organisation,
        kind=Kind.DEALS,
        filename=label,
        data=label.encode(),
        channel=channel,
        actor=actor,
        preset=source,
    )
    store = DealRepository(
        batch=batch, source=source, sellers=Seller.objects.filter(organisation=organisation)
    )
    result = import_deals(
        deals=deals,
        store=store,
        segments=SegmentRepository(organisation),
        through=segment_horizon(organisation, today_in(organisation)),
        crm=changes,
    )
    return result, _close(batch, result, store)


def _close(batch: ImportBatch, result: DealsImport, store: DealRepository) -> ImportBatch | None:
    summary = result.summary
    counts = {
        "read": summary.read,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "removed": summary.removed,
        "skipped": summary.skipped,
        "actuals_changed": result.actuals_changed,
        "months": [str(m) for m in result.months],
        "unknown_owners": len(result.unknown_owners),
        # Whose actuals the import set: a later import over the same ground blocks undo.
        "scope": list(result.sellers),
    }
    changed = summary.created or summary.updated or summary.removed or result.actuals_changed
    return close_batch(batch, counts=counts, changed=bool(changed), seller_ids=store.touched)


def outcome_names_of(organisation: Organisation) -> OutcomeNames:
    """The won and lost stage names the organisation set, as its settings page saved them."""
    return OutcomeNames(
        won=tuple(organisation.won_stage_names or ()),
        lost=tuple(organisation.lost_stage_names or ()),
    )
