"""`krutt user add`: logins for managers from the roster, directors and admins."""

from __future__ import annotations

import io

import pytest

from krutt.web.accounts.models import User
from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import Seller, Team
from tests.conftest import DATA


def test_a_manager_from_the_roster_gets_a_password(krutt, monkeypatch):
    krutt("import", "sellers", DATA / "sellers.csv")
    manager = User.objects.get(email="ingrid.berg@nordlys.example")
    assert not manager.has_usable_password()
    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-og-godt-passord\n"))
    result = krutt(
        "user",
        "add",
        "ingrid.berg@nordlys.example",
        "--role",
        "manager",
        "--name",
        "Ingrid Berg",
        "--password-stdin",
        "--lang",
        "en",
    )
    assert result.code == 0, result.err
    assert result.out == "Updated ingrid.berg@nordlys.example (manager).\n"
    manager.refresh_from_db()
    assert manager.check_password("et-langt-og-godt-passord")
    assert manager.name == "Ingrid Berg"
    assert AuditEvent.objects.get(action="user.update").changes["password_set"] is True


def test_a_director_is_put_over_teams(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    result = krutt(
        "user",
        "add",
        "sjef@nordlys.example",
        "--role",
        "director",
        "--team",
        "Salg Øst",
        "--lang",
        "en",
    )
    assert result.code == 0
    assert result.out.splitlines() == [
        "Created sjef@nordlys.example (director).",
        "Teams: Salg Øst.",
        "No password yet: set one with --password-stdin to let them log in.",
    ]
    assert Team.objects.get(name="Salg Øst").director.email == "sjef@nordlys.example"


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("kort", "This password is too short."), ("password1234", "This password is too common.")],
)
def test_a_weak_password_is_refused_and_nothing_is_written(krutt, monkeypatch, password, fragment):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    result = krutt(
        "user", "add", "ny@nordlys.example", "--role", "admin", "--password-stdin", "--lang", "en"
    )
    assert result.code == 2
    assert fragment in result.err
    assert result.err.count("\n") == 1
    assert not User.objects.filter(email="ny@nordlys.example").exists()


INGRID = "ingrid.berg@nordlys.example"
PER = "per.vest@nordlys.example"


def _add(krutt, email, role, *extra):
    return krutt("user", "add", email, "--role", role, *extra, "--lang", "en")


def test_a_typo_in_team_creates_a_team_and_says_so(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")

    result = _add(krutt, PER, "manager", "--team", "Nope")

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"Created {PER} (manager).",
        "Created team Nope: no team had that name.",
        "Teams: Nope.",
        "No password yet: set one with --password-stdin to let them log in.",
    ]
    assert Team.objects.get(name="Nope").manager.email == PER
    assert AuditEvent.objects.get(action="user.create").changes["new_teams"] == ["Nope"]


