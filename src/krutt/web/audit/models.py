"""An append-only record of who changed what about whom: never updated, never deleted."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class AuditEventError(Exception):
    """An audit event was about to be changed or removed."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEventError("audit events cannot be deleted")

    def update(self, **kwargs: Any) -> int:
        raise AuditEventError("audit events cannot be changed")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # A plain id, not a foreign key: deleting a user must never rewrite the trail.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(
        max_length=300, blank=True, help_text="Who, kept when the user is gone."
    )
    channel = models.CharField(max_length=16, default="web")  # web, cli, api
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    # Field names and coded values (segments, counts), never free text such as notes.
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditEventError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEventError("audit events cannot be deleted")


class AuditErasureGate(models.Model):
    """The one deliberate way to rewrite audit rows: erasing a person (GDPR Art. 17).

    The database triggers refuse every UPDATE of an audit event unless its id is listed
    here. `krutt privacy erase` lists the events that hold an erased value, masks the
    value in them and removes the listing again, all in one transaction; the erasure is
    itself recorded as a new event. Nothing else writes to this table.
    """

    event_id = models.BigIntegerField(unique=True)

    def __str__(self) -> str:
        return f"erasure of audit event {self.event_id}"
