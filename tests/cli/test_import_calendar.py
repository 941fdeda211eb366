"""`krutt import calendar`: the sample calendars give exactly the expected week through the report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from krutt.web.imports.models import ImportBatch, ImportChange
from krutt.web.planning.models import BusyBlock
from krutt.web.timelog.models import TimeEntry
from tests.cli.snapshots import snapshot
from tests.conftest import DATA

EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
MANAGER = EXPECTED["manager"]
CALENDARS = DATA / "calendars"
REAL_WORLD = sorted((CALENDARS / "real-world").glob("*.ics"))
GOOGLE = CALENDARS / "google-export.ics"
WEEK = ("--from", "2026-11-02", "--to", "2026-11-08")
JOINT_MEETING = "DTSTART;TZID=Europe/Oslo:20261104T090000\nDTEND;TZID=Europe/Oslo:20261104T120000"
EXCHANGE_ZONE = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"


def _import(krutt, path: Path, *args: str):
    return krutt("import", "calendar", path, "--manager", MANAGER, "--lang", "en", *args)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    raw = GOOGLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert raw.count(old) == 1
    path = tmp_path / "google-export.ics"
    path.write_text(raw.replace(old, new), encoding="utf-8")
    return path


def _log_manual(krutt) -> None:
    result = krutt(
        "log",
        "--manager",
        MANAGER,
        "--seller",
        "sofie.pedersen@nordlys.example",
        "--minutes",
        "45",
        "--activity",
        "coaching",
        "--at",
        "2026-11-05T15:00",
    )
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("name", "week", "label"),
    [
        ("google-export.ics", "google_week", "2026-W45"),
        ("outlook-export.ics", "outlook_week", "2026-W46"),
    ],
)
def test_each_sample_calendar_gives_exactly_the_expected_week(sample_team, name, week, label):
    result = _import(sample_team, CALENDARS / name, "--json")

    assert result.code == 0, result.err
    assert result.json["problems"] == []
    _assert_week(sample_team, week, label)


def test_an_exchange_zone_name_with_a_colon_gives_exactly_the_outlook_week(sample_team, tmp_path):
    # Exchange names zones "(UTC+01:00) …": the colon inside the quoted TZID must not hide
    # the file's first event, or the import would start today and lose the week.
    raw = (CALENDARS / "outlook-export.ics").read_text(encoding="utf-8")
    path = tmp_path / "outlook-export.ics"
    path.write_text(raw.replace("W. Europe Standard Time", EXCHANGE_ZONE), encoding="utf-8")

    result = _import(sample_team, path, "--json")

    assert result.code == 0, result.err
    assert (result.json["from"], result.json["problems"], result.json["review"]) == (
        "2026-10-13",
        [],
        [],
    )
    _assert_week(sample_team, "outlook_week", "2026-W46")


def _assert_week(sample_team, week: str, label: str) -> None:
    report = sample_team("report", "--manager", MANAGER, "--week", label, "--json", "--lang", "en")
    assert report.code == 0, report.err
    expected = EXPECTED[week]
    got = report.json
    assert (got["from"], got["to"]) == (expected["from"], expected["to"])
    assert got["seller_hours"] == expected["seller_hours"]
    assert got["team_wide_hours"] == expected["team_wide_hours"]
    # A past week has nothing planned; every other figure is exactly expected.json's.
    assert {k: v.pop("planned_hours") for k, v in got["segments"].items()} == dict.fromkeys(
        expected["segments"], 0.0
    )
    assert got["planned_hours"] == 0.0
    assert got["segments"] == expected["segments"]
    hours: dict[str, float] = {}
    for row in got["sellers"]:
        hours[row["email"]] = hours.get(row["email"], 0) + row["hours"]
    assert hours == expected["sellers"]


def test_the_google_week_becomes_entries_from_the_calendar_without_their_subjects(sample_team):
    result = _import(sample_team, GOOGLE, *WEEK, "--json")

    assert (result.json["created"], result.json["busy"]["created"]) == (10, 10)
    assert (result.json["from"], result.json["to"]) == ("2026-11-02", "2026-11-08")
    entries = TimeEntry.objects.order_by("started_at")
    assert [
        (e.started_at.astimezone(UTC).strftime("%a %H:%M"), e.minutes, e.activity, e.seller_count)
        for e in entries[:4]
    ] == [
        ("Mon 07:30", 30, "one_on_one", 1),
        ("Mon 09:00", 90, "one_on_one", 1),
        ("Mon 13:00", 60, "pipeline_review", 3),
        ("Tue 08:00", 120, "training", 1),
    ]
    first = entries[0]
    assert (first.source, first.external_key, first.day, first.note) == (
        "calendar",
        "c87449d41aca374f0000@google.com|20261102T073000Z",
        date(2026, 11, 2),
        "",
    )
    assert {e.import_batch_id for e in entries} == {result.json["batch"]}


def test_reimporting_changes_nothing_and_leaves_a_manual_entry_alone(sample_team):
    _import(sample_team, GOOGLE)
    _log_manual(sample_team)
    manual = TimeEntry.objects.get(source="manual")
    before = snapshot()

    again = _import(sample_team, GOOGLE, "--json")

    assert again.code == 0, again.err
    assert (again.json["created"], again.json["updated"], again.json["removed"]) == (0, 0, 0)
    assert again.json["unchanged"] == TimeEntry.objects.filter(source="calendar").count()
    assert again.json["busy"]["created"] == again.json["busy"]["removed"] == 0
    assert again.json["batch"] is None
    assert snapshot() == before
    assert TimeEntry.objects.get(source="manual") == manual


def test_an_updated_export_changes_the_entry_in_place_and_removes_what_is_gone(
    sample_team, tmp_path
):
    _import(sample_team, GOOGLE, *WEEK)
    _log_manual(sample_team)
    joint = TimeEntry.objects.get(external_key="acfe35f6adb025f80001@google.com|")
    shorter = _edited(
        tmp_path,
        JOINT_MEETING,
        JOINT_MEETING.replace("T120000", "T110000"),
    )

    result = _import(sample_team, shorter, *WEEK, "--json")

    assert result.code == 0, result.err
    assert (result.json["created"], result.json["updated"], result.json["unchanged"]) == (0, 1, 9)
    assert result.json["busy"]["updated"] == 1
    joint.refresh_from_db()
    assert (joint.minutes, joint.import_batch_id) == (120, result.json["batch"])
    assert TimeEntry.objects.filter(source="manual").count() == 1
    assert ImportChange.objects.filter(batch_id=result.json["batch"]).count() == 2


def test_a_period_outside_the_file_is_left_alone(sample_team):
    _import(sample_team, GOOGLE, *WEEK)
    outside = TimeEntry.objects.filter(day__gt=date(2026, 11, 8)).count()

    result = _import(sample_team, GOOGLE, "--from", "2026-11-09", "--to", "2026-11-15", "--json")

    assert outside == 0
    assert result.json["removed"] == 0
    assert TimeEntry.objects.filter(day__lte=date(2026, 11, 8)).count() == 10


def test_events_the_manager_should_check_are_listed_with_their_reason(sample_team, tmp_path):
    path = tmp_path / "review.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:r1\n"
        "DTSTART:20261103T100000\nDTEND:20261103T110000\nSUMMARY:Lunsj med Kari\n"
        "END:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )

    result = _import(sample_team, path, *WEEK, "--json")

    assert result.code == 0, result.err
    assert [(r["uid"], r["reason"]) for r in result.json["review"]] == [
        ("r1", "The event has no time zone; its times were read as Europe/Oslo."),
        (
            "r1",
            "The subject mentions Kari, but no seller was recognised; check who the time was with.",
        ),
    ]
    assert result.json["skipped_reasons"] == {"no_seller": 1}
    assert result.json["busy"]["created"] == 1


def test_undo_puts_back_what_the_second_import_replaced(sample_team, tmp_path):
    _import(sample_team, GOOGLE, *WEEK)
    _log_manual(sample_team)
    before = snapshot()
    shorter = _edited(tmp_path, JOINT_MEETING, JOINT_MEETING.replace("T120000", "T110000"))
    second = _import(sample_team, shorter, *WEEK, "--json").json

    undone = sample_team("import", "undo", second["batch"], "--json")

    assert undone.code == 0, undone.err
    assert (undone.json["removed"], undone.json["restored"]) == (0, 2)
    assert snapshot() == before


def test_undo_of_the_only_import_removes_its_entries_and_busy_time(sample_team):
    before = snapshot()
    first = _import(sample_team, GOOGLE, *WEEK, "--json").json

    undone = sample_team("import", "undo", first["batch"], "--json")

    assert undone.json["removed"] == 20
    assert snapshot() == before
    assert BusyBlock.objects.count() == 0


def test_an_earlier_import_cannot_be_undone_under_a_later_one(sample_team):
    first = _import(sample_team, GOOGLE, *WEEK, "--json").json
    BusyBlock.objects.filter(import_batch_id=first["batch"]).delete()
    second = _import(sample_team, GOOGLE, *WEEK, "--json").json

    refused = sample_team("import", "undo", first["batch"], "--lang", "en")

    assert refused.code == 2
    assert refused.err.strip() == (
        f"krutt: Import {second['batch']} changed the same rows after import {first['batch']}; "
        f"undo import {second['batch']} first."
    )
    assert ImportBatch.objects.get(pk=first["batch"]).undone_at is None


def test_a_period_that_ends_before_it_starts_is_refused(sample_team):
    result = _import(sample_team, GOOGLE, "--from", "2026-11-08", "--to", "2026-11-02")

    assert result.code == 2
    assert result.err.strip() == (
        "krutt: The period starts (2026-11-08) after it ends (2026-11-02)."
    )
    assert TimeEntry.objects.count() == 0


@pytest.mark.parametrize("path", REAL_WORLD, ids=[p.name for p in REAL_WORLD])
def test_every_real_world_calendar_imports_or_lists_its_problems(sample_team, path):
    before = snapshot()

    result = _import(sample_team, path)

    assert result.code in (0, 2), result.err
    assert "unexpected error" not in result.err
    assert "Traceback" not in result.err
    if result.code == 2:
        # Only a file without events is refused; a bad event costs that event.
        assert result.err.splitlines() == [
            f"{path.name}: The calendar has no events.",
            f"krutt: {path.name}: 1 problem; nothing was written.",
        ]
        assert snapshot() == before
    else:
        assert result.out.splitlines()[0].startswith(f"{path.name}: ")
        assert ", )" not in result.out


def test_a_calendar_import_shows_in_the_history_with_its_period(sample_team):
    _import(sample_team, GOOGLE, *WEEK)

    history = sample_team("import", "history", "--json").json

    assert history[0]["kind"] == "calendar"
    assert history[0]["manager"] == MANAGER
    assert history[0]["counts"]["created"] == 10
    assert datetime.fromisoformat(history[0]["at"]).tzinfo is not None


@pytest.mark.parametrize(
    ("name", "first", "occurrences"),
    [
        ("node_Office-2012-owa.ics", "2020-10-28", 90),
        ("node_exchange-custom-tz.ics", "2019-04-30", 1),
        ("node_windows-quoted-tz-rrule.ics", "2015-07-06", 8),
    ],
)
def test_exchange_calendars_with_colons_in_zone_names_read_from_their_first_event(
    sample_team, name, first, occurrences
):
    result = _import(sample_team, CALENDARS / "real-world" / name, "--json")

    assert result.code == 0, result.err
    assert (result.json["from"], result.json["read"]) == (first, occurrences)


BAD_EVENTS = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:good-1
DTSTART;TZID=Europe/Oslo:20261102T090000
DTEND;TZID=Europe/Oslo:20261102T100000
SUMMARY:1:1 Kari Nordmann
END:VEVENT
BEGIN:VEVENT
UID:bad-rule
DTSTART;TZID=Europe/Oslo:20261103T090000
DTEND;TZID=Europe/Oslo:20261103T100000
RRULE:FREQ=FORTNIGHTLY
SUMMARY:Coaching Ingrid Larsen
END:VEVENT
BEGIN:VEVENT
UID:bad-end
DTSTART;TZID=Europe/Oslo:20261104T090000
DTEND:not a time
SUMMARY:Oppfølging Martin Kristiansen
END:VEVENT
BEGIN:VEVENT
UID:bad-start
DTSTART:2026-11-05
SUMMARY:Pipeline
END:VEVENT
BEGIN:VEVENT
UID:good-2
DTSTART;TZID=Europe/Oslo:20261106T130000
DTEND;TZID=Europe/Oslo:20261106T140000
SUMMARY:Coaching Martin Kristiansen
END:VEVENT
END:VCALENDAR
"""


