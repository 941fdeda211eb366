"""The plan as .ics: read back by icalendar and by Mozilla's ical.js with the right times and people."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from krutt.domain.messages import Message, render_plain
from krutt.domain.planning import WeekPlan
from krutt.exporters.plan_ics import is_plan_uid, plan_calendar, slot_uid
from tests.exporters.plans import MONDAY_MEETING, OSLO, week_plan

STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ICALJS = Path(__file__).parent / "icaljs"


Seen = tuple[datetime, datetime, str, str]


def expected_events(plan: WeekPlan) -> list[Seen]:
    """(start, end, attendee e-mail, attendee name) of every slot, as clients should read them."""
    return sorted(
        (slot.start, slot.end, seller.email, seller.name)
        for seller in plan.sellers
        for slot in seller.slots
    )


def test_icalendar_reads_every_slot_with_its_time_zone_attendee_and_a_neutral_summary() -> None:
    plan = week_plan()
    calendar = Calendar.from_ical(plan_calendar(plan, manager="7", stamp=STAMP))
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = calendar.events
    read = sorted(
        (e.DTSTART, e.DTEND, e.attendees[0].email, e.attendees[0].params["CN"]) for e in events
    )
    assert read == expected_events(plan)
    assert (len(read), {len(e.attendees) for e in events}) == (6, {1})
    assert {str(e.DTSTART.tzinfo) for e in events} == {"Europe/Oslo"}
    first = min(events, key=lambda e: e.DTSTART)
    assert (
        datetime(2026, 11, 30, 11, 15, tzinfo=OSLO),
        datetime(2026, 11, 30, 12, 30, tzinfo=OSLO),
    ) == (first.DTSTART, first.DTEND)
    # The same neutral words for every seller: the reason stays in krutt.
    assert str(first["SUMMARY"]) == "Meeting: Kari Nordmann"
    assert str(first["DESCRIPTION"]) == "Planned in krutt for week 2026-W49."
    assert {str(e["DESCRIPTION"]) for e in events} == {"Planned in krutt for week 2026-W49."}
    assert {tuple(e["CATEGORIES"].cats) for e in events} == {("krutt",)}


def test_re_exporting_the_same_week_keeps_the_uids_and_raises_the_sequence() -> None:
    first = Calendar.from_ical(plan_calendar(week_plan(), manager="7", stamp=STAMP))
    # A week later the manager has a meeting on Monday: slots move, the UIDs stay.
    again = Calendar.from_ical(
        plan_calendar(
            week_plan(busy=(MONDAY_MEETING,)), manager="7", stamp=STAMP + timedelta(days=1)
        )
    )
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    kari = min(
        (e for e in first.events if e.attendees[0].email == "kari@firma.no"),
        key=lambda e: e.DTSTART,
    )
    assert str(kari["UID"]) == slot_uid(manager="7", week="2026-W49", seller_id=1, number=1)
    assert sorted(uids) == sorted(str(e["UID"]) for e in again.walk("VEVENT"))
    assert len(set(uids)) == len(uids)
    assert {e["SEQUENCE"] for e in first.walk("VEVENT")} == {1001520}
    assert {e["SEQUENCE"] for e in again.walk("VEVENT")} == {1001520 + 24 * 60}
    assert first["UID"] == again["UID"]


def test_uids_differ_by_manager_week_seller_and_slot_and_are_recognisable() -> None:
    uid = slot_uid(manager="7", week="2026-W49", seller_id=1, number=1)
    # Pinned: changing how UIDs are made would double every event already imported.
    assert uid == "bfbc1909c0c00fb4129d54bec4f506b4@plan.krutt"
    assert uid == slot_uid(manager=" 7 ", week="2026-W49", seller_id=1, number=1)
    others = {
        slot_uid(manager="8", week="2026-W49", seller_id=1, number=1),
        slot_uid(manager="7", week="2026-W50", seller_id=1, number=1),
        slot_uid(manager="7", week="2026-W49", seller_id=2, number=1),
        slot_uid(manager="7", week="2026-W49", seller_id=1, number=2),
    }
    assert uid not in others and len(others) == 4
    assert is_plan_uid(uid)
    assert not is_plan_uid("040000008200E00074C5B7101A82E0080000000@outlook.com")


def test_the_texts_go_through_the_shells_translation() -> None:
    def shout(message: Message) -> str:
        return render_plain(message).upper()

    calendar = Calendar.from_ical(
        plan_calendar(week_plan(), manager="7", stamp=STAMP, render=shout)
    )
    assert str(calendar["X-WR-CALNAME"]) == "WEEK PLAN 2026-W49"
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} >= {"MEETING: KARI NORDMANN"}


def test_the_organizer_is_the_manager_when_given() -> None:
    calendar = Calendar.from_ical(
        plan_calendar(week_plan(), manager="7", stamp=STAMP, organizer_email="sjef@firma.no")
    )
    assert {str(e["ORGANIZER"]) for e in calendar.events} == {"mailto:sjef@firma.no"}


def test_attendees_can_be_left_out_as_rfc_5545_prefers_for_published_events() -> None:
    calendar = Calendar.from_ical(
        plan_calendar(week_plan(), manager="7", stamp=STAMP, with_attendees=False)
    )
    assert [len(e.attendees) for e in calendar.events] == [0] * 6
    assert (
        "ATTENDEE"
        not in plan_calendar(week_plan(), manager="7", stamp=STAMP, with_attendees=False).decode()
    )


def test_the_export_stamp_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_calendar(week_plan(), manager="7", stamp=datetime(2026, 11, 27, 12))


# --- Mozilla ical.js ---------------------------------------------------------------------------


def read_with_icaljs(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    installed = (ICALJS / "node_modules" / "ical.js" / "package.json").is_file()
    if node is None or not installed:
        if os.environ.get("KRUTT_REQUIRE_NODE"):
            pytest.fail(
                "KRUTT_REQUIRE_NODE is set, but node or ical.js is missing (npm ci in icaljs/)"
            )
        pytest.skip("node or ical.js not installed (npm ci in tests/exporters/icaljs)")
    done = subprocess.run(
        [node, str(ICALJS / "read_plan.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    read: dict[str, Any] = json.loads(done.stdout)
    return read


# Winter time, summer time, and the week after the switch to summer time.
@pytest.mark.parametrize("week", ["2026-W49", "2026-W25", "2027-W13"])
def test_icaljs_reads_every_event_with_the_right_start_end_and_attendee(
    tmp_path: Path, week: str
) -> None:
    plan = week_plan(week)
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_calendar(plan, manager="7", stamp=STAMP))
    read = read_with_icaljs(path)
    assert (read["method"], read["timezones"]) == ("PUBLISH", ["Europe/Oslo"])
    events = sorted(
        (
            datetime.fromtimestamp(e["start"], UTC),
            datetime.fromtimestamp(e["end"], UTC),
            e["attendees"][0]["address"].removeprefix("mailto:"),
            e["attendees"][0]["cn"],
        )
        for e in read["events"]
    )
    assert events == expected_events(plan)
    assert {(e["startZone"], e["endZone"]) for e in read["events"]} == {
        ("Europe/Oslo", "Europe/Oslo")
    }
    assert all(len(e["attendees"]) == 1 for e in read["events"])
    assert {e["description"] for e in read["events"]} == {"Planned in krutt for week " + week + "."}
