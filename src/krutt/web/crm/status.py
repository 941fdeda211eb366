"""Whether the organisation's sales data is current: CRM connections a day without a sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from krutt.domain.sync_schedule import is_stale
from krutt.web.crm.models import CrmConnection


def stale_crms(organisation_id: int | None, now: datetime) -> list[dict[str, Any]]:
    """Each connected CRM that has not synced for a day, with when it last did (or None)."""
    if organisation_id is None:
        return []
    return [
        {"kind": c.get_kind_display(), "since": c.last_success_at}
        for c in CrmConnection.objects.filter(organisation_id=organisation_id).order_by("pk")
        if is_stale(now=now, last_success_at=c.last_success_at, created_at=c.created_at)
    ]
