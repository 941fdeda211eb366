"""Time a manager spent with sellers: logged by hand, by timer, or read from a calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.domain.activities import Activity
from krutt.domain.limits import TEXT_MAX
from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller
from krutt.web.text_limits import length_at_most

ACTIVITY_CHOICES = [(a.value, a.value) for a in Activity]


class Source(models.TextChoices):
    MANUAL = "manual"
    CALENDAR = "calendar"
    TIMER = "timer"
    API = "api"


class TimeEntry(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries"
    )
    started_at = models.DateTimeField()
    # When it ends (started_at + minutes): time counts as spent once this has passed, and is
    # planned until then. Stored so that a report selects happened time with an index.
    ended_at = models.DateTimeField()
    # The day it happened in the organisation's zone, so reports select and judge by day in SQL.
    day = models.DateField()
    minutes = models.PositiveIntegerField()
    activity = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.TextField(blank=True)
    energy = models.PositiveSmallIntegerField(null=True, blank=True)
    # Copied from the seller links so that a report can tell team-wide meetings without counting.
    seller_count = models.PositiveSmallIntegerField()
    # The calendar event's UID + recurrence id, so a re-import replaces instead of duplicating.
    external_key = models.CharField(max_length=500, blank=True)
    # Which calendar wrote it (recognised from the file, named, or a connection): an import
    # replaces only its own calendar's entries. Empty for time logged by hand.
    calendar = models.CharField(max_length=200, blank=True, default="")
    # The calendar import that wrote the entry (undoing it removes or restores the entry).
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sellers: models.ManyToManyField[Seller, TimeEntrySeller] = models.ManyToManyField(
        Seller, through="TimeEntrySeller", related_name="time_entries"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["manager", "day"]),
            models.Index(fields=["manager", "started_at"]),
            models.Index(
                fields=["manager", "source", "calendar", "started_at"],
                name="timelog_tim_manager_cal_idx",
            ),
        ]
        constraints = [length_at_most("note", TEXT_MAX, name="time_entry_note_length")]

    def __str__(self) -> str:
        return f"{self.minutes} min {self.activity} at {self.started_at:%Y-%m-%d %H:%M}"


class TimeEntrySeller(models.Model):
    entry = models.ForeignKey(TimeEntry, on_delete=models.CASCADE, related_name="links")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="time_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "seller"], name="entry_seller_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.seller_id}"


class RunningTimer(models.Model):
    """A manager's stopwatch: started with sellers and an activity, stopped into a time entry."""

    manager = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timer"
    )
    started_at = models.DateTimeField()
    activity = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    sellers = models.ManyToManyField(Seller, related_name="+")

    def __str__(self) -> str:
        return f"timer of {self.manager_id} since {self.started_at:%H:%M}"