def test_unreadable_events_are_listed_with_their_line_and_the_readable_ones_imported(
    sample_team, tmp_path
):
    path = tmp_path / "bad-events.ics"
    path.write_text(BAD_EVENTS, encoding="utf-8")

    shown = _import(sample_team, path, *WEEK, "--dry-run")
    result = _import(sample_team, path, *WEEK, "--json")

    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[:4] == [
        "bad-events.ics: 5 events, 2 occurrences from 2026-11-02 to 2026-11-08.",
        "Not read (line 9, 2026-11-03 09:00) Coaching Ingrid Larsen: "
        "The event's RRULE cannot be read, so the event was not read.",
        "Not read (line 16, 2026-11-04 09:00) Oppfølging Martin Kristiansen: "
        "The event's DTEND cannot be read, so the event was not read.",
        "Not read (line 22) Pipeline: The event's DTSTART cannot be read, so the event was not read.",
    ]
    assert result.code == 0, result.err
    assert (result.json["problems"], result.json["created"], result.json["committed"]) == (
        [],
        2,
        True,
    )
    assert [(r["line"], r["uid"], r["start"], r["not_read"]) for r in result.json["review"]] == [
        (9, "bad-rule", "2026-11-03T09:00:00+01:00", True),
        (16, "bad-end", "2026-11-04T09:00:00+01:00", True),
        (22, "bad-start", None, True),
    ]
    assert sorted(TimeEntry.objects.values_list("external_key", "minutes")) == [
        ("good-1|", 60),
        ("good-2|", 60),
    ]


