"""One contract, not two: each API answer equals `krutt … --json` for the same question."""

from __future__ import annotations

import pytest
from django.test import Client

from krutt.web.accounts.models import User
from tests.web.api.conftest import Api, token_for

MANAGER = "ingrid.berg@nordlys.example"


@pytest.fixture
def logged(sample_team):
    krutt = sample_team
    for seller, minutes, at in (
        ("kari.nordmann@nordlys.example", "60", "2026-11-17T09:00"),
        ("ola.hansen@nordlys.example", "45", "2026-11-18T10:00"),
        ("fredrik.olsen@nordlys.example", "30", "2026-11-19T13:00"),
    ):
        result = krutt(
            "log", "--seller", seller, "--minutes", minutes, "--activity", "coaching", "--at", at
        )
        assert result.code == 0, result.err
    return krutt


@pytest.fixture
def api(logged):
    return Api(Client(), token_for(User.objects.get(email=MANAGER)))


@pytest.mark.parametrize(
    ("cli", "path", "params"),
    [
        (["report", "--week", "2026-W47"], "/reports", {"week": "2026-W47"}),
        (
            ["report", "--month", "2026-11", "--policy", "core-focus"],
            "/reports",
            {"month": "2026-11", "policy": "core-focus"},
        ),
        (
            ["report", "--from", "2026-11-16", "--to", "2026-11-19", "--lang", "en"],
            "/reports",
            {"from": "2026-11-16", "to": "2026-11-19", "lang": "en"},
        ),
        (["segments", "--at", "2026-11-16"], "/segments", {"at": "2026-11-16"}),
        (
            ["segments", "--at", "2026-11-16", "--lang", "en"],
            "/segments",
            {"at": "2026-11-16", "lang": "en"},
        ),
        (
            ["plan", "--week", "2026-W49", "--hours", "10"],
            "/plans",
            {"week": "2026-W49", "hours": "10"},
        ),
        (
            ["outcome", "--at", "2026-11-30", "--months", "12"],
            "/outcome",
            {"at": "2026-11-30", "months": "12"},
        ),
    ],
    ids=[
        "report-week",
        "report-month-policy",
        "report-range-en",
        "segments",
        "segments-en",
        "plan",
        "outcome",
    ],
)
def test_the_api_answers_exactly_what_the_cli_prints(logged, api, cli, path, params):
    printed = logged(*cli, "--manager", MANAGER, "--json")

    answer = api.get(path, {"manager": MANAGER, **params})

    assert printed.code == 0, printed.err
    assert answer.status_code == 200, answer.content
    assert answer.json() == printed.json


def test_time_logged_through_the_api_is_in_the_clis_report(logged, api):
    before = logged("report", "--week", "2026-W47", "--json").json["seller_hours"]

    made = api.post(
        "/time-entries",
        {
            "seller": ["mari.johansen@nordlys.example"],
            "minutes": 90,
            "activity": "training",
            "at": "2026-11-20T09:00",
        },
    )
    after = logged("report", "--week", "2026-W47", "--json").json

    assert made.status_code == 201, made.content
    assert made.json()["entries"][0]["source"] == "api"
    assert after["seller_hours"] == before + 1.5
    assert api.get("/reports", {"week": "2026-W47"}).json() == after


def test_import_history_and_undo_answer_as_the_cli(logged, api):
    from tests.conftest import DATA

    calendar = DATA / "calendars" / "google-export.ics"
    week = ("--from", "2026-11-02", "--to", "2026-11-08")
    first = logged("import", "calendar", calendar, "--manager", MANAGER, *week, "--json")
    assert first.code == 0, first.err
    history = logged("import", "history", "--json").json

    listed = api.get("/imports")
    undone = api.post(f"/imports/{history[0]['batch']}/undo", {})
    again = logged("import", "calendar", calendar, "--manager", MANAGER, *week, "--json")
    batch = logged("import", "history", "--json").json[0]["batch"]
    printed = logged("import", "undo", str(batch), "--json")

    assert listed.status_code == 200
    # The CLI lists the organisation's imports (the roster too); the manager's are the same rows.
    assert listed.json() == [row for row in history if row["manager"] == MANAGER]
    assert [row["kind"] for row in listed.json()] == ["calendar"]
    assert undone.status_code == 200, undone.content
    assert again.code == printed.code == 0
    assert {**undone.json(), "batch": batch} == printed.json
    assert api.get("/imports").json() == [
        row for row in logged("import", "history", "--json").json if row["manager"] == MANAGER
    ]


