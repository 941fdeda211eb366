"""The manager's busy time (from their calendar) and their saved week plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Seller
from krutt.web.timelog.models import ACTIVITY_CHOICES


class BusyBlock(models.Model):
    """A timed event that is not cancelled, declined or free: the planner keeps out of it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_blocks"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The calendar event's UID + recurrence id: a re-import replaces what it covers.
    external_key = models.CharField(max_length=500)
    # The calendar it came from: each calendar replaces only its own busy time.
    calendar = models.CharField(max_length=200, blank=True, default="")
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["manager", "starts_at"])]

    def __str__(self) -> str:
        return f"busy {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class PlannedSlot(models.Model):
    """A session in a manager's saved plan for a week; its UID stays put when it is moved."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planned_slots"
    )
    week = models.CharField(max_length=8)  # 2026-W49
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="planned_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    activity = models.CharField(max_length=24, choices=ACTIVITY_CHOICES)
    reason = models.JSONField()
    uid = models.CharField(max_length=100)
    # A dropped slot stays, cancelled, so the next .ics export takes it out of the calendar.
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["manager", "week"])]
        constraints = [
            models.UniqueConstraint(fields=["manager", "uid"], name="planned_slot_uid_unique")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.activity} {self.starts_at:%a %H:%M}"


class SavedWeek(models.Model):
    """What a saved plan said when it was saved: its hours, the per-segment table, the
    warnings and what did not fit (the slots themselves are `PlannedSlot` rows)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_weeks"
    )
    week = models.CharField(max_length=8)  # 2026-W49
    available_minutes = models.PositiveIntegerField()
    # {"segments": {"top": {"minimum", "maximum", "target", "minutes", "sellers"}, …},
    #  "warnings": [{"code", "message"}], "unplaced": [{"seller_id", …, "reason"}]}
    summary = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "week"], name="saved_week_unique")
        ]

    def __str__(self) -> str:
        return f"{self.week} saved {self.saved_at:%Y-%m-%d %H:%M}"
