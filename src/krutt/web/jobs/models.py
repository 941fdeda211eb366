"""A long web import run as a background job: whose it is, where it stands, what it did.

The id is a random UUID, so a job's page cannot be guessed; it is found only among the
manager's own jobs. How far the import has come is kept beside the upload
(`krutt.web.jobs.progress`), not here: the import holds its transaction until the end.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation


class JobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=16)
    filename = models.CharField(max_length=255, blank=True)
    # The kept upload's token and the choices made in the preview (format, columns, period).
    upload = models.CharField(max_length=64)
    meta = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # What it did: the batch and its counts, or why nothing was written ({"text", "params"}).
    result = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["manager", "created_at"])]

    def __str__(self) -> str:
        return f"import job {self.pk} {self.status}"