def test_a_calendar_whose_only_event_cannot_be_read_is_refused_whole(sample_team, tmp_path):
    path = tmp_path / "bad.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:bad\nDTSTART:20261103T090000Z\n"
        "DURATION:soon\nSUMMARY:Coaching\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    _import(sample_team, GOOGLE, *WEEK)
    before = snapshot()

    result = _import(sample_team, path, *WEEK)

    assert result.code == 2
    assert result.out.splitlines()[1] == (
        "Not read (line 3, 2026-11-03 10:00) Coaching: "
        "The event's DURATION cannot be read, so the event was not read."
    )
    assert result.err.splitlines() == [
        "bad.ics: None of the calendar's events can be read.",
        "krutt: bad.ics: 1 problem; nothing was written.",
    ]
    assert snapshot() == before


def test_a_nul_character_is_dropped_and_the_week_still_adds_up(sample_team, tmp_path):
    # PostgreSQL text cannot hold NUL; no calendar means one, so the repair drops it.
    damaged = _edited(tmp_path, "SUMMARY:Forhandlingsøving", "SUMMARY:Forhandlings\x00øving")
    result = _import(sample_team, damaged, *WEEK)
    assert result.code == 0, result.err
    report = sample_team("report", "--week", "2026-W45", "--json").json
    assert report["seller_hours"] == EXPECTED["google_week"]["seller_hours"]
