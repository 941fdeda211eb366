"""Personal access tokens: shown once, kept as a hash, revoked or expired → 401, never audited in full."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from krutt.web.api.models import AccessToken
from krutt.web.api.tokens import create_token, revoke_token
from krutt.web.audit.models import AuditEvent
from krutt.web.clock import SystemClock
from tests.web.api.conftest import Api, token_for


def test_a_token_is_stored_only_as_its_hash_with_a_visible_prefix(world):
    secret = token_for(world.manager_a, "phone")

    row = AccessToken.objects.get(user=world.manager_a, name="phone")

    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:12]
    assert secret.startswith("krutt_")
    stored = json.dumps(list(AccessToken.objects.values()), default=str)
    assert secret not in stored


def test_a_token_acts_as_its_user_and_notes_when_it_was_used(world):
    api = Api(Client(), token_for(world.manager_a, "bi"))

    answer = api.get("/sellers")

    assert answer.status_code == 200
    assert {s["email"] for s in answer.json()["items"]} == {s.email for s in world.sellers_a}
    assert AccessToken.objects.get(name="bi").last_used_at is not None


def test_missing_unknown_revoked_and_expired_tokens_are_401(world):
    now = SystemClock().now()
    live = token_for(world.manager_a, "live")
    revoked = token_for(world.manager_a, "old")
    revoke_token(user=world.manager_a, name="old", now=now)
    expired = create_token(
        user=world.manager_a,
        name="short",
        now=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    ).secret

    statuses = {
        label: Api(Client(), token).get("/sellers").status_code
        for label, token in {
            "live": live,
            "missing": None,
            "unknown": "krutt_" + "x" * 43,
            "revoked": revoked,
            "expired": expired,
        }.items()
    }

    assert statuses == {"live": 200, "missing": 401, "unknown": 401, "revoked": 401, "expired": 401}


def test_a_deactivated_users_token_stops_working(world):
    api = Api(Client(), token_for(world.manager_a))
    world.manager_a.is_active = False
    world.manager_a.save()

    assert api.get("/sellers").status_code == 401


def test_the_audit_trail_keeps_the_name_and_prefix_never_the_token(world):
    secret = token_for(world.manager_a, "shortcut")
    revoke_token(user=world.manager_a, name="shortcut", now=SystemClock().now())

    events = list(AuditEvent.objects.filter(object_type="access_token").order_by("id"))

    assert [e.action for e in events] == ["access_token.create", "access_token.revoke"]
    assert events[0].changes["name"] == "shortcut"
    assert events[0].changes["prefix"] == secret[:12]
    everything = json.dumps([e.changes for e in events]) + "".join(e.actor_label for e in events)
    assert secret not in everything
    assert hashlib.sha256(secret.encode()).hexdigest() not in everything


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(world, client):
    client.force_login(world.manager_a)

    made = client.post(reverse("token_create"), {"name": "Snarvei"})
    secret = made.context["new_token"]
    again = client.get(reverse("account"))
    works = Api(Client(), secret).get("/sellers").status_code
    revoked = client.post(reverse("token_revoke"), {"name": "Snarvei"})

    assert made.status_code == 200
    assert secret.encode() in made.content
    assert secret.encode() not in again.content
    assert b"Snarvei" in again.content
    assert works == 200
    assert revoked.status_code == 302
    assert Api(Client(), secret).get("/sellers").status_code == 401


def test_the_account_page_refuses_a_second_live_token_with_the_same_name(world, client):
    client.force_login(world.manager_a)
    client.post(reverse("token_create"), {"name": "bi"})

    again = client.post(reverse("token_create"), {"name": "bi"})

    assert again.status_code == 400
    assert again.context["new_token"] is None
    assert AccessToken.objects.filter(user=world.manager_a, name="bi").count() == 1


def test_a_user_can_revoke_only_their_own_tokens(world, client):
    secret = token_for(world.manager_b, "theirs")
    client.force_login(world.manager_a)

    client.post(reverse("token_revoke"), {"name": "theirs"})

    assert Api(Client(), secret).get("/sellers").status_code == 200
