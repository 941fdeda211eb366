"""Exact pictures of what imports write, to show that a run changed nothing or undo put it back."""

from __future__ import annotations

from django.core import serializers

from krutt.web.imports.models import Deal
from krutt.web.planning.models import BusyBlock
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller

IMPORTED = (Deal, MonthlyResult, Seller, TimeEntry, TimeEntrySeller, BusyBlock)


def snapshot() -> dict[str, str]:
    """Every row (all fields, by primary key) of the tables an import or an undo writes.

    Segment periods are derived and rewritten whole on refresh, so they are compared by
    content, not by row id.
    """
    rows = {
        model.__name__: serializers.serialize("json", model.objects.order_by("pk"))
        for model in IMPORTED
    }
    rows["SegmentPeriod"] = repr(
        list(
            SegmentPeriod.objects.order_by("seller_id", "valid_from").values_list(
                "seller_id",
                "valid_from",
                "valid_until",
                "segment",
                "source",
                "reason",
                "attainment",
                "months_of_data",
            )
        )
    )
    return rows
