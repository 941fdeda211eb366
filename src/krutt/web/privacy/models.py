"""What the organisation chose about personal data: retention, and per team the § 9-2 notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation
from krutt.web.sellers.models import Team


class RetentionSettings(models.Model):
    """Months kept per category (absent keys keep the default); when the purge last ran."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_settings"
    )
    months = models.JSONField(default=dict, blank=True)
    # The worker purges once a day; this row is its schedule (and several workers share it).
    last_purged_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"retention of {self.organisation_id}"


class MeasurementNotice(models.Model):
    """A team was informed of calendar measurement and it was discussed with representatives.

    Notices are kept as a history: the latest one is the team's notice.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="measurement_notices")
    informed_on = models.DateField()
    discussed_on = models.DateField()
    purpose = models.TextField()
    until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["team", "recorded_at"])]

    def __str__(self) -> str:
        return f"notice for {self.team_id} from {self.informed_on}"
