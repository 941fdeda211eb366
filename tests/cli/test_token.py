"""`krutt token create | list | revoke`: the token printed once on its own line, then 401 once revoked."""

from __future__ import annotations

from django.test import Client

from krutt.web.api.models import AccessToken
from tests.web.api.conftest import Api


def test_create_prints_the_token_alone_on_its_last_line_and_it_works(sample_team):
    krutt = sample_team
    made = krutt("token", "create", "--user", "ingrid.berg@nordlys.example", "--name", "phone")
    secret = made.out.strip().splitlines()[-1]

    answer = Api(Client(), secret).get("/sellers")

    assert made.code == 0, made.err
    assert secret.startswith("krutt_") and " " not in secret
    assert secret[:12] in made.out.splitlines()[0]
    assert answer.status_code == 200


def test_list_shows_name_prefix_and_state_never_the_token(sample_team):
    krutt = sample_team
    made = krutt(
        "token",
        "create",
        "--user",
        "ingrid.berg@nordlys.example",
        "--name",
        "bi",
        "--expires",
        "2099-12-31",
    )
    secret = made.out.strip().splitlines()[-1]

    listed = krutt("token", "list", "--user", "ingrid.berg@nordlys.example", "--json")

    assert listed.code == 0, listed.err
    assert [(t["name"], t["prefix"], t["state"]) for t in listed.json] == [
        ("bi", secret[:12], "live")
    ]
    # Works through the last day: until midnight in Oslo, kept in UTC.
    assert listed.json[0]["expires"] == "2099-12-31T23:00:00+00:00"
    assert secret not in listed.out


def test_revoke_makes_the_token_answer_401(sample_team):
    krutt = sample_team
    secret = (
        krutt("token", "create", "--user", "ingrid.berg@nordlys.example", "--name", "bi")
        .out.strip()
        .splitlines()[-1]
    )

    revoked = krutt("token", "revoke", "--user", "ingrid.berg@nordlys.example", "--name", "bi")

    assert revoked.code == 0, revoked.err
    assert Api(Client(), secret).get("/sellers").status_code == 401
    assert (
        krutt("token", "list", "--user", "ingrid.berg@nordlys.example", "--json").json[0]["state"]
        == "revoked"
    )


def test_bad_input_is_one_line_and_writes_nothing(sample_team):
    krutt = sample_team
    unknown = krutt("token", "create", "--user", "nobody@x.no", "--name", "bi")
    past = krutt(
        "token",
        "create",
        "--user",
        "ingrid.berg@nordlys.example",
        "--name",
        "bi",
        "--expires",
        "2001-01-01",
    )
    not_there = krutt("token", "revoke", "--user", "ingrid.berg@nordlys.example", "--name", "nope")

    assert [unknown.code, past.code, not_there.code] == [2, 2, 2]
    assert all(len(r.err.strip().splitlines()) == 1 for r in (unknown, past, not_there))
    assert AccessToken.objects.count() == 0
