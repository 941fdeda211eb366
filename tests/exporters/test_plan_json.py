"""`krutt plan --json`: the document's keys are a contract, its numbers exact."""

import json
from datetime import datetime

from krutt.domain.messages import render_plain
from krutt.domain.workweek import Busy
from krutt.exporters.plan_json import hours_value, plan_document
from tests.exporters.plans import OSLO, week_plan


def test_the_document_has_the_agreed_keys_and_values() -> None:
    document = plan_document(week_plan())
    assert json.loads(json.dumps(document)) == document
    assert {k: document[k] for k in ("week", "hours", "policy", "unplaced", "warnings")} == {
        "week": "2026-W49",
        "hours": 6,
        "policy": "biztools",
        "unplaced": [],
        "warnings": [],
    }
    assert document["segments"] == {
        "top": {"hours": 3.75, "share": 0.625, "target": 0.6176, "sellers": 2},
        "new": {"hours": 1.75, "share": 0.2917, "target": 0.2941, "sellers": 1},
        "core": {"hours": 0, "share": 0, "target": 0.0, "sellers": 0},
        "under": {"hours": 0.5, "share": 0.0833, "target": 0.0882, "sellers": 1},
    }
    assert [
        (s["email"], s["segment"], s["hours"], len(s["slots"])) for s in document["sellers"]
    ] == [
        ("kari@firma.no", "top", 1.25, 1),
        ("ola@firma.no", "top", 2.5, 2),
        ("nora@firma.no", "new", 1.75, 2),
        ("lise@firma.no", "under", 0.5, 1),
    ]
    assert document["sellers"][0]["slots"] == [
        {
            "start": "2026-11-30T11:15:00+01:00",
            "end": "2026-11-30T12:30:00+01:00",
            "activity": "one_on_one",
            "reason": "Top seller: 21 days since the last 1:1.",
        }
    ]


def test_what_did_not_fit_is_listed_with_its_reason_and_the_warnings_have_codes() -> None:
    full = Busy(start=datetime(2026, 11, 30, tzinfo=OSLO), end=datetime(2026, 12, 5, tzinfo=OSLO))
    document = plan_document(week_plan(busy=(full,)))
    assert document["unplaced"][0] == {
        "email": "kari@firma.no",
        "segment": "top",
        "hours": 1.25,
        "reason": "Your working hours this week have no free time left for a session.",
    }
    assert [u["hours"] for u in document["unplaced"]] == [1.25, 2.5, 1.75, 0.5]
    assert document["warnings"] == [
        {
            "code": "no_free_time",
            "message": "Week 2026-W49 has no free working time for a session: holidays and busy events fill it.",
        },
        {
            "code": "sellers_without_slot",
            "message": "No session this week with Kari Nordmann, Ola Ås, jr., Nora, Lise: no free "
            "slot of 30 minutes is left in your working hours.",
        },
        {
            "code": "unplaced",
            "message": "6.0 h of the plan did not fit in your free time; see the sessions not placed.",
        },
    ]


def test_texts_are_rendered_by_the_shell() -> None:
    document = plan_document(week_plan(), render=lambda m: "«" + render_plain(m) + "»")
    assert (
        document["sellers"][0]["slots"][0]["reason"] == "«Top seller: 21 days since the last 1:1.»"
    )


def test_hours_are_whole_numbers_when_whole() -> None:
    assert (hours_value(600), hours_value(450), hours_value(100), hours_value(0)) == (
        10,
        7.5,
        1.67,
        0,
    )
    assert isinstance(hours_value(600), int)
