"""The seller's own page, its download and the invitation that gives them a login."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from krutt.web.accounts.models import Role, User
from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import SegmentOverride
from tests.web.factories import PASSWORD


def test_the_sellers_page_shows_their_own_record_and_nobody_elses(world, client):
    SegmentOverride.objects.create(
        seller=world.sellers_a[0],
        segment="core",
        reason="Tilbake etter permisjon",
        starts_on=world.sellers_a[0].started_on,
        created_by=world.manager_a,
    )
    world.seller_a.language = "nb"
    world.seller_a.save()
    client.force_login(world.seller_a)

    page = client.get(reverse("me")).content.decode()

    assert "Tora Topp" in page
    assert "Tilbake etter permisjon" in page
    assert "Last ned alle dataene mine" in page
    for other in ("Nils Ny", "Kim Kjerne", "Ulla Under", "CANARY"):
        assert other not in page
    # The manager's private note is in the download, never on the page.
    assert "CANARY-NOTE-A" not in page


def test_the_download_is_the_sellers_export_and_is_audited(world, client):
    client.force_login(world.seller_a)

    response = client.post(reverse("me_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("seller.json"))
    assert document["seller"]["email"] == "tora@test.example"
    assert [n["text"] for n in document["notes"]] == ["CANARY-NOTE-A-7f3a"]
    event = AuditEvent.objects.get(action="privacy.export")
    assert (event.object_type, event.object_id, event.actor_id, event.channel) == (
        "seller",
        str(world.sellers_a[0].pk),
        world.seller_a.pk,
        "web",
    )


def _link(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"])
    return re.search(r"http://testserver(/invite/\S+/)", text).group(1)


def test_a_manager_invites_a_seller_who_sets_a_password_once(world, client):
    nils = world.sellers_a[1]
    client.force_login(world.manager_a)

    response = client.post(reverse("seller_invite", kwargs={"seller_id": nils.pk}), follow=True)

    link = _link(response)
    login = User.objects.get(email="nils@test.example")
    assert (login.role, login.seller_id, login.has_usable_password()) == (
        Role.SELLER,
        nils.pk,
        False,
    )
    assert AuditEvent.objects.filter(action="user.invite", object_id=str(login.pk)).count() == 1
    client.logout()
    form = client.get(link, follow=True)
    assert form.context["validlink"] is True
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "nils-sitt-lange-passord", "new_password2": "nils-sitt-lange-passord"},
    )
    assert done.status_code == 302
    login.refresh_from_db()
    assert login.check_password("nils-sitt-lange-passord")
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


class _MadeThreeDaysAgo(PasswordResetTokenGenerator):
    def _now(self) -> datetime:
        return datetime.now() - timedelta(hours=72, minutes=1)


def test_an_invitation_older_than_72_hours_no_longer_works(world, client):
    user = world.seller_a
    token = _MadeThreeDaysAgo().make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))

    page = client.get(reverse("invite_accept", kwargs={"uidb64": uid, "token": token}))

    assert page.status_code == 200
    assert page.context["validlink"] is False
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_manager_cannot_invite_another_teams_seller(world, client):
    client.force_login(world.manager_a)
    before = User.objects.count()

    response = client.post(reverse("seller_invite", kwargs={"seller_id": world.sellers_b[0].pk}))

    assert response.status_code == 404
    assert User.objects.count() == before
