"""Signing in: e-mail and password, throttled after repeated failures, a fresh session each time."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from krutt.web.audit.models import AuditEvent
from tests.web.factories import PASSWORD


def _login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_manager_logs_in_with_email_and_password(world, client):
    response = _login(client, "anne@test.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_the_session_key_changes_at_login(world, client):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _login(client, "anne@test.example", PASSWORD)
    assert client.session.session_key != before


def test_five_wrong_passwords_lock_that_user_from_that_address_only(world, client):
    for _ in range(4):
        assert _login(client, "anne@test.example", "wrong").status_code == 200
    assert _login(client, "anne@test.example", "wrong").status_code == 429
    # Locked now, even with the right password, from the same address…
    assert _login(client, "anne@test.example", PASSWORD).status_code == 429
    # …but not from another one (nobody can lock a manager out from everywhere).
    assert _login(Client(), "anne@test.example", PASSWORD, ip="10.0.0.2").status_code == 302
    # The lockout is on the audit trail, with the address, never the password tried: the
    # fifth failure and the refused attempt after it.
    locks = AuditEvent.objects.filter(action="authn.login_lock")
    assert [(e.object_id, e.actor_label, e.changes) for e in locks] == 2 * [
        (str(world.manager_a.pk), "anne@test.example", {"ip_address": "10.0.0.1"})
    ]
    assert locks[0].organisation_id == world.manager_a.organisation_id


def test_logging_out_ends_the_session(world, client):
    client.force_login(world.manager_a)
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_deactivated_user_is_out_at_the_next_request(world, client):
    client.force_login(world.manager_a)
    world.manager_a.is_active = False
    world.manager_a.save()
    assert client.get(reverse("dashboard")).status_code == 302


def _age_session(client: Client, **seconds_ago: int) -> None:
    import time

    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_thirty_idle_minutes_sign_the_user_out(world, client):
    _login(client, "anne@test.example", PASSWORD)
    assert client.get(reverse("dashboard")).status_code == 200
    _age_session(client, seen_at=29 * 60)
    assert client.get(reverse("dashboard")).status_code == 200  # and that counts as activity
    _age_session(client, seen_at=31 * 60)
    response = client.get(reverse("seller_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("dashboard")).status_code == 302  # the session is gone, not paused


def test_twelve_hours_after_signing_in_the_user_signs_in_again(world, client):
    _login(client, "anne@test.example", PASSWORD)
    assert client.get(reverse("dashboard")).status_code == 200
    _age_session(client, signed_in_at=12 * 3600 + 1)
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_form_without_its_csrf_token_is_refused_with_a_readable_page(world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.manager_a)
    response = strict.post(reverse("time_log"), {"minutes": "30"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Skjemaet er utløpt" in page and "The form has expired" in page


def test_the_email_signs_in_whatever_its_case(world, client):
    # given anne@test.example with her password, typed in capitals with spaces around
    response = _login(client, "  ANNE@Test.Example ", PASSWORD)
    # then she is signed in as herself
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.manager_a.pk)


def test_failures_in_any_case_count_toward_one_lockout(world, client):
    # given five wrong passwords, in four spellings of one address
    for spelling in (
        "anne@test.example",
        "ANNE@test.example",
        "Anne@Test.Example",
        "ANNE@TEST.EXAMPLE",
    ):
        assert _login(client, spelling, "wrong").status_code == 200
    assert _login(client, "aNNe@test.example", "wrong").status_code == 429
    # then the address is locked from there in every spelling, as one counter
    assert _login(client, "anne@test.example", PASSWORD).status_code == 429
    locks = AuditEvent.objects.filter(action="authn.login_lock")
    assert [(e.object_id, e.actor_label) for e in locks] == 2 * [
        (str(world.manager_a.pk), "anne@test.example")
    ]
