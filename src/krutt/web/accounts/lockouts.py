"""Locked-out sign-ins go to the audit trail (RELIABILITY.md item 6).

A signal receiver because django-axes offers no other hook: the lockout happens inside
its authentication backend, not in a view of ours.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from krutt.web.accounts.models import User
from krutt.web.audit.trail import record


def audit_lockout(
    sender: Any,
    *,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **_: Any,
) -> None:
    user = User.objects.filter(email__iexact=username or "").first()
    record(
        action="authn.login_lock",
        object_type="user",
        object_id=user.pk if user else "",
        organisation_id=user.organisation_id if user else None,
        actor_label=(username or "")[:200],
        channel="web",
        changes={"ip_address": ip_address or ""},
    )
