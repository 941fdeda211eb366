"""Time with sellers from the manager's calendar, by the counting rules."""

import json
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from krutt.domain.activities import Activity
from krutt.domain.allocation import RosterSeller, TimeFact, allocate_time, time_by_segment
from krutt.domain.messages import render_plain
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.importers.calendar import (
    Attendee,
    CalendarOccurrence,
    CalendarRead,
    EventStatus,
    Transparency,
    read_calendar,
)
from krutt.importers.roster import read_roster
from krutt.services.calendar_time import CalendarTime, Meeting, collect_calendar_time
from krutt.services.deal_actuals import SellerDirectoryEntry
from krutt.services.record_time import TimeRecord
from tests.conftest import DATA

OSLO = ZoneInfo("Europe/Oslo")
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
MANAGER = EXPECTED["manager"]


def sample_directory() -> list[SellerDirectoryEntry]:
    roster = read_roster((DATA / "sellers.csv").read_bytes())
    return [
        SellerDirectoryEntry(
            seller_id=SellerId(number), email=row.email, aliases=row.aliases, name=row.name
        )
        for number, row in enumerate(roster.rows, start=1)
    ]


def week_time(file: str, week: str) -> tuple[CalendarTime, list[SellerDirectoryEntry]]:
    first = date.fromisoformat(EXPECTED[week]["from"])
    last = date.fromisoformat(EXPECTED[week]["to"])
    read = read_calendar(
        (DATA / "calendars" / file).read_bytes(),
        zone=OSLO,
        start=datetime.combine(first, datetime.min.time(), OSLO),
        end=datetime.combine(last + timedelta(days=1), datetime.min.time(), OSLO),
        manager_email=MANAGER,
    )
    directory = sample_directory()
    return collect_calendar_time(
        calendar=read, manager_email=MANAGER, directory=directory
    ), directory


@pytest.mark.parametrize(
    ("file", "week"), [("google-export.ics", "google_week"), ("outlook-export.ics", "outlook_week")]
)
def test_each_sample_week_gives_the_expected_hours_per_seller_and_segment(file, week):
    found, directory = week_time(file, week)
    expected = EXPECTED[week]
    emails = {entry.seller_id: entry.email for entry in directory}
    segments = {
        entry.seller_id: Segment(EXPECTED["segments"][entry.email]["segment"])
        for entry in directory
    }
    facts = [
        TimeFact(
            entry_id=i,
            day=c.record.started_at.date(),
            minutes=c.record.minutes,
            seller_ids=c.record.seller_ids,
        )
        for i, c in enumerate(found.meetings)
    ]
    roster = [
        RosterSeller(
            seller_id=e.seller_id, email=e.email, name=e.name, segment_at_end=segments[e.seller_id]
        )
        for e in directory
    ]
    allocation = allocate_time(
        time=time_by_segment(facts, lambda seller, day: segments[seller]),
        roster=roster,
        policy=BIZTOOLS,
    )
    hours = {emails[row.seller_id]: row.minutes / 60 for row in allocation.sellers}
    assert {email: round(float(h), 4) for email, h in hours.items()} == expected["sellers"]
    assert allocation.seller_minutes / 60 == Fraction(str(expected["seller_hours"]))
    assert allocation.team_wide_minutes == 0
    for segment, values in expected["segments"].items():
        result = allocation.segments[Segment(segment)]
        assert float(result.minutes / 60) == pytest.approx(values["hours"], abs=1e-9)
        assert result.sellers == values["sellers"]
        assert result.status.value == values["status"]


def test_the_google_week_candidates_carry_keys_activities_and_how_sellers_were_found():
    found, _ = week_time("google-export.ics", "google_week")
    assert [
        (
            c.record.started_at.strftime("%a %H:%M"),
            c.record.minutes,
            c.record.activity,
            c.matched_by,
        )
        for c in found.meetings
    ] == [
        ("Mon 08:30", 30, Activity.ONE_ON_ONE, "email"),
        ("Mon 10:00", 90, Activity.ONE_ON_ONE, "email"),
        ("Mon 14:00", 60, Activity.PIPELINE_REVIEW, "email"),
        ("Tue 09:00", 120, Activity.TRAINING, "email"),
        ("Wed 09:00", 180, Activity.JOINT_MEETING, "email"),
        ("Wed 14:00", 90, Activity.ONE_ON_ONE, "email"),
        ("Thu 09:00", 60, Activity.COACHING, "email"),
        ("Thu 13:00", 90, Activity.TRAINING, "email"),
        ("Fri 08:00", 60, Activity.COACHING, "email"),
        ("Fri 09:00", 60, Activity.TRAINING, "email"),
    ]
    assert found.meetings[0].record.key == "c87449d41aca374f0000@google.com|20261102T073000Z"
    assert found.meetings[7].record.seller_ids == (SellerId(3), SellerId(2))  # MJ@ is Mari's alias
    assert len(found.meetings[8].record.seller_ids) == 8
    assert len(found.busy) == 10
    assert found.review == []


