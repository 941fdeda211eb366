"""What a manager tells krutt about their team beyond the roster: names that are not sellers,
and how they believe a week's seller time was split."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotASeller(models.Model):
    """A name or address in the manager's calendars that is nobody on the roster, on purpose."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="not_sellers"
    )
    name = models.CharField(max_length=320)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "name"], name="not_a_seller_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PerceivedSplit(models.Model):
    """The manager's own estimate of a week's seller time per segment, in whole percent."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perceived_splits"
    )
    week = models.DateField(help_text="The Monday of the ISO week.")
    top = models.PositiveSmallIntegerField()
    new = models.PositiveSmallIntegerField()
    core = models.PositiveSmallIntegerField()
    under = models.PositiveSmallIntegerField()
    # Only the manager sees it unless they choose to show their director.
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "week"], name="perceived_split_unique")
        ]

    def __str__(self) -> str:
        return f"{self.manager_id} {self.week}"