def test_a_calendar_uploaded_to_the_api_imports_as_the_cli_does(logged, api):
    from tests.conftest import DATA

    calendar = DATA / "calendars" / "google-export.ics"
    week = {"from": "2026-11-02", "to": "2026-11-08"}

    with calendar.open("rb") as handle:
        uploaded = api.client.post(
            "/api/v1/imports/calendar?from=2026-11-02&to=2026-11-08",
            {"file": handle},
            headers=api.headers(),
        )
    batch = uploaded.json()["batch"]
    assert logged("import", "undo", str(batch)).code == 0
    printed = logged(
        "import",
        "calendar",
        calendar,
        "--manager",
        MANAGER,
        "--from",
        week["from"],
        "--to",
        week["to"],
        "--json",
    )

    assert uploaded.status_code == 201, uploaded.content
    assert printed.code == 0, printed.err
    ignore = {"file", "batch"}
    assert {k: v for k, v in uploaded.json().items() if k not in ignore} == {
        k: v for k, v in printed.json.items() if k not in ignore
    }
    assert uploaded.json()["file"] == "google-export.ics"
    assert uploaded.json()["created"] > 0


def test_a_broken_calendar_is_400_with_its_problems_and_imports_nothing(logged, api, tmp_path):
    from krutt.web.imports.models import ImportBatch
    from krutt.web.timelog.models import TimeEntry

    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"this is not a calendar\n")
    entries, batches = TimeEntry.objects.count(), ImportBatch.objects.count()

    with broken.open("rb") as handle:
        answer = api.client.post(
            "/api/v1/imports/calendar", {"file": handle}, headers=api.headers()
        )

    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "bad_request"
    assert (TimeEntry.objects.count(), ImportBatch.objects.count()) == (entries, batches)


def test_a_roster_uploaded_by_an_admin_answers_as_krutt_import_sellers(logged, tmp_path):
    from tests.conftest import DATA

    assert logged("user", "add", "admin@nordlys.example", "--role", "admin").code == 0
    admin = Api(Client(), token_for(User.objects.get(email="admin@nordlys.example")))
    roster = tmp_path / "sellers.csv"
    roster.write_text(
        (DATA / "sellers.csv").read_text(encoding="utf-8")
        + "Nina Ny,nina.ny@nordlys.example,2026-11-02,Salg Øst,ingrid.berg@nordlys.example,\n",
        encoding="utf-8",
    )

    with roster.open("rb") as handle:
        uploaded = admin.client.post(
            "/api/v1/sellers/roster", {"file": handle}, headers=admin.headers()
        )
    printed = logged("import", "sellers", roster, "--json")

    assert uploaded.status_code == 201, uploaded.content
    assert (uploaded.json()["created"], uploaded.json()["committed"]) == (1, True)
    # The CLI's run finds the same file already imported: the same document but for the counts.
    counts = {"created", "updated", "unchanged", "file"}
    assert {k: v for k, v in uploaded.json().items() if k not in counts} == {
        k: v for k, v in printed.json.items() if k not in counts
    }
    assert printed.json["created"] == 0
    assert printed.json["unchanged"] == uploaded.json()["created"] + uploaded.json()["unchanged"]


def test_a_crm_export_uploaded_to_the_api_imports_as_the_cli_does(logged, api):
    from tests.conftest import DATA

    export = DATA / "crm" / "hubspot-deals.csv"

    with export.open("rb") as handle:
        uploaded = api.client.post("/api/v1/imports/deals", {"file": handle}, headers=api.headers())
    assert uploaded.status_code == 201, uploaded.content
    assert logged("import", "undo", str(uploaded.json()["batch"])).code == 0
    printed = logged("import", "deals", export, "--json")

    assert printed.code == 0, printed.err
    ignore = {"file", "batch"}
    assert {k: v for k, v in uploaded.json().items() if k not in ignore} == {
        k: v for k, v in printed.json.items() if k not in ignore
    }
    assert uploaded.json()["created"] > 0