def test_the_outlook_week_finds_sellers_by_full_name_in_the_subject():
    found, _ = week_time("outlook-export.ics", "outlook_week")
    assert [(c.summary, c.record.seller_ids, c.matched_by) for c in found.meetings] == [
        ("1:1 Kari Nordmann", (SellerId(1),), "name"),
        ("Coaching Ingrid Larsen", (SellerId(5),), "name"),
        ("Oppfølging Martin Kristiansen", (SellerId(8),), "name"),
    ]
    assert [b.start.strftime("%a %H:%M") for b in found.busy] == [
        "Mon 08:30",
        "Tue 09:00",
        "Wed 10:00",
        "Thu 12:00",
    ]


KARI = Attendee(email="kari@x.no", name="Kari", partstat="ACCEPTED", kind="INDIVIDUAL")
OLA = Attendee(email="ola@x.no", name="Ola", partstat="ACCEPTED", kind="INDIVIDUAL")
ME = Attendee(email="boss@x.no", name="Boss", partstat="ACCEPTED", kind="INDIVIDUAL")
ROOM = Attendee(
    email="room-4@resource.calendar.google.com", name="Rom 4", partstat="ACCEPTED", kind="RESOURCE"
)
DIRECTORY = [
    SellerDirectoryEntry(seller_id=SellerId(1), email="kari@x.no", name="Kari Nordmann"),
    SellerDirectoryEntry(
        seller_id=SellerId(2), email="ola@x.no", aliases=("oh@x.no",), name="Ola Hansen"
    ),
]


