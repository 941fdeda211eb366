"""A team set up in the browser: the first login, sellers, numbers, invitations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from krutt.domain.months import Month
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.sellers.models import MonthlyResult, SegmentPeriod, Seller, SellerAlias, Team
from krutt.web.timelog.models import TimeEntry

PASSWORD = "a-long-test-password-2026"


@pytest.fixture(autouse=True)
def _uploads(monkeypatch, tmp_path):
    monkeypatch.setenv("KRUTT_DATA_DIR", str(tmp_path))


def _start(client):
    return client.post(
        reverse("team_start"),
        {
            "organisation": "Nordlys AS",
            "team": "Team Øst",
            "name": "Siri Salgssjef",
            "email": "Siri@Nordlys.no",
            "password": PASSWORD,
            "language": "en",
        },
    )


def test_an_empty_installation_starts_in_the_browser_and_the_login_page_leads_there(db, client):
    assert client.get(reverse("login")).url == reverse("team_start")
    response = _start(client)
    assert response.status_code == 302 and response.url == reverse("team_setup")
    manager = User.objects.get(email="siri@nordlys.no")
    assert (manager.role, manager.organisation.name) == (Role.MANAGER, "Nordlys AS")
    assert Team.objects.get(manager=manager).name == "Team Øst"
    assert AuditEvent.objects.filter(action="organisation.start").count() == 1
    page = client.get(reverse("team_setup")).content.decode()
    assert "Next: upload your roster" in page


def test_the_start_page_is_gone_once_anyone_exists(db, client):
    _start(client)
    client.logout()
    assert client.get(reverse("team_start")).url == reverse("login")
    assert client.post(reverse("team_start"), {"organisation": "X"}).url == reverse("login")
    assert Organisation.objects.count() == 1


def test_a_weak_password_is_named_on_its_field(db, client):
    response = client.post(
        reverse("team_start"),
        {
            "organisation": "Nordlys AS",
            "team": "Øst",
            "name": "Siri",
            "email": "siri@nordlys.no",
            "password": "123",
            "language": "en",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not User.objects.exists()


def _manager(client):
    _start(client)
    return User.objects.get(email="siri@nordlys.no")


def test_a_typed_seller_is_added_with_aliases_segmented_and_audited(db, client):
    manager = _manager(client)
    team = Team.objects.get(manager=manager)
    response = client.post(
        reverse("team_seller_add"),
        {
            "name": " Kari  Nordmann ",
            "email": "Kari@Nordlys.no",
            "started_on": "2024-01-15",
            "ended_on": "",
            "aliases": "kari.n@gmail.com; kn@nordlys.no",
            "team": str(team.pk),
        },
    )
    kari = Seller.objects.get(email="kari@nordlys.no")
    assert response.url == reverse("seller_detail", kwargs={"seller_id": kari.pk})
    assert kari.name == "Kari Nordmann"
    assert sorted(SellerAlias.objects.filter(seller=kari).values_list("email", flat=True)) == [
        "kari.n@gmail.com",
        "kn@nordlys.no",
    ]
    assert SegmentPeriod.objects.filter(seller=kari).exists()
    event = AuditEvent.objects.get(action="seller.add")
    assert event.changes["name"] == ["", "Kari Nordmann"]
    assert event.actor_id == manager.pk


def test_a_seller_whose_address_is_someone_elses_alias_is_refused_and_nothing_is_saved(db, client):
    manager = _manager(client)
    team = Team.objects.get(manager=manager)
    base = {"started_on": "2024-01-15", "ended_on": "", "team": str(team.pk)}
    client.post(
        reverse("team_seller_add"),
        {**base, "name": "Kari", "email": "kari@nordlys.no", "aliases": "k@nordlys.no"},
    )
    response = client.post(
        reverse("team_seller_add"),
        {**base, "name": "Per", "email": "per@nordlys.no", "aliases": "k@nordlys.no"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The alias k@nordlys.no belongs to kari@nordlys.no." in response.content.decode()
    assert not Seller.objects.filter(email="per@nordlys.no").exists()


def test_an_end_before_the_start_is_named_on_the_end_date(db, client):
    manager = _manager(client)
    team = Team.objects.get(manager=manager)
    response = client.post(
        reverse("team_seller_add"),
        {
            "name": "Kari",
            "email": "kari@nordlys.no",
            "started_on": "2024-01-15",
            "ended_on": "2023-12-31",
            "aliases": "",
            "team": str(team.pk),
        },
    )
    assert response.status_code == 400
    assert 'id="id_ended_on-error"' in response.content.decode()
    assert not Seller.objects.exists()


def _seller(client, manager, email="kari@nordlys.no", started="2024-01-15"):
    team = Team.objects.get(manager=manager)
    client.post(
        reverse("team_seller_add"),
        {"name": "Kari", "email": email, "started_on": started, "aliases": "", "team": team.pk},
    )
    return Seller.objects.get(email=email)


def test_the_grid_saves_targets_and_results_as_the_performance_import_does(db, client):
    manager = _manager(client)
    kari = _seller(client, manager)
    month = Month.of(today_in(manager.organisation)).plus(-1)
    response = client.post(
        reverse("team_numbers"),
        {f"t-{kari.pk}-{month}": "100 000", f"a-{kari.pk}-{month}": "87 500,50"},
    )
    assert response.status_code == 302
    row = MonthlyResult.objects.get(seller=kari)
    assert (row.month, row.target, row.actual) == (
        month.first_day(),
        Decimal("100000"),
        Decimal("87500.50"),
    )
    assert AuditEvent.objects.get(action="performance.edit").changes["months"] == [str(month)]
    # An empty cell leaves the number as it was.
    client.post(reverse("team_numbers"), {f"t-{kari.pk}-{month}": "120000"})
    row.refresh_from_db()
    assert (row.target, row.actual) == (Decimal("120000"), Decimal("87500.50"))


def test_a_cell_that_is_not_a_number_is_named_and_nothing_is_saved(db, client):
    manager = _manager(client)
    kari = _seller(client, manager)
    month = Month.of(today_in(manager.organisation))
    previous = month.plus(-1)
    response = client.post(
        reverse("team_numbers"),
        {f"t-{kari.pk}-{previous}": "100000", f"a-{kari.pk}-{month}": "mye"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert f"Kari, {month}, result: «mye» is not a number." in response.content.decode()
    assert not MonthlyResult.objects.exists()


def test_a_roster_file_goes_through_the_same_preview_and_commit_as_the_cli(db, client):
    _manager(client)
    roster = (
        "name,email,start_date,team,manager_email,aliases\n"
        "Kari Nordmann,kari@nordlys.no,2024-01-15,Team Øst,siri@nordlys.no,\n"
        "Per Hansen,per@nordlys.no,15.03.2026,Team Øst,siri@nordlys.no,per@gmail.com\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports"),
        {"kind": "sellers", "file": SimpleUploadedFile("roster.csv", roster), "preset": "auto"},
    )
    preview = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 sellers read: 2 new, 0 changed, 0 unchanged." in preview
    assert not Seller.objects.exists()
    token = response.url.split("upload=")[1]
    done = client.post(reverse("import_commit"), {"upload": token})
    assert done.url == reverse("team_setup")
    assert sorted(Seller.objects.values_list("email", flat=True)) == [
        "kari@nordlys.no",
        "per@nordlys.no",
    ]
    assert Seller.objects.get(email="per@nordlys.no").started_on == date(2026, 3, 15)


def test_a_roster_with_a_bad_line_is_refused_whole_with_the_line_named(db, client):
    _manager(client)
    roster = (
        "name,email,start_date,team,manager_email\n"
        "Kari Nordmann,kari@nordlys.no,2024-01-15,Team Øst,siri@nordlys.no\n"
        "Per Hansen,per@nordlys.no,i fjor,Team Øst,siri@nordlys.no\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports"),
        {"kind": "sellers", "file": SimpleUploadedFile("roster.csv", roster)},
    )
    preview = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 problem: nothing can be imported" in preview
    assert "i fjor in start_date is not a date" in preview
    token = response.url.split("upload=")[1]
    client.post(reverse("import_commit"), {"upload": token})
    assert not Seller.objects.exists()


def test_a_manager_invites_a_director_who_sets_a_password_once(db, client):
    manager = _manager(client)
    response = client.post(
        reverse("team_invite"),
        {"email": "Dina@Nordlys.no", "name": "Dina Direktør", "role": "director"},
    )
    assert response.status_code == 302
    dina = User.objects.get(email="dina@nordlys.no")
    assert (dina.role, dina.organisation_id, dina.has_usable_password()) == (
        Role.DIRECTOR,
        manager.organisation_id,
        False,
    )
    assert AuditEvent.objects.get(action="user.invite").changes == {"role": "director"}
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    link = reverse(
        "invite_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(dina.pk)),
            "token": default_token_generator.make_token(dina),
        },
    )
    client.logout()
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    dina.refresh_from_db()
    assert dina.check_password(PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_an_invite_for_someone_with_a_password_is_refused(db, client):
    manager = _manager(client)
    User.objects.create_user(
        "ola@nordlys.no", PASSWORD, organisation=manager.organisation, role=Role.MANAGER
    )
    response = client.post(
        reverse("team_invite"),
        {"email": "ola@nordlys.no", "role": "manager"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "ola@nordlys.no has a login already." in response.content.decode()
    assert not AuditEvent.objects.filter(action="user.invite").exists()


def test_the_overview_shows_the_path_until_there_are_sellers_numbers_and_time(db, client):
    manager = _manager(client)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="setup-h"' in page
    kari = _seller(client, manager)
    month = Month.of(today_in(manager.organisation)).plus(-1)
    client.post(reverse("team_numbers"), {f"t-{kari.pk}-{month}": "100"})
    assert 'id="setup-h"' in client.get(reverse("dashboard")).content.decode()
    yesterday = today_in(manager.organisation) - timedelta(days=1)
    client.post(
        reverse("time_log"),
        {
            "sellers": [kari.pk],
            "minutes": 30,
            "activity": "coaching",
            "when": f"{yesterday}T10:00",
        },
    )
    assert TimeEntry.objects.filter(manager=manager).count() == 1
    assert 'id="setup-h"' not in client.get(reverse("dashboard")).content.decode()


def test_a_seller_is_edited_moved_and_ended_from_the_seller_page_and_audited(world, client):
    client.force_login(world.manager_a)
    seller = world.sellers_a[0]
    second = Team.objects.create(
        organisation=seller.organisation, name="Team Vest", manager=world.manager_a
    )
    page = client.get(reverse("seller_detail", kwargs={"seller_id": seller.pk})).content.decode()
    assert reverse("team_seller_edit", kwargs={"seller_id": seller.pk}) in page
    today = today_in(seller.organisation)
    first_team = seller.team.name
    response = client.post(
        reverse("team_seller_edit", kwargs={"seller_id": seller.pk}),
        {
            "name": seller.name,
            "email": seller.email,
            "started_on": str(seller.started_on),
            "ended_on": str(today),
            "aliases": "privat@example.no",
            "team": str(second.pk),
        },
    )
    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.team_id, seller.ended_on) == (second.pk, today)
    assert list(seller.aliases.values_list("email", flat=True)) == ["privat@example.no"]
    event = AuditEvent.objects.get(action="seller.change", object_id=str(seller.pk))
    assert event.changes["team"] == [first_team, "Team Vest"]
    assert event.changes["ended_on"] == ["", str(today)]


def test_another_managers_seller_cannot_be_edited(world, client):
    client.force_login(world.manager_a)
    other = world.sellers_b[0]
    url = reverse("team_seller_edit", kwargs={"seller_id": other.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X"}).status_code == 404
    other.refresh_from_db()
    assert other.name != "X"


def test_form_errors_name_the_field_and_the_seller_boxes_keep_their_order(world, client):
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    before = client.get(reverse("time_log")).content.decode()
    response = client.post(reverse("time_log"), {"minutes": "0", "activity": "coaching"})
    body = response.content.decode()
    assert "Choose at least one seller." in body
    assert "Give the minutes as a whole number from 1 to 1440." in body
    names = [s.name for s in sorted(world.sellers_a, key=lambda s: s.name)]
    for page in (before, body):
        positions = [page.index(f"> {name}</label>") for name in names]
        assert positions == sorted(positions)


def test_a_seller_is_handed_over_to_another_managers_team_from_the_seller_page(world, client):
    client.force_login(world.manager_a)
    seller = world.sellers_a[2]
    url = reverse("team_seller_edit", kwargs={"seller_id": seller.pk})
    form = client.get(url).content.decode()
    # The other team is offered by name only: nothing of its sellers shows.
    assert f'value="{world.team_b.pk}"' in form
    assert "CANARY-TEAM-B" not in form

    response = client.post(
        url,
        {
            "name": seller.name,
            "email": seller.email,
            "started_on": str(seller.started_on),
            "ended_on": "",
            "aliases": "",
            "team": str(world.team_b.pk),
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("seller_list")
    seller.refresh_from_db()
    assert seller.team_id == world.team_b.pk
    event = AuditEvent.objects.get(action="seller.change", object_id=str(seller.pk))
    assert event.changes["team"] == ["Team A", "Team B"]
    # Out of the first manager's reach now, in the second manager's.
    assert client.get(reverse("seller_detail", kwargs={"seller_id": seller.pk})).status_code == 404
    client.force_login(world.manager_b)
    assert client.get(reverse("seller_detail", kwargs={"seller_id": seller.pk})).status_code == 200
