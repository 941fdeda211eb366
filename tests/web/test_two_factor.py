"""Two-factor sign-in end to end: set up, a right code, a wrong one, a reused one, recovery."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.urls import reverse

from krutt.web.audit.models import AuditEvent
from krutt.web.twofactor.models import Authenticator, RecoveryCode, TwoFactorPolicy
from tests.web.factories import PASSWORD


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.KRUTT_TWO_FACTOR_REQUIRED = True


def _login(client, email: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def _set_up(client) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Read the key from the page, confirm with a code; the key and the recovery codes."""
    page = client.get(reverse("two_factor_setup")).content.decode()
    secret = re.search(r'<code class="otp-secret">([A-Z2-7]+)</code>', page).group(1)
    # A code of the step before, so that the sign-in test's current code is still fresh.
    code = pyotp.TOTP(secret).at(time.time() - 30)
    done = client.post(reverse("two_factor_setup"), {"code": code})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.content.decode())
    return secret, codes


def test_a_director_must_set_up_a_second_factor_before_anything_else(world, client, required):
    _login(client, world.director_a.email)

    blocked = client.get(reverse("org_overview"))

    assert blocked.status_code == 302
    assert blocked["Location"] == reverse("two_factor_setup")
    secret, codes = _set_up(client)
    assert len(codes) == 10 == RecoveryCode.objects.filter(user=world.director_a).count()
    assert client.get(reverse("org_overview")).status_code == 200
    assert Authenticator.objects.get(user=world.director_a).secret != secret  # encrypted
    assert AuditEvent.objects.filter(action="authn.two_factor_on").count() == 1


def test_a_manager_is_not_required_by_default_but_may_turn_it_on(world, client, required):
    _login(client, world.manager_a.email)
    assert client.get(reverse("dashboard")).status_code == 200
    _set_up(client)
    client.post(reverse("logout"))

    _login(client, world.manager_a.email)

    assert client.get(reverse("dashboard"))["Location"] == reverse("two_factor_verify")


def test_sign_in_takes_a_right_code_refuses_a_wrong_and_a_reused_one(world, client, required):
    _login(client, world.admin.email)
    secret, _codes = _set_up(client)
    client.post(reverse("logout"))
    _login(client, world.admin.email)
    now = pyotp.TOTP(secret).now()
    wrong = f"{(int(now) + 1) % 1000000:06d}"

    refused = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert refused.status_code == 200
    assert client.get(reverse("settings")).status_code == 302
    passed = client.post(reverse("two_factor_verify"), {"code": now})
    assert passed.status_code == 302
    assert client.get(reverse("settings")).status_code == 200

    # Seen over a shoulder: the same code in another session is refused.
    client.post(reverse("logout"))
    _login(client, world.admin.email)
    reused = client.post(reverse("two_factor_verify"), {"code": now})
    assert reused.status_code == 200
    assert any(s in reused.content.decode() for s in ("used already", "er allerede brukt"))
    assert client.get(reverse("settings"))["Location"] == reverse("two_factor_verify")


def test_a_recovery_code_works_once(world, client, required):
    _login(client, world.admin.email)
    _secret, codes = _set_up(client)
    client.post(reverse("logout"))

    _login(client, world.admin.email)
    first = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    client.post(reverse("logout"))
    _login(client, world.admin.email)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})

    assert first.status_code == 200
    assert first.redirect_chain[0][0] == reverse("dashboard")
    assert again.status_code == 200  # the form again: that code is spent
    assert RecoveryCode.objects.filter(user=world.admin, used_at__isnull=False).count() == 1
    (used,) = AuditEvent.objects.filter(action="authn.recovery_code_used")
    assert used.changes == {"left": 9}


def test_five_wrong_codes_pause_sign_in_even_with_the_right_code(world, client, required):
    _login(client, world.admin.email)
    secret, _codes = _set_up(client)
    client.post(reverse("logout"))
    _login(client, world.admin.email)
    for _ in range(4):
        assert client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 200

    fifth = client.post(reverse("two_factor_verify"), {"code": "000000"})

    assert fifth["Location"] == reverse("login")
    assert AuditEvent.objects.filter(action="authn.two_factor_lock").count() == 1
    _login(client, world.admin.email)
    paused = client.post(reverse("two_factor_verify"), {"code": pyotp.TOTP(secret).now()})
    assert paused["Location"] == reverse("login")
    assert client.get(reverse("settings")).status_code == 302


def test_the_organisation_chooses_the_roles(world, client, required):
    TwoFactorPolicy.objects.create(organisation=world.organisation, required_roles=["manager"])
    _login(client, world.director_a.email)
    assert client.get(reverse("org_overview")).status_code == 200
    client.post(reverse("logout"))

    _login(client, world.manager_a.email)

    assert client.get(reverse("dashboard"))["Location"] == reverse("two_factor_setup")


def test_opening_the_setup_page_writes_nothing(world, client, required):
    _login(client, world.director_a.email)
    client.get(reverse("two_factor_setup"))
    assert not Authenticator.objects.exists()


def test_the_admin_chooses_the_roles_on_the_privacy_page(world, client):
    client.force_login(world.admin)
    assert client.get(reverse("privacy")).status_code == 200

    saved = client.post(reverse("two_factor_policy"), {"roles": ["admin", "manager"]})
    client.force_login(world.manager_a)
    refused = client.post(reverse("two_factor_policy"), {"roles": []})

    assert saved["Location"] == reverse("privacy")
    policy = TwoFactorPolicy.objects.get(organisation=world.organisation)
    assert policy.required_roles == ["admin", "manager"]
    (event,) = AuditEvent.objects.filter(action="authn.two_factor_policy")
    assert event.changes == {"required_roles": [["admin", "director"], ["admin", "manager"]]}
    assert refused["Location"] == reverse("dashboard")
    assert TwoFactorPolicy.objects.get().required_roles == ["admin", "manager"]
