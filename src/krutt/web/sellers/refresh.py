"""Keeping the stored segment histories current, for the shell's entry points."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from krutt.domain.months import Month
from krutt.domain.sellers import SellerId
from krutt.services.refresh_segments import RefreshSummary, refresh_segments
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.repositories import SegmentRepository


def segment_horizon(organisation: Organisation, today: date) -> date:
    """Histories run to the end of next month (so next week's plan is covered), or further if already so."""
    horizon = Month.of(today).plus(1).last_day()
    if organisation.segments_through and organisation.segments_through > horizon:
        return organisation.segments_through
    return horizon


def refresh_organisation_segments(
    organisation: Organisation, *, through: date, seller_ids: Sequence[SellerId] | None = None
) -> RefreshSummary:
    """Recompute histories up to `through`; a full refresh also moves the organisation's horizon.

    One transaction: a seller's history is replaced whole or not at all.
    """
    with transaction.atomic():
        summary = refresh_segments(
            store=SegmentRepository(organisation), through=through, seller_ids=seller_ids
        )
        if seller_ids is None and (
            organisation.segments_through is None or organisation.segments_through < through
        ):
            organisation.segments_through = through
            organisation.save(update_fields=["segments_through"])
    return summary


def ensure_segments_through(organisation: Organisation, day: date) -> None:
    """Make sure every stored history reaches `day` before a report reads it."""
    if organisation.segments_through is None or organisation.segments_through < day:
        refresh_organisation_segments(organisation, through=Month.of(day).last_day())
