"""Teams, sellers, their monthly numbers and the segment history derived from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krutt.domain.limits import EMAIL_MAX, NAME_MAX, NOTE_MAX, REASON_MAX, TEAM_NAME_MAX
from krutt.domain.messages import Message
from krutt.domain.segments import Segment
from krutt.web.accounts.models import Organisation
from krutt.web.messages import decode_message
from krutt.web.text_limits import length_at_most

SEGMENT_CHOICES = [(s.value, s.value) for s in Segment]


class Team(models.Model):
    """A manager's team; a director sees the teams under them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=TEAM_NAME_MAX)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_teams",
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_teams",
    )
    # The team's own policy and thresholds; empty means the organisation's.
    policy_key = models.CharField(_("policy"), max_length=32, blank=True)
    bands = models.JSONField(_("bands"), default=dict, blank=True)
    rules = models.JSONField(_("segment rules"), default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique"),
            length_at_most("name", TEAM_NAME_MAX, name="team_name_length"),
        ]

    def __str__(self) -> str:
        return self.name


class Seller(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sellers")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="sellers")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail"), max_length=EMAIL_MAX)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    # Fingerprint of the stored segment history: a refresh compares it instead of reading rows back.
    segment_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="seller_email_unique"),
            length_at_most("name", NAME_MAX, name="seller_name_length"),
            length_at_most("email", EMAIL_MAX, name="seller_email_length"),
        ]
        indexes = [models.Index(fields=["team", "started_on"])]

    def __str__(self) -> str:
        return self.name


class SellerAlias(models.Model):
    """Another address the seller appears under in calendars and CRMs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="aliases")
    email = models.EmailField(max_length=EMAIL_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="alias_email_unique"),
            length_at_most("email", EMAIL_MAX, name="alias_email_length"),
        ]

    def __str__(self) -> str:
        return self.email


class MonthlyResult(models.Model):
    """Target and actual for one seller-month; unknown numbers are null, never zero."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="monthly_results")
    month = models.DateField(help_text="The first day of the month.")
    target = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "month"], name="monthly_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.month:%Y-%m}"


class SegmentPeriod(models.Model):
    """The seller's segment from `valid_from` until the next period; derived, rewritten on refresh."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="segment_periods")
    valid_from = models.DateField()
    valid_until = models.DateField(
        null=True, blank=True, help_text="The next period's first day; open when null."
    )
    segment = models.CharField(max_length=8, choices=SEGMENT_CHOICES)
    source = models.CharField(max_length=8, default="rule")
    # The reason as a translatable message: {"text": msgid, "params": {name: [type, value]}}.
    reason = models.JSONField()
    attainment = models.CharField(
        max_length=64, blank=True, help_text="Exact fraction p/q, blank when unknown."
    )
    months_of_data = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "valid_from"], name="segment_period_unique")
        ]
        # Covers "the segment in force on a day": a seek on (seller, valid_from) that reads no row.
        indexes = [
            models.Index(fields=["seller", "valid_from", "segment"], name="segment_period_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.segment} from {self.valid_from}"

    @property
    def reason_message(self) -> Message:
        return decode_message(self.reason)


class SegmentOverride(models.Model):
    """A manager's decision about a seller's segment, beating the rule until it expires."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="segment_overrides")
    segment = models.CharField(max_length=8, choices=SEGMENT_CHOICES)
    reason = models.TextField()
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [length_at_most("reason", REASON_MAX, name="override_reason_length")]

    def __str__(self) -> str:
        return f"{self.seller_id} → {self.segment} from {self.starts_on}"


class SellerNote(models.Model):
    """A manager's private note about a seller: visible to its author only."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_notes"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [length_at_most("text", NOTE_MAX, name="seller_note_length")]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.seller_id}"