def test_an_existing_team_is_found_in_any_case_and_not_created_again(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    _add(krutt, "sjef@nordlys.example", "director", "--team", "Salg Øst")

    result = _add(krutt, "sjef@nordlys.example", "director", "--team", "salg øst")

    assert result.code == 0, result.err
    assert "Created team" not in result.out
    assert "Moved team" not in result.out
    # SQLite's case-insensitive match knows only ASCII: "ø" must still find "Ø".
    assert list(Team.objects.values_list("name", flat=True)) == ["Salg Øst"]


def test_taking_another_managers_team_says_from_whom_to_whom(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    _add(krutt, PER, "manager", "--team", "Salg Vest")

    result = _add(krutt, INGRID, "manager", "--team", "Salg Vest")

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"Updated {INGRID} (manager).",
        f"Moved team Salg Vest from {PER} to {INGRID}.",
        "Teams: Salg Vest.",
        "No password yet: set one with --password-stdin to let them log in.",
    ]
    assert Team.objects.get(name="Salg Vest").manager.email == INGRID
    per = User.objects.get(email=PER)
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes["moved_from"] == {"Salg Vest": per.pk}


def test_moving_a_team_to_another_director_says_from_whom_to_whom(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    _add(krutt, "sjef@nordlys.example", "director", "--team", "Salg Øst")

    result = _add(krutt, "ny.sjef@nordlys.example", "director", "--team", "Salg Øst")

    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == (
        "Moved team Salg Øst from sjef@nordlys.example to ny.sjef@nordlys.example."
    )
    team = Team.objects.get(name="Salg Øst")
    assert team.director.email == "ny.sjef@nordlys.example"
    assert team.manager.email == INGRID


@pytest.mark.parametrize(
    ("role", "extra"),
    [("director", ()), ("director", ("--team", "Salg Øst")), ("admin", ())],
)
def test_a_manager_with_a_team_is_not_given_another_role_and_nothing_is_written(
    sample_team, role, extra
):
    events = AuditEvent.objects.count()
    name = User.objects.get(email=INGRID).name

    result = _add(sample_team, INGRID, role, "--name", "Ingrid B.", *extra)

    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"krutt: {INGRID} manages Salg Øst; give those teams to another manager first "
        f"(krutt user add EMAIL --role manager --team TEAM), then make them {role}.\n"
    )
    ingrid = User.objects.get(email=INGRID)
    assert (ingrid.role, ingrid.name) == ("manager", name)
    team = Team.objects.get(name="Salg Øst")
    assert (team.manager, team.director) == (ingrid, None)
    assert AuditEvent.objects.count() == events
    report = sample_team("report", "--manager", INGRID, "--week", "2026-W47", "--lang", "en")
    assert report.code == 0, report.err


def test_a_manager_whose_teams_were_moved_first_may_become_a_director(krutt):
    krutt("import", "sellers", DATA / "sellers.csv")
    moved = _add(krutt, PER, "manager", "--team", "Salg Øst")
    assert moved.code == 0, moved.err

    result = _add(krutt, INGRID, "director", "--team", "Salg Øst")

    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == [f"Updated {INGRID} (director).", "Teams: Salg Øst."]
    team = Team.objects.get(name="Salg Øst")
    assert (team.manager.email, team.director.email) == (PER, INGRID)
    assert User.objects.get(email=INGRID).role == "director"


def test_an_empty_team_name_is_refused_and_nothing_is_written(krutt):
    result = _add(krutt, PER, "manager", "--team", "  ")

    assert result.code == 2
    assert result.err == "krutt: A team needs a name; --team was empty.\n"
    assert not User.objects.filter(email=PER).exists()
    assert not Team.objects.exists()


def test_a_seller_on_the_roster_gets_a_login_tied_to_their_row(krutt, monkeypatch):
    krutt("import", "sellers", DATA / "sellers.csv")
    seller = Seller.objects.order_by("email").first()
    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-og-godt-passord\n"))

    result = krutt(
        "user", "add", seller.email.upper(), "--role", "seller", "--password-stdin", "--lang", "en"
    )

    assert result.code == 0, result.err
    assert result.out == f"Created {seller.email} (seller).\n"
    login = User.objects.get(email=seller.email)
    assert (login.role, login.seller_id, login.name) == ("seller", seller.pk, seller.name)
    assert login.check_password("et-langt-og-godt-passord")
    assert AuditEvent.objects.get(action="user.create").changes["seller"] == seller.pk


def test_a_seller_login_is_refused_for_an_address_not_on_the_roster(krutt, monkeypatch):
    krutt("import", "sellers", DATA / "sellers.csv")
    before = User.objects.count()
    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-og-godt-passord\n"))

    result = krutt(
        "user",
        "add",
        "ukjent@nordlys.example",
        "--role",
        "seller",
        "--password-stdin",
        "--lang",
        "en",
    )

    assert result.code == 2
    assert result.err == (
        "krutt: ukjent@nordlys.example is not on the roster; a seller's login needs their roster "
        "e-mail (krutt import sellers FILE).\n"
    )
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="user.create").exists()
