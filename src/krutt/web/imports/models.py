"""Imports as the manager sees them in the history, the deals they brought, and how to undo them.

An `ImportBatch` is one committed file. Every row a batch wrote points back to it
(`Deal.batch`, `TimeEntry.import_batch`, `BusyBlock.import_batch`), and an
`ImportChange` keeps what a row was before the batch changed or removed it, so that
undoing the batch can put exactly that back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller, Team


class Kind(models.TextChoices):
    DEALS = "deals"
    CALENDAR = "calendar"
    SELLERS = "sellers"
    PERFORMANCE = "performance"


class ImportBatch(models.Model):
    """One committed import: who, when, which file (by name only) and what it changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    # The manager whose calendar it was (calendar imports), or who imported it on the web.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # As the user named it, for display only: never used as a path.
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    preset = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=8, default="cli")
    counts = models.JSONField(default=dict, blank=True)
    # The days a calendar import replaced (inclusive, in the organisation's zone).
    covers_from = models.DateField(null=True, blank=True)
    covers_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} {self.kind} {self.filename}"


class Deal(models.Model):
    """A deal as the CRM exported it last, keyed by CRM (the preset) and deal id or content."""

    # Deals are written by the million and read by key (the unique organisation, source,
    # key index) and, for a CRM sync's delta, by seller and close day: that second index
    # costs a file import about 5 % of its time and keeps an incremental sync from
    # scanning every kept deal. Finding a batch's deals (undo) is rare enough to scan for.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)
    source = models.CharField(max_length=32)
    key = models.CharField(max_length=255)
    seller = models.ForeignKey(
        Seller,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        db_index=False,
    )
    owner = models.TextField()
    name = models.TextField(blank=True)
    account = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=8)
    stage = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_on = models.DateField(null=True, blank=True)
    # The line it was on in the file of the batch that last wrote it.
    line = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "key"], name="deal_source_key_unique"
            )
        ]
        indexes = [models.Index(fields=["seller", "closed_on"], name="deal_seller_closed")]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"


class ImportChange(models.Model):
    """What one row was before a batch changed or removed it (`before` null: it did not exist).

    `previous_batch` is the batch that had written the row before, so a batch cannot be
    undone while a later one has built on its rows. `after` is kept where later edits
    outside imports must be noticed (monthly actuals).
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    table = models.CharField(max_length=16)  # deal, actual, entry, busy
    key = models.CharField(max_length=255)
    row_id = models.BigIntegerField(null=True, blank=True)
    previous_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["batch", "table"])]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.table} {self.key}"
