"""The organisation's CRM connection: which CRM, its encrypted secret, schedule and watermark.

One connection per CRM and organisation. `watermark` is the latest modification time the
last successful sync read (the next window starts just before it); `last_full_at` when
the whole CRM was last read (deletions the API does not report are found then).
`unknown_owners` are the CRM owners no seller matched, for the CRM page's matching list.
A `CrmSyncRun` is one sync with the import batch it wrote.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation


class CrmKind(models.TextChoices):
    HUBSPOT = "hubspot", "HubSpot"
    PIPEDRIVE = "pipedrive", "Pipedrive"
    SALESFORCE = "salesforce", "Salesforce"
    SUPEROFFICE = "superoffice", "SuperOffice"


class CrmStatus(models.TextChoices):
    NEW = "new"
    SYNCED = "synced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class CrmConnection(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=CrmKind.choices)
    # Not secret: the API's base address, a client id, won and lost stage names.
    settings = models.JSONField(default=dict, blank=True)
    # A Fernet token (krutt.web.connections.secrets); never shown, logged or audited.
    secret = models.TextField(blank=True)
    every_minutes = models.PositiveIntegerField(default=360)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_full_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=12, choices=CrmStatus.choices, default=CrmStatus.NEW)
    # The last failure as a message ({"text", "params"}), rendered in the reader's language.
    last_error = models.JSONField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_sync_at = models.DateTimeField(default=timezone.now)
    watermark = models.DateTimeField(null=True, blank=True)
    # Read everything next time (an alias was stored: the owner's deals can now be kept).
    full_next = models.BooleanField(default=False)
    unknown_owners = models.JSONField(default=list, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="crm_one_per_kind")
        ]
        indexes = [models.Index(fields=["next_sync_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class CrmSyncRun(models.Model):
    connection = models.ForeignKey(CrmConnection, on_delete=models.CASCADE, related_name="runs")
    batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=CrmStatus.choices)
    full = models.BooleanField(default=False)
    error = models.JSONField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    worker = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["connection", "started_at"])]

    def __str__(self) -> str:
        return f"crm sync {self.connection_id} {self.status}"
