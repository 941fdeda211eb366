"""`krutt plan` and `krutt support` on the sample team."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

from icalendar import Calendar

from krutt.web.audit.models import AuditEvent
from krutt.web.planning.models import BusyBlock
from krutt.web.support.models import SupportDecision, SupportPlan

MANAGER = "ingrid.berg@nordlys.example"
MARTIN = "martin.kristiansen@nordlys.example"


def _slots(plan):
    return [(s["email"], slot) for s in plan["sellers"] for slot in s["slots"]]


def test_the_plan_fills_the_hours_by_the_policy_within_working_hours(sample_team):
    result = sample_team(
        "plan",
        "--manager",
        MANAGER,
        "--week",
        "2026-W49",
        "--hours",
        "10",
        "--json",
        "--lang",
        "en",
    )
    assert result.code == 0, result.err
    plan = result.json
    assert (plan["week"], plan["hours"], plan["policy"]) == ("2026-W49", 10, "biztools")
    planned = sum(s["hours"] for s in plan["sellers"])
    assert planned <= 10
    assert plan["segments"]["top"]["hours"] >= 5  # at least half of the time to the best
    for _email, slot in _slots(plan):
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert start.utcoffset().total_seconds() == 3600  # Oslo in winter
        assert (start.hour, start.weekday()) >= (8, 0) and end.hour * 60 + end.minute <= 16 * 60
    # The one not delivering has no support plan: his slot is to agree one, not coaching.
    martin = [slot for email, slot in _slots(plan) if email == MARTIN]
    assert [s["reason"] for s in martin] == ["Not delivering and no support plan yet: agree one."]


def test_the_plan_keeps_out_of_busy_time_and_writes_a_calendar(sample_team, tmp_path):
    from krutt.web.accounts.models import User

    manager = User.objects.get(email=MANAGER)
    BusyBlock.objects.create(
        organisation=manager.organisation,
        manager=manager,
        external_key="x",
        starts_at=datetime(2026, 11, 30, 7, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 15, tzinfo=UTC),
    )
    ics = tmp_path / "plan.ics"
    plan = sample_team("plan", "--week", "2026-W49", "--hours", "6", "--ics", ics, "--json").json
    for _email, slot in _slots(plan):
        assert datetime.fromisoformat(slot["start"]).date().isoformat() >= "2026-12-01"
    calendar = Calendar.from_ical(ics.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(_slots(plan))
    assert calendar["METHOD"] == "PUBLISH"
    again = tmp_path / "again.ics"
    sample_team("plan", "--week", "2026-W49", "--hours", "6", "--ics", again)
    assert [e["UID"] for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")] == [
        e["UID"] for e in events
    ]


def test_a_christmas_week_plans_around_the_public_holidays(sample_team):
    plan = sample_team("plan", "--week", "2026-W52", "--hours", "6", "--json").json
    days = {datetime.fromisoformat(slot["start"]).date().isoformat() for _e, slot in _slots(plan)}
    assert days <= {"2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24"}


def test_the_support_ledger_from_plan_to_decision(sample_team):
    shown = sample_team("support", "show", "--seller", MARTIN, "--json", "--lang", "en").json
    assert shown["state"] == "needs_plan"
    assert (
        sample_team(
            "support",
            "plan",
            "--seller",
            MARTIN,
            "--goal",
            "70 % by March",
            "--start",
            "2026-05-04",
            "--review",
            "2026-08-03",
            "--action",
            "training:4:Product course",
            "--action",
            "coaching:6:Weekly coaching",
        ).code
        == 0
    )
    assert (
        sample_team(
            "support",
            "log",
            "--seller",
            MARTIN,
            "--kind",
            "coaching",
            "--minutes",
            "300",
            "--day",
            "2026-06-15",
        ).code
        == 0
    )
    status = sample_team(
        "support", "show", "--seller", MARTIN, "--at", "2026-11-02", "--json", "--lang", "en"
    ).json
    # 182 days and 5 h logged: not yet sufficient (8 h is the default), so no suggestion yet.
    assert status["state"] == "in_support"
    assert status["sufficient"] is False
    sample_team(
        "log",
        "--seller",
        MARTIN,
        "--minutes",
        "240",
        "--activity",
        "coaching",
        "--at",
        "2026-07-01T10:00",
    )
    status = sample_team(
        "support", "show", "--seller", MARTIN, "--at", "2026-11-02", "--json", "--lang", "en"
    ).json
    assert status["sufficient"] is True
    assert status["state"] == "not_responding"
    assert status["response_message"] == "From 61% to 61%: not responding."
    assert status["suggestion"].startswith(
        "Support has been sufficient and the numbers have not followed"
    )
    decided = sample_team(
        "support",
        "decide",
        "--seller",
        MARTIN,
        "--decision",
        "transition",
        "--reason",
        "Agreed in the review",
        "--on",
        "2026-11-02",
    )
    assert decided.code == 0, decided.err
    assert SupportDecision.objects.get().decision == "transition"
    shown = sample_team(
        "support", "show", "--seller", MARTIN, "--at", "2026-11-02", "--json", "--lang", "en"
    ).json
    assert (shown["decision"], shown["decided_on"], shown["decision_reason"]) == (
        "transition",
        "2026-11-02",
        "Agreed in the review",
    )
    text = sample_team(
        "support", "show", "--seller", MARTIN, "--at", "2026-11-02", "--lang", "en"
    ).out.splitlines()
    assert len(text) == len(set(text))  # no sentence twice
    assert text[-1].startswith("Decided 2026-11-02: ")
    assert text[-1].endswith("(Agreed in the review).")
    assert SupportPlan.objects.count() == 1
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="support.").order_by("pk")
    ] == ["support.plan", "support.log", "support.decision"]


def test_a_decision_needs_a_plan_and_a_reason(sample_team):
    result = sample_team(
        "support",
        "decide",
        "--seller",
        MARTIN,
        "--decision",
        "transition",
        "--reason",
        "x",
        "--lang",
        "en",
    )
    assert (result.code, result.err) == (
        2,
        "krutt: Agree a support plan before recording a decision.\n",
    )
    assert not SupportDecision.objects.exists()


def test_a_1_1_inside_the_planned_week_does_not_count_as_the_last_one(sample_team, tmp_path):
    kari = "kari.nordmann@nordlys.example"
    logged = sample_team(
        "log",
        "--seller",
        kari,
        "--minutes",
        "30",
        "--activity",
        "one_on_one",
        "--at",
        "2026-11-23T10:00",
    )
    assert logged.code == 0, logged.err
    # The standing 1:1 on Monday of the planned week, as a calendar import brings it.
    calendar = tmp_path / "standing.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:standing-1-1@test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261130T090000Z\r\nDTEND:20261130T093000Z\r\nSUMMARY:1:1 Kari\r\n"
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{kari}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    imported = sample_team("import", "calendar", calendar, "--manager", MANAGER)
    assert imported.code == 0, imported.err
    plan = sample_team("plan", "--week", "2026-W49", "--hours", "10", "--json", "--lang", "en").json
    reasons = {slot["reason"] for email, slot in _slots(plan) if email == kari}
    assert reasons == {"Top seller: 7 days since the last 1:1."}


def test_the_sample_teams_plan_calendar_carries_no_verdict_in_either_language(
    sample_team, tmp_path
):
    from tests.plan_verdicts import verdicts_in

    reasons = {
        "nb": "Leverer ikke og har ingen støtteplan ennå: avtal en.",
        "en": "Not delivering and no support plan yet: agree one.",
    }
    for language, meeting in (("nb", "Samtale"), ("en", "Meeting")):
        ics = tmp_path / f"plan-{language}.ics"
        args = ("plan", "--week", "2026-W50", "--hours", "10", "--lang", language)
        result = sample_team(*args, "--ics", ics)
        assert result.code == 0, result.err
        assert verdicts_in(ics.read_bytes()) == set()
        plan = sample_team(*args, "--json").json
        events = Calendar.from_ical(ics.read_bytes()).events
        assert len(events) == len(_slots(plan)) >= 8
        assert {str(e["SUMMARY"]).split(": ")[0] for e in events} == {meeting}
        assert {str(e["SUMMARY"]).split(": ")[1] for e in events} == {
            str(e.attendees[0].params["CN"]) for e in events
        }
        assert len(plan["sellers"]) == 8
        # The reason stays in krutt: the plan's text and JSON show it.
        assert reasons[language] in result.out
        assert {slot["reason"] for email, slot in _slots(plan) if email == MARTIN} == {
            reasons[language]
        }


def test_ten_hours_give_every_seller_a_session_before_anyone_a_second_and_use_every_day(
    sample_team,
):
    # The reported plan: with 10 hours a top seller got two sessions while another seller
    # got none, and Friday stayed empty.
    plan = sample_team("plan", "--week", "2026-W50", "--hours", "10", "--json", "--lang", "en").json
    sessions = {s["email"]: len(s["slots"]) for s in plan["sellers"]}
    assert len(sessions) == 8
    assert min(sessions.values()) >= 1
    days = Counter(datetime.fromisoformat(slot["start"]).date() for _e, slot in _slots(plan))
    assert sorted(d.isoformat() for d in days) == [
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ]
    assert max(days.values()) - min(days.values()) <= 1
    # Not packed from 08:00: each day's first session starts later, with room between.
    firsts = {}
    for _e, slot in _slots(plan):
        start = datetime.fromisoformat(slot["start"])
        firsts[start.date()] = min(firsts.get(start.date(), start), start)
    assert all((s.hour, s.minute) > (8, 0) for s in firsts.values())
    assert [w["code"] for w in plan["warnings"]] == []


def test_the_seller_page_says_the_response_once(sample_team, client):
    from django.urls import reverse

    from krutt.web.accounts.models import User
    from krutt.web.sellers.models import Seller

    sample_team(
        "support", "plan", "--seller", MARTIN, "--goal", "70 % by March",
        "--start", "2026-05-04", "--review", "2026-08-03",
        "--action", "coaching:6:Weekly coaching",
    )  # fmt: skip
    sample_team(
        "log", "--seller", MARTIN, "--minutes", "540", "--activity", "coaching",
        "--at", "2026-07-01T10:00",
    )  # fmt: skip
    manager = User.objects.get(email=MANAGER)
    manager.language = "en"
    manager.save()
    client.force_login(manager)
    martin = Seller.objects.get(email=MARTIN)
    page = client.get(reverse("seller_detail", kwargs={"seller_id": martin.pk})).content.decode()
    sentence = re.search(r"From \d+% to \d+%: (not responding|no improvement)\.", page)
    assert sentence is not None
    assert page.count(sentence.group(0)) == 1
