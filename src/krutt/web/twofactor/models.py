"""A user's authenticator (TOTP, RFC 6238), their recovery codes, and who must have one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from krutt.web.accounts.models import Organisation

# The organisation's choice when it has made none: the roles that see the most people.
DEFAULT_REQUIRED_ROLES = ["admin", "director"]


class Authenticator(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authenticator"
    )
    # Encrypted at rest like connection secrets (MultiFernet, KRUTT_SECRET_KEYS).
    secret = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step a code was accepted for: a code works once (RFC 6238 § 5.2).
    last_step = models.BigIntegerField(default=0)
    # Wrong codes in a row, and the sign-in pause they cause (as axes does for passwords).
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"authenticator of {self.user_id}"


class RecoveryCode(models.Model):
    """One-time codes for a lost phone; only their SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "digest"])]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class TwoFactorPolicy(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="two_factor_policy"
    )
    required_roles = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"two-factor policy of {self.organisation_id}"
