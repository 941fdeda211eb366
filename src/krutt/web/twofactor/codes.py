"""Second-factor sign-in: TOTP codes (RFC 6238) that work once, and one-time recovery codes.

A code is accepted for the current 30-second step or one step either side (a phone's
clock drifts), never for a step at or before the last accepted one, so a code seen over
a shoulder cannot be used again. Five wrong codes in a row pause sign-in for 15 minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from django.conf import settings

from krutt.web.accounts.models import User
from krutt.web.audit.trail import record
from krutt.web.connections import secrets
from krutt.web.twofactor.models import (
    DEFAULT_REQUIRED_ROLES,
    Authenticator,
    RecoveryCode,
    TwoFactorPolicy,
)

STEP_SECONDS = 30
MAX_WRONG = 5
PAUSE = timedelta(minutes=15)
RECOVERY_CODES = 10
ISSUER = "krutt"


class Check(StrEnum):
    CODE = "code"  # a fresh authenticator code
    RECOVERY = "recovery"  # an unused recovery code (now used)
    WRONG = "wrong"
    REUSED = "reused"  # a right code that was used already
    PAUSED = "paused"  # too many wrong codes: wait


@dataclass(frozen=True, kw_only=True)
class Outcome:
    check: Check
    recovery_left: int = 0

    @property
    def passed(self) -> bool:
        return self.check in (Check.CODE, Check.RECOVERY)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (from a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def confirmed(user: User) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed_at__isnull=False).first()


def required_roles(organisation_id: int | None) -> list[str]:
    """The roles that must sign in with a second factor (the default until the admin chooses)."""
    if organisation_id is None:
        return list(DEFAULT_REQUIRED_ROLES)
    policy = TwoFactorPolicy.objects.filter(organisation_id=organisation_id).first()
    return list(policy.required_roles) if policy is not None else list(DEFAULT_REQUIRED_ROLES)


def required_for(user: User) -> bool:
    """Whether the user's organisation makes a second factor compulsory for their role."""
    if not getattr(settings, "KRUTT_TWO_FACTOR_REQUIRED", True):
        return False
    return user.role in required_roles(user.organisation_id)


def _digest(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def _step_matching(secret: str, code: str, now: datetime) -> int | None:
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = [
        "-".join("".join(random.choice(alphabet) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(c)) for c in codes])
    return codes


def turn_on(user: User, *, secret: str, code: str, now: datetime) -> list[str] | None:
    """Confirm the authenticator with a first code; its recovery codes, or None if wrong."""
    step = _step_matching(secret, code, now)
    if step is None:
        return None
    Authenticator.objects.filter(user=user).delete()
    Authenticator.objects.create(
        user=user, secret=secrets.encrypt(secret), confirmed_at=now, last_step=step
    )
    record(
        action="authn.two_factor_on",
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        actor_id=user.pk,
        actor_label=user.email,
    )
    return _new_recovery_codes(user)


def renew_recovery_codes(user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    record(
        action="authn.recovery_codes",
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        actor_id=user.pk,
        actor_label=user.email,
    )
    return codes


def turn_off(user: User) -> None:
    Authenticator.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record(
        action="authn.two_factor_off",
        object_type="user",
        object_id=user.pk,
        organisation_id=user.organisation_id,
        actor_id=user.pk,
        actor_label=user.email,
    )


def check_code(user: User, code: str, *, now: datetime) -> Outcome:
    """Check a sign-in code (authenticator or recovery); counts wrong ones and pauses."""
    device = Authenticator.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is None:
        return Outcome(check=Check.WRONG)
    if device.locked_until is not None and device.locked_until > now:
        return Outcome(check=Check.PAUSED)
    step = _step_matching(secrets.decrypt(device.secret), code, now)
    if step is not None and step > device.last_step:
        device.last_step, device.failures, device.locked_until = step, 0, None
        device.save(update_fields=["last_step", "failures", "locked_until"])
        return Outcome(check=Check.CODE)
    if step is not None:
        return Outcome(check=Check.REUSED)
    spare = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True)
    if spare.update(used_at=now):
        device.failures, device.locked_until = 0, None
        device.save(update_fields=["failures", "locked_until"])
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        record(
            action="authn.recovery_code_used",
            object_type="user",
            object_id=user.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
            changes={"left": left},
        )
        return Outcome(check=Check.RECOVERY, recovery_left=left)
    device.failures += 1
    if device.failures >= MAX_WRONG:
        device.failures, device.locked_until = 0, now + PAUSE
        record(
            action="authn.two_factor_lock",
            object_type="user",
            object_id=user.pk,
            organisation_id=user.organisation_id,
            actor_id=user.pk,
            actor_label=user.email,
        )
        device.save(update_fields=["failures", "locked_until"])
        return Outcome(check=Check.PAUSED)
    device.save(update_fields=["failures", "locked_until"])
    return Outcome(check=Check.WRONG)
