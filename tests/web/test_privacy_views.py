"""The Privacy page: notices and the letter per team, retention and the purge, requests."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from krutt.web.access_matrix import ACCESS_MATRIX
from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.privacy.models import MeasurementNotice, RetentionSettings
from krutt.web.sellers.models import Seller, SellerNote
from tests.web.routes import database_fingerprint

WARNING_NB = "Kalendermåling for Team A er ikke varslet til selgerne (arbeidsmiljøloven § 9-2)"
PRIVACY_ROUTES = [n for n in ACCESS_MATRIX if n.startswith("privacy")]


def _notice(client, team_id: int, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "team": str(team_id),
        "informed_on": "2026-01-05",
        "discussed_on": "2025-12-15",
        "purpose": "Se at nye selgere får nok oppfølging",
    }
    return client.post(reverse("privacy_notice"), data | extra)


def test_the_overview_warns_until_the_team_is_told_and_the_warning_goes_after(world, client):
    client.force_login(world.manager_a)
    assert WARNING_NB in client.get(reverse("dashboard")).content.decode()

    response = _notice(client, world.team_a.pk)

    assert response.status_code == 302
    (notice,) = MeasurementNotice.objects.all()
    assert (notice.team, notice.recorded_by) == (world.team_a, world.manager_a)
    assert AuditEvent.objects.filter(action="privacy.notice", actor_id=world.manager_a.pk).exists()
    assert "arbeidsmiljøloven § 9-2" not in client.get(reverse("dashboard")).content.decode()


def test_a_manager_sees_and_records_only_their_own_teams(world, client):
    client.force_login(world.manager_a)
    page = client.get(reverse("privacy")).content.decode()
    before = database_fingerprint()

    foreign = _notice(client, world.team_b.pk)

    assert "Team A" in page and "Team B" not in page
    assert foreign.status_code == 404
    assert database_fingerprint() == before


def test_the_director_sees_team_b_warning_on_the_org_view_only_for_their_teams(world, client):
    client.force_login(world.director_a)
    page = client.get(reverse("org_overview")).content.decode()
    assert WARNING_NB in page
    assert "Team B" not in page


def test_the_letter_downloads_for_ones_own_team_and_is_a_404_for_another(world, client):
    client.force_login(world.manager_a)
    url = reverse("privacy_letter")

    own = client.get(url, {"team": world.team_a.pk, "lang": "en"})
    other = client.get(url, {"team": world.team_b.pk, "lang": "en"})

    assert own.status_code == 200
    assert own["Content-Type"] == "text/markdown; charset=utf-8"
    text = own.content.decode()
    assert text.startswith("# How krutt measures time with the sellers of Team A\n")
    assert "Your manager: Anne Leder <anne@test.example>" in text
    assert "krutt administrator: Adam Admin <admin@test.example>" in text
    assert "CANARY" not in text
    assert other.status_code == 404


def test_the_admin_sets_retention_and_the_purge_removes_what_is_past_it(world, client):
    client.force_login(world.admin)
    old = SellerNote.objects.create(seller=world.sellers_a[2], author=world.manager_a, text="x")
    SellerNote.objects.filter(pk=old.pk).update(
        created_at=world.note_a.created_at - timedelta(days=200)
    )
    assert client.get(reverse("privacy")).status_code == 200

    saved = client.post(
        reverse("privacy_retention"),
        {"entry_notes": "12", "private_notes": "6", "deal_rows": "36", "leaver_audit": "36"},
    )
    purged = client.post(reverse("privacy_purge"), follow=True)

    assert saved.status_code == 302
    assert RetentionSettings.objects.get(organisation=world.organisation).months == {
        "entry_notes": 12,
        "private_notes": 6,
        "deal_rows": 36,
        "leaver_audit": 36,
    }
    assert not SellerNote.objects.filter(pk=old.pk).exists()
    assert SellerNote.objects.filter(pk=world.note_a.pk).exists()
    assert "Slettet 1 opplysninger som var eldre enn lagringstiden." in purged.content.decode()


def test_retention_outside_its_range_is_a_form_error_and_saves_nothing(world, client):
    client.force_login(world.admin)
    page = client.post(
        reverse("privacy_retention"),
        {"entry_notes": "0", "private_notes": "6", "deal_rows": "36", "leaver_audit": "36"},
    )
    assert page.status_code == 200
    assert not RetentionSettings.objects.exists()


def test_the_admin_exports_a_seller_and_erases_a_former_one_after_a_preview(world, client):
    client.force_login(world.admin)
    tora = world.sellers_a[0]
    exported = client.post(reverse("privacy_export"), {"seller": tora.pk})
    assert exported.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    assert "seller.json" in archive.namelist()
    assert AuditEvent.objects.filter(action="privacy.export", actor_id=world.admin.pk).exists()

    tora.ended_on = today_in(world.organisation) - timedelta(days=10)
    tora.save()
    data = {"seller": tora.pk, "reason": "Ba om sletting"}
    preview = client.post(reverse("privacy_erase"), data | {"action": "preview"})
    assert preview.status_code == 200
    assert "T*** T***" in preview.content.decode()
    assert Seller.objects.get(pk=tora.pk).name == "Tora Topp"

    erased = client.post(reverse("privacy_erase"), data | {"action": "erase"})
    assert erased.status_code == 302
    assert Seller.objects.get(pk=tora.pk).name == f"Tidligere selger {tora.pk}"


@pytest.mark.parametrize("name", PRIVACY_ROUTES)
@pytest.mark.parametrize("who", ["manager_a", "director_a", "admin", "seller_a"])
def test_each_role_reaches_only_the_privacy_routes_the_matrix_gives_it(world, client, name, who):
    user = getattr(world, who)
    client.force_login(user)
    route = ACCESS_MATRIX[name]
    before = database_fingerprint()
    for method in route.methods:
        call = getattr(client, method.lower())
        response = call(reverse(name), {"seller": world.sellers_a[1].pk, "reason": "x"})
        if user.role not in route.roles:
            assert response.status_code in (302, 404), (name, who)
            if response.status_code == 302:
                assert response["Location"] == reverse("dashboard")
            assert database_fingerprint() == before
        else:
            # 400: erasing a current seller without --force is refused with its sentence.
            assert response.status_code in (200, 302, 400, 404), (name, who)


def test_the_calendar_page_refuses_a_connection_until_the_team_is_told(
    world, client, calendar_server, monkeypatch
):  # type: ignore[no-untyped-def]
    from krutt.web.connections.models import CalendarConnection
    from tests.connections.servers import Route

    monkeypatch.setenv("KRUTT_ALLOW_LOOPBACK_CONNECTIONS", "1")
    calendar_server.routes["/c.ics"] = Route(body=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    client.force_login(world.manager_a)
    data = {"kind": "ics-url", "url": calendar_server.url("/c.ics"), "every": "60"}

    page = client.post(reverse("calendar_connections"), data | {"action": "connect"}, follow=True)

    assert "kan ikke slås på for Team A før selgerne er informert" in page.content.decode()
    assert CalendarConnection.objects.count() == 0
    assert calendar_server.requests == []


def test_the_results_page_warns_too_until_the_team_is_told(world, client):
    client.force_login(world.manager_a)
    assert WARNING_NB in client.get(reverse("results")).content.decode()
    client.force_login(world.director_a)
    assert WARNING_NB in client.get(reverse("results")).content.decode()
