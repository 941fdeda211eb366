"""Connected calendars: where a manager's calendar lives, its encrypted secret, its schedule.

`cursor` is what the last successful sync left (an ETag and hash, a CalDAV sync token);
`CalendarObject` keeps a CalDAV calendar's objects so that a delta can be turned back
into the whole calendar the import reads. A `SyncRun` is one sync, with the import batch
it wrote (none when nothing changed or it failed): the batches say which entries a
connection wrote, so disconnecting can remove exactly those.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation


class Kind(models.TextChoices):
    ICS_URL = "ics-url"
    CALDAV = "caldav"
    MICROSOFT365 = "microsoft365"
    GOOGLE = "google"


class Status(models.TextChoices):
    NEW = "new"
    SYNCED = "synced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class CalendarConnection(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Not secret: the address, user name, calendar name, tenant, client id, mailbox.
    settings = models.JSONField(default=dict, blank=True)
    # A Fernet token (krutt.web.connections.secrets); never shown, logged or audited.
    secret = models.TextField(blank=True)
    every_minutes = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(default=timezone.now)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    # The last failure as a message ({"text", "params"}), rendered in the reader's language.
    last_error = models.JSONField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_sync_at = models.DateTimeField(default=timezone.now)
    cursor = models.JSONField(default=dict, blank=True)
    # A worker's claim while it fetches outside a transaction; it expires if the worker dies.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_sync_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class CalendarObject(models.Model):
    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="calendar_objects"
    )
    href = models.CharField(max_length=1000)
    etag = models.CharField(max_length=255, blank=True)
    data = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "href"], name="calendar_object_href")
        ]

    def __str__(self) -> str:
        return self.href


class SyncRun(models.Model):
    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="runs"
    )
    batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices)
    error = models.JSONField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    worker = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["connection", "started_at"])]

    def __str__(self) -> str:
        return f"sync {self.connection_id} {self.status}"
