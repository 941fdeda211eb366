"""`krutt user add`: logins for managers from the roster, directors and admins."""

from __future__ import annotations

import io

import pytest

from krutt.web.accounts.models import User
from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import Team
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
