"""Creating, listing, revoking and checking personal access tokens.

A token is 32 random bytes: a plain SHA-256 of it is enough to store (a slow password
hash protects guessable secrets; this one cannot be guessed), and it lets a request find
its token with one indexed lookup. The token is shown once, when it is made; the audit
trail and every list show only its name and prefix.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from krutt.domain.errors import InvalidInput, NotFound
from krutt.domain.messages import gettext_noop
from krutt.web.accounts.models import User
from krutt.web.api.models import AccessToken
from krutt.web.audit.trail import record

SCHEME = "krutt_"
PREFIX_LENGTH = len(SCHEME) + 6
# A request notes its token's use at most this often: a write per request would make every
# read a write (and serialise SQLite); to the minute is what a user checking a token needs.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True, slots=True)
class NewToken:
    row: AccessToken
    secret: str


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def expiry_at(day: date, zone: ZoneInfo) -> datetime:
    """A token that expires on a day works through that day in the organisation's zone."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)


def create_token(
    *,
    user: User,
    name: str,
    now: datetime,
    expires_at: datetime | None = None,
    actor: User | None = None,
    channel: str = "web",
) -> NewToken:
    """A new token for the user; the secret is in the answer and nowhere else."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise InvalidInput(gettext_noop("A token needs a name of 1 to 100 characters."))
    if expires_at is not None and expires_at <= now:
        raise InvalidInput(gettext_noop("A token's expiry must be in the future."))
    if AccessToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise InvalidInput(
            gettext_noop(
                "{email} already has a token called {name}; revoke it or pick another name."
            ),
            email=user.email,
            name=name,
        )
    secret = SCHEME + secrets.token_urlsafe(32)
    row = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest_of(secret),
        created_at=now,
        expires_at=expires_at,
    )
    _audit(row, "access_token.create", actor or user, channel)
    return NewToken(row=row, secret=secret)


def revoke_token(
    *, user: User, name: str, now: datetime, actor: User | None = None, channel: str = "web"
) -> AccessToken:
    """Revoke the user's live token of that name; it answers 401 from now on."""
    row = AccessToken.objects.filter(
        user=user, name=" ".join(name.split()), revoked_at__isnull=True
    ).first()
    if row is None:
        raise NotFound(
            gettext_noop("{email} has no live token called {name}."), email=user.email, name=name
        )
    row.revoked_at = now
    row.save(update_fields=["revoked_at"])
    _audit(row, "access_token.revoke", actor or user, channel)
    return row


def tokens_of(user: User) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user).order_by("created_at", "id"))


def token_user(secret: str, *, now: datetime) -> tuple[AccessToken, User] | None:
    """The live token and its active user for a secret; None for anything else (→ 401)."""
    if not secret.startswith(SCHEME) or len(secret) > 100:
        return None
    row = (
        AccessToken.objects.select_related("user", "user__organisation")
        .filter(digest=digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = row.user
    if not user.is_active or user.organisation_id is None:
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row, user


def token_state(row: AccessToken, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "live"


def token_document(rows: list[AccessToken], now: datetime) -> list[dict[str, Any]]:
    """The tokens as `krutt token list --json` prints them: never the secret."""
    return [
        {
            "name": row.name,
            "prefix": row.prefix,
            "state": token_state(row, now),
            "created": row.created_at.isoformat(),
            "expires": row.expires_at.isoformat() if row.expires_at else None,
            "last_used": row.last_used_at.isoformat() if row.last_used_at else None,
            "revoked": row.revoked_at.isoformat() if row.revoked_at else None,
        }
        for row in rows
    ]


def _audit(row: AccessToken, action: str, actor: User, channel: str) -> None:
    # Name and prefix only: the secret (and its hash) never reach the audit trail.
    record(
        action=action,
        object_type="access_token",
        object_id=row.pk,
        organisation_id=row.user.organisation_id,
        actor_id=actor.pk,
        actor_label=actor.email,
        channel=channel,
        changes={
            "name": row.name,
            "prefix": row.prefix,
            "expires": row.expires_at.isoformat() if row.expires_at else None,
        },
    )
