"""Numbers a manager can trust: planned time apart, only employed sellers, each calendar its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from krutt.web.planning.models import BusyBlock
from krutt.web.timelog.models import TimeEntry
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
MANAGER = EXPECTED["manager"]
GOOGLE = DATA / "calendars" / "google-export.ics"
OUTLOOK = DATA / "calendars" / "outlook-export.ics"
OSLO = ZoneInfo("Europe/Oslo")
KARI = "kari.nordmann@nordlys.example"
FREDRIK = "fredrik.olsen@nordlys.example"  # started 2026-09-01


def _calendar(
    tmp_path: Path, *events: tuple[str, datetime, int, list[str]], name: str = ""
) -> Path:
    calendar = Calendar()
    calendar.add("prodid", "-//krutt tests//EN")
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    for uid, start, minutes, attendees in events:
        event = Event()
        event.add("uid", uid)
        event.add("summary", "Coaching")
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
        event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
        for email in [MANAGER, *attendees]:
            address = vCalAddress(f"mailto:{email}")
            address.params["partstat"] = "ACCEPTED"
            event.add("attendee", address, encode=0)
        calendar.add_component(event)
    path = tmp_path / f"{name or 'calendar'}.ics"
    path.write_bytes(calendar.to_ical())
    return path


def _import(krutt, path: Path, *args: str):
    return krutt("import", "calendar", path, "--manager", MANAGER, "--lang", "en", "--json", *args)


def _report(krutt, first: str, last: str):
    result = krutt(
        "report", "--manager", MANAGER, "--from", first, "--to", last, "--json", "--lang", "en"
    )
    assert result.code == 0, result.err
    return result.json


def test_a_meeting_that_has_not_ended_is_planned_time_not_time_spent(sample_team, tmp_path):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    path = _calendar(
        tmp_path,
        ("done", now - timedelta(hours=2), 60, [KARI]),
        ("running", now - timedelta(minutes=30), 60, [KARI]),
        ("ahead", now + timedelta(days=2), 90, [KARI]),
    )
    first = (now - timedelta(days=1)).astimezone(OSLO).date().isoformat()
    last = (now + timedelta(days=3)).astimezone(OSLO).date().isoformat()
    assert _import(sample_team, path, "--from", first, "--to", last).code == 0

    report = _report(sample_team, first, last)

    assert report["seller_hours"] == 1.0
    assert report["planned_hours"] == 2.5
    segment = EXPECTED["segments"][KARI]["segment"]
    assert report["segments"][segment]["hours"] == 1.0
    assert report["segments"][segment]["planned_hours"] == 2.5
    assert report["segments"][segment]["share"] == 1.0


def test_a_meeting_before_a_sellers_first_day_is_listed_and_not_counted(sample_team, tmp_path):
    before = datetime(2026, 8, 20, 9, tzinfo=OSLO)
    path = _calendar(
        tmp_path,
        ("early", before, 60, [FREDRIK]),
        ("group", before + timedelta(hours=2), 60, [FREDRIK, KARI]),
    )
    result = _import(sample_team, path, "--from", "2026-08-17", "--to", "2026-08-23")

    assert result.code == 0, result.err
    reasons = [item["reason"] for item in result.json["review"]]
    assert reasons == [
        "Fredrik Olsen started 2026-09-01; the meeting on 2026-08-20 is not counted for them.",
        "Fredrik Olsen started 2026-09-01; the meeting on 2026-08-20 is not counted for them.",
    ]
    assert result.json["created"] == 1
    assert result.json["skipped_reasons"]["not_on_team"] == 1
    entry = TimeEntry.objects.get()
    assert [s.email for s in entry.sellers.all()] == [KARI]
    assert _report(sample_team, "2026-08-17", "2026-08-23")["seller_hours"] == 1.0


def test_a_second_calendar_adds_to_the_first_and_reimporting_either_changes_nothing(sample_team):
    period = ("--from", "2026-11-02", "--to", "2026-11-15")
    google = _import(sample_team, GOOGLE, *period)
    assert google.code == 0, google.err
    assert google.json["calendar"] == {
        "name": "ingrid.berg@nordlys.example",
        "source": "X-WR-CALNAME",
        "replaced": False,
    }
    entries, busy = TimeEntry.objects.count(), BusyBlock.objects.count()
    google_rows = set(TimeEntry.objects.values_list("id", "started_at", "minutes"))
    google_busy = set(BusyBlock.objects.values_list("id", "starts_at", "ends_at"))

    outlook = _import(sample_team, OUTLOOK, *period)

    assert outlook.code == 0, outlook.err
    assert (outlook.json["removed"], outlook.json["busy"]["removed"]) == (0, 0)
    assert outlook.json["calendar"]["replaced"] is False
    assert TimeEntry.objects.count() == entries + outlook.json["created"]
    assert BusyBlock.objects.count() == busy + outlook.json["busy"]["created"]
    # Every Google entry and busy block is still there, untouched.
    assert google_rows <= set(TimeEntry.objects.values_list("id", "started_at", "minutes"))
    assert google_busy <= set(BusyBlock.objects.values_list("id", "starts_at", "ends_at"))
    for path in (GOOGLE, OUTLOOK):
        again = _import(sample_team, path, *period)
        assert again.json["calendar"]["replaced"] is True
        counts = again.json
        assert (counts["created"], counts["updated"], counts["removed"]) == (0, 0, 0)
        assert (counts["busy"]["created"], counts["busy"]["removed"]) == (0, 0)
    assert TimeEntry.objects.count() == entries + outlook.json["created"]


def test_the_same_meeting_in_two_calendars_counts_once(sample_team, tmp_path):
    start = datetime(2026, 11, 17, 9, tzinfo=OSLO)
    first = _calendar(tmp_path, ("shared-uid", start, 60, [KARI]), name="work")
    second = _calendar(tmp_path, ("other-uid", start, 60, [KARI]), name="private")
    period = ("--from", "2026-11-16", "--to", "2026-11-22")
    assert _import(sample_team, first, *period).json["created"] == 1

    again = _import(sample_team, second, *period)

    assert again.json["created"] == 0
    assert again.json["skipped_reasons"]["other_calendar"] == 1
    assert _report(sample_team, "2026-11-16", "2026-11-22")["seller_hours"] == 1.0


def test_a_named_calendar_replaces_only_its_own_entries(sample_team, tmp_path):
    start = datetime(2026, 11, 17, 9, tzinfo=OSLO)
    path = _calendar(tmp_path, ("a", start, 60, [KARI]))
    period = ("--from", "2026-11-16", "--to", "2026-11-22")
    assert _import(sample_team, path, *period, "--calendar", "Team").json["created"] == 1
    moved = _calendar(tmp_path, ("b", start + timedelta(hours=3), 30, [KARI]))

    result = _import(sample_team, moved, *period, "--calendar", "Privat")

    assert (result.json["created"], result.json["removed"]) == (1, 0)
    assert result.json["calendar"] == {"name": "Privat", "source": "named", "replaced": False}
    assert TimeEntry.objects.count() == 2