def occurrence(**overrides: Any) -> CalendarOccurrence:
    start = overrides.pop("start", datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    fields: dict[str, Any] = {
        "line": 3,
        "uid": "u1",
        "recurrence_id": None,
        "start": start,
        "end": start + timedelta(hours=1),
        "all_day": False,
        "floating": False,
        "summary": "Møte",
        "status": EventStatus.CONFIRMED,
        "transparency": Transparency.BUSY,
        "private": False,
        "organizer_email": "boss@x.no",
        "attendees": (KARI, ME),
        "manager_partstat": None,
    }
    fields.update(overrides)
    return CalendarOccurrence(**fields)


def collect(*occurrences: CalendarOccurrence) -> CalendarTime:
    read = CalendarRead(
        zone=OSLO,
        start=datetime(2026, 11, 16, tzinfo=OSLO),
        end=datetime(2026, 11, 23, tzinfo=OSLO),
        occurrences=list(occurrences),
        problems=[],
        review=[],
        repairs=[],
        events=len(occurrences),
    )
    return collect_calendar_time(calendar=read, manager_email="Boss@x.no", directory=DIRECTORY)


def test_an_occurrence_with_sellers_becomes_a_candidate_with_all_of_them():
    found = collect(
        occurrence(attendees=(KARI, replace_email(OLA, "OH@x.no"), ME, ROOM), summary="Salgsmøte")
    )
    assert found.meetings == [
        Meeting(
            record=TimeRecord(
                seller_ids=(SellerId(1), SellerId(2)),
                started_at=datetime(2026, 11, 16, 9, 0, tzinfo=OSLO),
                minutes=60,
                activity=Activity.COACHING,
                key="u1|",
            ),
            line=3,
            summary="Salgsmøte",
            matched_by="email",
        )
    ]


def replace_email(attendee: Attendee, email: str) -> Attendee:
    return Attendee(
        email=email.lower(), name=attendee.name, partstat=attendee.partstat, kind=attendee.kind
    )


@pytest.mark.parametrize(
    "excluded",
    [
        {
            "all_day": True,
            "end": datetime(2026, 11, 17, tzinfo=OSLO),
            "start": datetime(2026, 11, 16, tzinfo=OSLO),
        },
        {"status": EventStatus.CANCELLED},
        {
            "attendees": (
                KARI,
                Attendee(email="boss@x.no", name="", partstat="DECLINED", kind="INDIVIDUAL"),
            )
        },
    ],
    ids=["all-day", "cancelled", "manager-declined"],
)
def test_all_day_cancelled_and_manager_declined_events_do_not_count_nor_block_time(excluded):
    found = collect(occurrence(**excluded))
    assert (found.meetings, found.busy) == ([], [])


def test_a_seller_who_declined_is_not_counted_for_that_event():
    declined = Attendee(email="ola@x.no", name="Ola", partstat="DECLINED", kind="INDIVIDUAL")
    found = collect(
        occurrence(attendees=(KARI, declined, ME)), occurrence(uid="u2", attendees=(declined, ME))
    )
    assert [(c.record.key.partition("|")[0], c.record.seller_ids) for c in found.meetings] == [
        ("u1", (SellerId(1),))
    ]
    assert [b.key.partition("|")[0] for b in found.busy] == ["u1", "u2"]


def test_names_in_the_subject_count_only_when_the_event_has_no_attendees():
    found = collect(
        occurrence(uid="alone", attendees=(), summary="Coaching: kari  NORDMANN / Ola Hansen"),
        occurrence(uid="self", attendees=(ME, ROOM), summary="1:1 Ola Hansen"),
        occurrence(
            uid="guest",
            attendees=(
                ME,
                Attendee(email="kunde@y.no", name="", partstat="ACCEPTED", kind="INDIVIDUAL"),
            ),
            summary="Lunsj med Kari Nordmann",
        ),
    )
    assert [
        (c.record.key.partition("|")[0], c.record.seller_ids, c.matched_by) for c in found.meetings
    ] == [
        ("alone", (SellerId(1), SellerId(2)), "name"),
        ("self", (SellerId(2),), "name"),
    ]
    assert [(r.uid, render_plain(r.reason)) for r in found.review] == [
        (
            "guest",
            "The subject mentions Kari, but no seller was recognised; check who the time was with.",
        )
    ]


def test_a_first_name_alone_is_sent_for_review_not_guessed():
    directory_with_martin = [
        *DIRECTORY,
        SellerDirectoryEntry(seller_id=SellerId(3), email="m@x.no", name="Martin Kristiansen"),
    ]
    read = CalendarRead(
        zone=OSLO,
        start=datetime(2026, 11, 16, tzinfo=OSLO),
        end=datetime(2026, 11, 23, tzinfo=OSLO),
        occurrences=[
            occurrence(attendees=(), summary="Oppfølging Martin"),
            occurrence(uid="u2", attendees=(), summary="Styremøte"),
        ],
        problems=[],
        review=[],
        repairs=[],
        events=2,
    )
    found = collect_calendar_time(
        calendar=read, manager_email="boss@x.no", directory=directory_with_martin
    )
    assert found.meetings == []
    assert [(r.uid, render_plain(r.reason)) for r in found.review] == [
        (
            "u1",
            "The subject mentions Martin, but no seller was recognised; check who the time was with.",
        )
    ]
    assert [b.key.partition("|")[0] for b in found.busy] == ["u1", "u2"]


def test_time_marked_free_counts_but_does_not_block_the_managers_calendar():
    found = collect(occurrence(transparency=Transparency.FREE))
    assert [c.record.minutes for c in found.meetings] == [60]
    assert found.busy == []


@pytest.mark.parametrize(
    ("summary", "activity"),
    [
        ("1:1 Kari", Activity.ONE_ON_ONE),
        ("Oppfolging Kari", Activity.ONE_ON_ONE),
        ("Kundebesøk Fjordfisk", Activity.JOINT_MEETING),
        ("Medbesøk hos kunde", Activity.JOINT_MEETING),
        ("Pipelinegjennomgang", Activity.PIPELINE_REVIEW),
        ("Produktopplæring", Activity.TRAINING),
        ("Onboarding uke 2", Activity.TRAINING),
        ("Prestasjonssamtale", Activity.PERFORMANCE_TALK),
        ("Medarbeidersamtale høst", Activity.PERFORMANCE_TALK),
        ("Karriereprat", Activity.CAREER_TALK),
        ("Intervju selger", Activity.RECRUITMENT),
        ("Coaching call", Activity.COACHING),
        ("Møte kl 11:15", Activity.COACHING),
    ],
)
def test_the_activity_comes_from_norwegian_and_english_keywords(summary, activity):
    assert [c.record.activity for c in collect(occurrence(summary=summary)).meetings] == [activity]


def test_an_organisation_can_use_its_own_keywords_and_default():
    read = CalendarRead(
        zone=OSLO,
        start=datetime(2026, 11, 16, tzinfo=OSLO),
        end=datetime(2026, 11, 23, tzinfo=OSLO),
        occurrences=[occurrence(summary="Ukesjekk"), occurrence(uid="u2", summary="Møte")],
        problems=[],
        review=[],
        repairs=[],
        events=2,
    )
    found = collect_calendar_time(
        calendar=read,
        manager_email="boss@x.no",
        directory=DIRECTORY,
        keywords=[("ukesjekk", Activity.ONE_ON_ONE)],
        default_activity=Activity.ADMIN,
    )
    assert [c.record.activity for c in found.meetings] == [Activity.ONE_ON_ONE, Activity.ADMIN]
