"""Overrides in the database: the store behind the override use cases, and their audit trail."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.override_segment import NewOverride
from krutt.web.accounts.models import Organisation
from krutt.web.clock import today_in
from krutt.web.sellers.models import SegmentOverride, SegmentPeriod
from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon


class OverrideRepository:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def current_segment(self, seller_id: SellerId, on: date) -> Segment:
        period = (
            SegmentPeriod.objects.filter(seller_id=seller_id, valid_from__lte=on)
            .order_by("-valid_from")
            .first()
        )
        return Segment(period.segment) if period else Segment.NEW

    def end_overrides(self, seller_id: SellerId, *, on: date) -> int:
        active = SegmentOverride.objects.filter(
            seller_id=seller_id, withdrawn_at__isnull=True
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        ended = 0
        for override in active:
            if override.starts_on >= on:
                # Set and replaced on the same day: it never applied to a whole day.
                override.withdrawn_at = timezone.now()
                override.save(update_fields=["withdrawn_at"])
            else:
                override.expires_on = on
                override.save(update_fields=["expires_on"])
            ended += 1
        return ended

    def add_override(self, override: NewOverride) -> int:
        row = SegmentOverride.objects.create(
            seller_id=override.seller_id,
            segment=override.segment.value,
            reason=override.reason,
            starts_on=override.starts_on,
            expires_on=override.expires_on,
            created_by_id=override.actor_id,
        )
        return row.pk

    def refresh(self, seller_id: SellerId) -> None:
        through = segment_horizon(self.organisation, today_in(self.organisation))
        refresh_organisation_segments(self.organisation, through=through, seller_ids=[seller_id])
