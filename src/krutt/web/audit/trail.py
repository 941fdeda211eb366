"""Writing the audit trail: who did what to which object, with coded values only."""

from __future__ import annotations

from typing import Any

from krutt.web.audit.models import AuditEvent


def record(
    *,
    action: str,
    object_type: str,
    object_id: int | str,
    organisation_id: int | None,
    actor_id: int | None = None,
    actor_label: str = "",
    channel: str = "web",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        organisation_id=organisation_id,
        actor_id=actor_id,
        actor_label=actor_label,
        channel=channel,
        changes=changes or {},
    )
