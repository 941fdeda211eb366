"""Over-long texts (issue 14, item 7): one sentence and exit 2 from every surface, never a
database error; the database itself refuses them on SQLite as on PostgreSQL."""

from __future__ import annotations

import io

import pytest
from django.db import DataError, IntegrityError, transaction

from krutt.domain.limits import ACTION_MAX, EMAIL_MAX, NAME_MAX, NOTE_MAX, TEAM_NAME_MAX, TEXT_MAX
from krutt.web.accounts.models import User
from krutt.web.sellers.models import Seller, SellerNote, Team
from krutt.web.support.models import SupportDecision, SupportPlan
from krutt.web.timelog.models import TimeEntry

MARTIN = "martin.kristiansen@nordlys.example"
MANAGER = "ingrid.berg@nordlys.example"
PASSWORD = "et-godt-passord-2026\n"


def _plan(krutt, *, goal: str = "70 % by March", action: str = "Product course"):
    return krutt(
        "support", "plan", "--seller", MARTIN, "--goal", goal, "--start", "2026-05-04",
        "--review", "2026-08-03", "--action", f"training:4:{action}", "--lang", "en",
    )  # fmt: skip


def test_a_support_action_over_its_limit_is_one_sentence_and_nothing_is_saved(sample_team):
    result = _plan(sample_team, action="x" * (ACTION_MAX + 1))
    assert result.code == 2
    assert result.err == "krutt: The action's description is longer than 300 characters.\n"
    assert SupportPlan.objects.count() == 0
    # at the limit it is kept whole
    assert _plan(sample_team, action="x" * ACTION_MAX).code == 0
    assert SupportPlan.objects.get().actions.get().description == "x" * ACTION_MAX


def test_a_support_goal_over_its_limit_is_refused(sample_team):
    result = _plan(sample_team, goal="g" * (TEXT_MAX + 1))
    assert result.code == 2
    assert result.err == "krutt: The goal is longer than 2000 characters.\n"
    assert SupportPlan.objects.count() == 0


def test_a_decision_reason_over_its_limit_is_refused(sample_team):
    assert _plan(sample_team).code == 0
    result = sample_team(
        "support", "decide", "--seller", MARTIN, "--decision", "continue",
        "--on", "2026-08-03", "--reason", "r" * (TEXT_MAX + 1), "--lang", "nb",
    )  # fmt: skip
    assert result.code == 2
    assert result.err == "krutt: Begrunnelsen er lengre enn 2000 tegn.\n"
    assert SupportDecision.objects.count() == 0


def test_a_time_note_over_its_limit_is_refused_and_no_time_is_logged(sample_team):
    result = sample_team(
        "log", "--manager", MANAGER, "--seller", MARTIN, "--minutes", "30",
        "--activity", "coaching", "--at", "2026-11-05T10:00", "--note", "n" * 100_000,
        "--lang", "en",
    )  # fmt: skip
    assert result.code == 2
    assert result.err == "krutt: The note is longer than 2000 characters.\n"
    assert TimeEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("email", "extra", "sentence"),
    [
        ("ny@nordlys.example", ("--name", "N" * (NAME_MAX + 1)), "The name is longer than 200"),
        ("ny@nordlys.example", ("--team", "T" * (TEAM_NAME_MAX + 1)), "The team name is longer"),
        ("a" * (EMAIL_MAX - 15) + "@nordlys.example", (), "The e-mail address is longer than 254"),
    ],
)
def test_user_add_refuses_over_long_names_teams_and_addresses(
    krutt, monkeypatch, email, extra, sentence
):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    result = krutt(
        "user", "add", email, "--role", "manager", *extra, "--password-stdin", "--lang", "en"
    )
    assert result.code == 2
    assert result.err.startswith(f"krutt: {sentence}")
    assert result.err.count("\n") == 1
    assert User.objects.count() == 0
    assert Team.objects.count() == 0


def test_the_database_refuses_an_over_long_name_and_note_on_either_database(sample_team):
    # SQLite does not enforce a varchar's length, and neither database a TEXT's; the CHECK
    # constraints make both refuse what a write path that forgot the limit would store.
    seller = Seller.objects.get(email=MARTIN)
    manager = User.objects.get(email=MANAGER)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Seller.objects.filter(pk=seller.pk).update(name="M" * (NAME_MAX + 1))
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        SellerNote.objects.create(seller=seller, author=manager, text="n" * (NOTE_MAX + 1))
    assert Seller.objects.get(pk=seller.pk).name == "Martin Kristiansen"
    assert SellerNote.objects.filter(seller=seller).count() == 0
