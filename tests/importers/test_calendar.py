"""Reading calendar exports: the two samples, real-world quirks, hostile rules and bad bytes."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from krutt.domain.messages import render_plain
from krutt.importers.calendar import (
    Attendee,
    CalendarRead,
    EventStatus,
    Transparency,
)
from tests.conftest import DATA
from tests.importers.ics_files import OSLO, ics, read, slots

CALENDARS = DATA / "calendars"
REAL_WORLD = sorted((CALENDARS / "real-world").glob("*.ics"))
MANAGER = "ingrid.berg@nordlys.example"


def test_the_google_week_has_every_occurrence_with_its_people_and_replies():
    result = read(
        (CALENDARS / "google-export.ics").read_bytes(),
        "2026-11-02",
        "2026-11-08",
        manager_email=MANAGER,
    )
    assert result.problems == []
    assert result.review == []
    assert [(o.start.strftime("%a %H:%M"), o.summary) for o in result.occurrences] == [
        ("Mon 08:30", "1:1 Kari"),
        ("Mon 10:00", "Oppfølging Martin"),
        ("Mon 14:00", "Pipeline"),
        ("Tue 09:00", "Onboarding Fredrik"),
        ("Wed 09:00", "Kundebesøk med Ola – Polar Bygg"),
        ("Wed 14:00", "Oppfølging Martin"),
        ("Thu 00:00", "Messe Lillestrøm"),
        ("Thu 09:00", "Martin – tilbud Haugen"),
        ("Thu 13:00", "Forhandlingsøving"),
        ("Fri 08:00", "Frokostmøte alle"),
        ("Fri 09:00", "Onboarding Fredrik – CRM"),
        ("Fri 13:00", "Coaching Anders (avlyst)"),
    ]
    weekly = result.occurrences[0]
    assert weekly.uid == "c87449d41aca374f0000@google.com"
    assert weekly.recurrence_id == "20261102T073000Z"
    assert weekly.start == datetime(2026, 11, 2, 8, 30, tzinfo=OSLO)
    assert weekly.end == datetime(2026, 11, 2, 9, 0, tzinfo=OSLO)
    assert weekly.organizer_email == MANAGER
    assert weekly.manager_partstat == "ACCEPTED"
    assert weekly.attendees == (
        Attendee(
            email="kari.nordmann@nordlys.example",
            name="Kari Nordmann",
            partstat="ACCEPTED",
            kind="INDIVIDUAL",
        ),
        Attendee(email=MANAGER, name=MANAGER, partstat="ACCEPTED", kind="INDIVIDUAL"),
    )
    fair = result.occurrences[6]
    assert (fair.all_day, fair.transparency) == (True, Transparency.FREE)
    assert result.occurrences[-1].status is EventStatus.CANCELLED
    alias = result.occurrences[8].attendees[0]
    assert alias.email == "mj@nordlys.example"


def test_a_utc_time_in_a_google_calendar_is_read_in_its_x_wr_timezone():
    result = read((CALENDARS / "google-export.ics").read_bytes(), "2026-11-05", "2026-11-05")
    utc_event = next(o for o in result.occurrences if o.uid.startswith("59051f2b"))
    assert utc_event.start == datetime(2026, 11, 5, 9, 0, tzinfo=OSLO)
    assert utc_event.floating is False


def test_the_google_weekly_series_goes_on_into_the_next_week():
    result = read((CALENDARS / "google-export.ics").read_bytes(), "2026-11-09", "2026-11-15")
    assert [(o.start, o.summary) for o in result.occurrences] == [
        (datetime(2026, 11, 9, 8, 30, tzinfo=OSLO), "1:1 Kari"),
    ]


def test_the_outlook_week_reads_the_windows_zone_and_the_exdate():
    result = read((CALENDARS / "outlook-export.ics").read_bytes(), "2026-11-09", "2026-11-15")
    assert result.problems == []
    assert [(o.start, o.summary, o.attendees) for o in result.occurrences] == [
        (datetime(2026, 11, 9, 8, 30, tzinfo=OSLO), "1:1 Kari Nordmann", ()),
        (datetime(2026, 11, 10, 9, 0, tzinfo=OSLO), "Coaching Ingrid Larsen", ()),
        (datetime(2026, 11, 11, 10, 0, tzinfo=OSLO), "Oppfølging Martin Kristiansen", ()),
        (datetime(2026, 11, 12, 12, 0, tzinfo=OSLO), "Styremøte", ()),
    ]
    # The series' Tuesday is excluded by its EXDATE, the Tuesday after is not.
    later = read((CALENDARS / "outlook-export.ics").read_bytes(), "2026-11-17", "2026-11-17")
    assert [(o.start, o.recurrence_id) for o in later.occurrences] == [
        (datetime(2026, 11, 17, 13, 0, tzinfo=OSLO), "20261117T120000Z")
    ]


@pytest.mark.parametrize("path", REAL_WORLD, ids=[p.name for p in REAL_WORLD])
def test_every_real_world_calendar_reads_without_raising(path):
    result = read(path.read_bytes(), "2000-01-01", "2030-12-31")
    assert isinstance(result, CalendarRead)
    assert all(o.start.tzinfo is not None and o.end >= o.start for o in result.occurrences)
    assert all(render_plain(p.message) for p in result.problems)
    assert all(r.line > 0 and render_plain(r.reason) for r in result.review)


def test_overrides_move_occurrences_this_and_future_included():
    result = read(
        (CALENDARS / "real-world" / "rie_issue_75_range_parameter.ics").read_bytes(),
        "2024-09-12",
        "2024-09-23",
    )
    assert slots(result) == [
        ("09-13 09:00", 420, "MODIFIED EVENT"),
        ("09-14 06:00", 420, "MODIFIED EVENT"),
        ("09-15 17:00", 120, "MODIFIED EVENT"),
        ("09-17 09:00", 420, "MODIFIED EVENT"),
        ("09-19 09:00", 420, "MODIFIED EVENT"),
        ("09-22 14:22", 111, "EDITED EVENT"),
    ]
    assert [o.recurrence_id for o in result.occurrences][-1] == "20240921T120000Z"


def test_a_cancelled_occurrence_is_kept_with_its_status():
    result = read(
        (CALENDARS / "real-world" / "rie_issue_18_cancel_status.ics").read_bytes(),
        "2020-01-28",
        "2020-01-30",
    )
    assert [o.status for o in result.occurrences] == [
        EventStatus.CONFIRMED,
        EventStatus.CANCELLED,
        EventStatus.CONFIRMED,
    ]


def test_spaces_inside_an_exchange_rrule_are_repaired():
    result = read(
        (CALENDARS / "real-world" / "ical_issue_165_missing_event.ics").read_bytes(),
        "2015-07-01",
        "2015-07-31",
    )
    assert result.problems == []
    assert len(result.occurrences) == 14
    assert result.occurrences[-1].start == datetime(2015, 7, 22, 10, 0, tzinfo=OSLO)


def test_a_tzid_quoted_across_its_value_is_repaired():
    result = read(
        (CALENDARS / "real-world" / "node_ms_timezones.ics").read_bytes(),
        "2020-06-09",
        "2020-06-09",
    )
    jira = [o for o in result.occurrences if o.summary == "Log Yesterday's Jira time"]
    assert [o.start for o in jira] == [datetime(2020, 6, 9, 9, 0, tzinfo=OSLO)]


def test_outlook_display_names_without_a_definition_are_read_as_their_zones():
    result = read(
        (CALENDARS / "real-world" / "node_Office-2012-owa.ics").read_bytes(),
        "2020-10-28",
        "2020-10-28",
    )
    assert slots(result)[:2] == [("10-28 02:30", 90, "TEST Syd"), ("10-28 17:30", 90, "TEST")]


def test_a_zone_nothing_explains_is_floating_and_sent_for_review():
    result = read(
        (CALENDARS / "real-world" / "ical_issue_722_missing_VTIMEZONE_custom.ics").read_bytes(),
        "2014-08-29",
        "2014-08-29",
    )
    assert [(o.start, o.floating) for o in result.occurrences] == [
        (datetime(2014, 8, 29, 8, 0, tzinfo=OSLO), True)
    ]
    assert [render_plain(r.reason) for r in result.review] == [
        "The time zone CUSTOM_tzid is unknown; its times are read as local time."
    ]


def test_two_files_defining_the_same_custom_zone_name_differently_do_not_mix():
    def calendar(offset: str) -> bytes:
        zone = (
            "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n"
            f"DTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
        event = 'UID:x\r\nDTSTART;TZID="Customized Time Zone":20260105T090000\r\nDURATION:PT1H\r\nSUMMARY:x'
        return ics(event, head=zone)

    first = read(calendar("+0100"), "2026-01-05", "2026-01-05")
    second = read(calendar("-0500"), "2026-01-05", "2026-01-05")
    again = read(calendar("+0100"), "2026-01-05", "2026-01-05")
    assert [o.start.astimezone(UTC).hour for o in first.occurrences] == [8]
    assert [o.start.astimezone(UTC).hour for o in second.occurrences] == [14]
    assert [o.start.astimezone(UTC).hour for o in again.occurrences] == [8]


def test_a_vtimezone_that_redefines_a_known_name_is_trusted():
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:GMT\r\nBEGIN:DAYLIGHT\r\nDTSTART:19810329T010000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
        "END:DAYLIGHT\r\nBEGIN:STANDARD\r\nDTSTART:19961027T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    data = ics("UID:talk\r\nDTSTART;TZID=GMT:20260701T102000\r\nDURATION:PT30M", head=zone)
    result = read(data, "2026-07-01", "2026-07-01")
    assert [o.start.astimezone(UTC).strftime("%H:%M") for o in result.occurrences] == ["09:20"]


def test_cr_line_ends_a_bom_and_a_fold_inside_a_letter_are_repaired():
    summary = "SUMMARY:Møte".encode()
    folded = summary[:10] + b"\r\n " + summary[10:]  # the fold splits the two bytes of ø
    body = b"\r".join(
        [
            b"BEGIN:VCALENDAR",
            b"BEGIN:VEVENT",
            b"UID:a",
            b"DTSTART:20260105T090000Z",
            b"DURATION:PT1H",
            folded,
            b"END:VEVENT",
            b"END:VCALENDAR",
        ]
    ).replace(b"\r\r\n ", b"\r ")
    result = read(b"\xef\xbb\xbf" + body, "2026-01-05", "2026-01-05")
    assert [o.summary for o in result.occurrences] == ["Møte"]


def test_utf16_and_windows_1252_calendars_are_decoded():
    text = ics("UID:a\r\nDTSTART:20260105T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Kundebesøk").decode()
    assert [
        o.summary for o in read(text.encode("utf-16"), "2026-01-05", "2026-01-05").occurrences
    ] == ["Kundebesøk"]
    latin = read(text.encode("cp1252"), "2026-01-05", "2026-01-05")
    assert [o.summary for o in latin.occurrences] == ["Kundebesøk"]
    assert [render_plain(p.message) for p in latin.repairs] == [
        "The file is not UTF-8; it was read as Windows-1252."
    ]


def test_a_broken_event_costs_only_itself():
    data = ics(
        "UID:good\r\nDTSTART:20260105T090000Z\r\nDURATION:PT1H\r\nSUMMARY:good",
        "UID:bad\r\nDTSTART:2026-01-05\r\nSUMMARY:bad",
        "UID:nostart\r\nSUMMARY:no start",
        "UID:clock\r\nDTSTART;VALUE=TIME:090000\r\nSUMMARY:a time, not a date",
    )
    result = read(data, "2026-01-05", "2026-01-05")
    assert [o.summary for o in result.occurrences] == ["good"]
    assert result.problems == []
    assert [(r.line, r.uid, r.summary, r.start, render_plain(r.reason)) for r in result.review] == [
        (9, "bad", "bad", None, "The event's DTSTART cannot be read, so the event was not read."),
        (14, "nostart", "no start", None, "The event has no start time."),
        (18, "clock", "a time, not a date", None, "The event's start or end cannot be read; it was not read."),
    ]  # fmt: skip
    assert all(r.not_read for r in result.review)


def test_events_far_from_the_period_are_not_even_parsed():
    broken = "UID:old\r\nDTSTART:20100105T090000Z\r\nDTEND:not a time\r\nSUMMARY:old"
    ended = "UID:ended\r\nDTSTART:20200106T090000Z\r\nDTEND:oops\r\nRRULE:FREQ=WEEKLY;COUNT=10"
    current = "UID:now\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nSUMMARY:now"
    result = read(ics(broken, ended, current), "2026-01-05", "2026-01-11")
    assert ([o.uid for o in result.occurrences], result.problems) == (["now"], [])
    result = read(ics(broken, ended, current), "2010-01-01", "2020-02-29")
    assert [(r.uid, r.not_read) for r in result.review] == [("old", True), ("ended", True)]


def test_junk_outside_events_is_dropped_and_noted():
    result = read(
        (CALENDARS / "real-world" / "ical_issue_104_broken_calendar.ics").read_bytes(),
        "2014-04-01",
        "2014-04-01",
    )
    assert [o.summary for o in result.occurrences] == ["Broken Eevnt"]
    assert [(p.line, render_plain(p.message)) for p in result.repairs] == [
        (13, "A line that is not a calendar property was ignored.")
    ]


def test_a_floating_time_is_read_in_the_organisations_zone_and_sent_for_review():
    data = ics("UID:f\r\nDTSTART:20260105T090000\r\nDTEND:20260105T100000\r\nSUMMARY:floating")
    result = read(data, "2026-01-05", "2026-01-05")
    assert [(o.start, o.floating) for o in result.occurrences] == [
        (datetime(2026, 1, 5, 9, 0, tzinfo=OSLO), True)
    ]
    assert [(r.uid, r.start, render_plain(r.reason)) for r in result.review] == [
        (
            "f",
            datetime(2026, 1, 5, 9, 0, tzinfo=OSLO),
            "The event has no time zone; its times were read as Europe/Oslo.",
        )
    ]


SEEDS = [
    (CALENDARS / "google-export.ics").read_bytes()[:3000],
    (CALENDARS / "outlook-export.ics").read_bytes(),
    *[p.read_bytes()[:3000] for p in REAL_WORLD if p.stat().st_size < 4000][:12],
]


@st.composite
def mutated_calendars(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip" and data:
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del data[at : at + draw(st.integers(min_value=1, max_value=120))]
        elif action == "insert":
            snippets = [b"\r\n ", b"\r", b":", b";", b'"', b"\r\nBEGIN:VEVENT\r\n", b"\r\nEND:VEVENT\r\n",
                        b";TZID=Custom", b"\r\nRRULE:FREQ=DAILY;COUNT=99999", b"\r\nEXDATE:", b"\xc3"]  # fmt: skip
            data[at:at] = draw(st.sampled_from(snippets) | st.binary(max_size=20))
        else:
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=400))]
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(mutated_calendars())
def test_a_mutated_calendar_reads_each_occurrence_once_inside_the_period(data):
    result = read(data, "2000-01-01", "2030-12-31", manager_email=MANAGER)

    lines = len(data.splitlines()) + 1
    keys = [(o.uid, o.recurrence_id) for o in result.occurrences]
    note(f"{len(keys)} occurrences, problems {[p.message.text for p in result.problems][:3]}")
    # Nothing counted twice: one occurrence of a series is read once.
    assert len(keys) == len(set(keys))
    # In the period asked for, in order, each lasting a while, each pointing into the file.
    assert [o.start for o in result.occurrences] == sorted(o.start for o in result.occurrences)
    for occurrence in result.occurrences:
        assert result.start <= occurrence.start < result.end
        assert occurrence.end >= occurrence.start
        assert 1 <= occurrence.line <= lines
    # An event left out as unreadable is not also read (a second copy of it may be).
    left_out = {r.line for r in result.review if r.not_read}
    assert not left_out & {o.line for o in result.occurrences}
    for item in [*result.review, *result.problems, *result.repairs]:
        assert 0 <= item.line <= lines
