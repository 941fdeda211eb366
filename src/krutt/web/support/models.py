"""The support ledger of a seller who does not deliver: the plan, what was given, what was decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krutt.domain.support import Decision, SupportKind
from krutt.web.sellers.models import Seller

KIND_CHOICES = [(k.value, k.value) for k in SupportKind]
DECISION_CHOICES = [(d.value, d.value) for d in Decision]


class SupportPlan(models.Model):
    """A written plan: goal, start, review date and agreed actions. The latest one is in force."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="support_plans")
    goal = models.TextField(_("goal"))
    started_on = models.DateField(_("start"))
    review_on = models.DateField(_("review date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"support plan {self.pk} for {self.seller_id}"


class SupportPlanAction(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    description = models.CharField(max_length=300)
    minutes = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kind}: {self.description}"


class SupportLogEntry(models.Model):
    """Support given outside the time log (a course, a mentor's session), logged by hand."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="support_entries")
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    minutes = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.minutes} min on {self.day}"


class SupportDecision(models.Model):
    """The manager's call for a seller who had sufficient support: continue, change role, transition."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="support_decisions")
    decision = models.CharField(max_length=16, choices=DECISION_CHOICES)
    decided_on = models.DateField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.decision} for {self.seller_id} on {self.decided_on}"
