"""The plan's .ics leaves krutt: no event tells the seller what krutt thinks of them.

Every activity × every segment × every reason a plan gives, in both languages, against
the verdict vocabulary built from the catalogue (tests/plan_verdicts.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from krutt.domain.activities import Activity
from krutt.domain.messages import Message
from krutt.domain.periods import iso_week
from krutt.domain.planning import WeekPlan, plan_sessions
from krutt.domain.policy import BIZTOOLS
from krutt.domain.workweek import WorkingHours, free_time
from krutt.exporters.plan_ics import plan_calendar
from krutt.web.messages import render
from tests.plan_verdicts import every_purpose_team, verdict_vocabulary, verdicts_in

OSLO = ZoneInfo("Europe/Oslo")
W49 = iso_week("2026-W49")
STAMP = datetime(2026, 11, 27, 12, tzinfo=UTC)
SUMMARY = {"nb": "Samtale: {}", "en": "Meeting: {}"}


def every_purpose_plan() -> WeekPlan:
    team = every_purpose_team()
    plan = plan_sessions(
        week=W49,
        available_minutes=20 * 60,
        team=team,
        policy=BIZTOOLS,
        workdays=free_time(period=W49, hours=WorkingHours(), busy=(), holidays=set(), zone=OSLO),
        zone=OSLO,
    )
    # Every seller has a session, so every reason is in the plan that is exported.
    assert [s.name for s in plan.sellers if not s.slots] == []
    assert len({s.segment for s in plan.sellers}) == 4
    return plan


def with_activity(plan: WeekPlan, activity: Activity) -> WeekPlan:
    sellers = [
        replace(s, slots=tuple(replace(slot, activity=activity) for slot in s.slots))
        for s in plan.sellers
    ]
    return replace(plan, sellers=sellers)


def test_the_vocabulary_catches_what_the_old_export_wrote() -> None:
    # The control: what the export wrote before («Karrieresamtale: Hanna Eide»,
    # «Overgangssamtale: tilstrekkelig støtte, ingen bedring … (Leverer ikke)») is caught,
    # for every seller's reason, in both languages.
    plan = every_purpose_plan()
    for language in ("nb", "en"):
        for seller in plan.sellers:
            for slot in seller.slots:
                summary = Message(
                    "{activity}: {seller}", {"activity": slot.activity.label, "seller": seller.name}
                )
                description = Message(
                    "{reason} ({segment})",
                    {"reason": render(slot.reason, language), "segment": seller.segment.label},
                )
                leaky = (
                    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                    "DTSTAMP:20261127T120000Z\r\nDTSTART:20261130T080000Z\r\n"
                    f"SUMMARY:{render(summary, language)}\r\n"
                    f"DESCRIPTION:{render(description, language)}\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n"
                ).encode()
                assert verdicts_in(leaky), (language, seller.name)


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("activity", list(Activity))
def test_no_exported_event_carries_a_verdict_for_any_activity_segment_or_reason(
    language: str, activity: Activity
) -> None:
    plan = with_activity(every_purpose_plan(), activity)
    ics = plan_calendar(
        plan,
        manager="7",
        stamp=STAMP,
        organizer_email="sjef@firma.no",
        render=lambda m: render(m, language),
    )
    assert verdicts_in(ics) == set()
    events = Calendar.from_ical(ics).events
    expected = sorted(SUMMARY[language].format(s.name) for s in plan.sellers for _ in s.slots)
    assert sorted(str(e["SUMMARY"]) for e in events) == expected
    assert {tuple(e["CATEGORIES"].cats) for e in events} == {("krutt",)}
    assert not [name for e in events for name in e if name.startswith("X-")]


def test_the_vocabulary_holds_both_languages() -> None:
    words = verdict_vocabulary()
    assert {"leverer ikke", "not delivering", "career conversation", "top seller"} <= words
