"""A file's own definition of a standard zone: the standard zone outside its span, listed where
it disagrees inside (issue 14, item 1)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from krutt.domain.messages import render_plain
from krutt.importers.ics_zone_span import Span, definition_span
from tests.conftest import DATA
from tests.importers.ics_files import ics, read, review

HOSTILE = DATA / "hostile"
REAL_WORLD = DATA / "calendars" / "real-world"
BERLIN = ZoneInfo("Europe/Berlin")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_an_event_before_a_cut_short_definition_is_read_in_the_standard_zone():
    # given a file whose Europe/Berlin starts on 2018-10-28, and a meeting on 2018-09-04 10:00
    data = (HOSTILE / "berlin-cut-short.ics").read_bytes()
    # when September 2018 is read
    result = read(data, "2018-09-01", "2018-09-30")
    # then the meeting is at 08:00 UTC (summer time in Berlin), not an hour late
    assert [o.start.astimezone(UTC) for o in result.occurrences] == [
        datetime(2018, 9, 4, 8, 0, tzinfo=UTC)
    ]
    assert [o.end.astimezone(UTC) for o in result.occurrences] == [
        datetime(2018, 9, 4, 9, 0, tzinfo=UTC)
    ]
    # and nothing is listed: the standard zone is what the file names
    assert review(result) == []


def test_a_weekly_series_past_both_ends_of_a_truncated_definition_keeps_its_wall_time():
    # given iCalcreator's definition with transitions from 2018-10-28 to 2020-10-25 only,
    # and a Monday 09:00 series from January 2018 to November 2021
    data = (HOSTILE / "stockholm-truncated.ics").read_bytes()
    # when the four years are read
    result = read(data, "2018-01-01", "2021-12-31")
    # then every one of the 200 meetings is at 09:00 in Stockholm, summer and winter
    local = [o.start.astimezone(STOCKHOLM) for o in result.occurrences]
    assert len(local) == 200
    assert {t.strftime("%a %H:%M") for t in local} == {"Mon 09:00"}
    assert local[0] == datetime(2018, 1, 8, 9, tzinfo=STOCKHOLM)
    assert local[-1] == datetime(2021, 11, 1, 9, tzinfo=STOCKHOLM)
    summer_2018 = next(t for t in local if t.date().isoformat() == "2018-07-02")
    summer_2021 = next(t for t in local if t.date().isoformat() == "2021-07-05")
    assert summer_2018.astimezone(UTC).hour == summer_2021.astimezone(UTC).hour == 7
    assert review(result) == []


def test_a_definition_that_disagrees_inside_its_span_is_kept_and_listed_once():
    # given a file that names Europe/Berlin but defines it without summer time, and a
    # Wednesday 10:00 series from January to July 2026
    data = (HOSTILE / "berlin-without-summer-time.ics").read_bytes()
    # when the period is read
    result = read(data, "2026-01-01", "2026-08-31")
    # then the file's definition is kept: every meeting at 10:00 +01:00
    assert {o.start.astimezone(UTC).strftime("%H:%M") for o in result.occurrences} == {"09:00"}
    assert len(result.occurrences) == 30
    # and the 18 meetings from summer time on are listed as one item, on the zone's line
    assert review(result) == [
        (
            4,
            "The file's Europe/Berlin differs from the standard zone on 18 events; "
            "the file's definition was used.",
            False,
        )
    ]
    assert result.review[0].start == datetime(2026, 4, 1, 9, tzinfo=UTC)
    assert result.review[0].uid is None


def test_one_event_that_disagrees_is_said_in_the_singular():
    data = (HOSTILE / "berlin-without-summer-time.ics").read_bytes()
    result = read(data, "2026-07-29", "2026-07-29")
    assert [render_plain(item.reason) for item in result.review] == [
        "The file's Europe/Berlin differs from the standard zone on 1 event; "
        "the file's definition was used."
    ]


def test_a_complete_definition_that_matches_the_standard_zone_lists_nothing():
    # given a real-world file (python-recurring-ical-events) with the whole Berlin rules
    data = (REAL_WORLD / "rie_daylight_saving_time.ics").read_bytes()
    result = read(data, "2019-02-01", "2019-12-31")
    # then no occurrence is marked as differing and nothing about zones is listed
    assert result.occurrences
    assert {o.zone_differs for o in result.occurrences} == {None}
    assert not [i for i in review(result) if "standard zone" in i[1]]


def test_inside_the_span_the_cut_short_definition_agrees_and_lists_nothing():
    # a meeting in July 2019 is inside the definition, which gives summer time there
    zone = (HOSTILE / "berlin-cut-short.ics").read_text(encoding="utf-8")
    head = zone[zone.index("BEGIN:VTIMEZONE") : zone.index("BEGIN:VEVENT")]
    data = ics("UID:july\r\nDTSTART;TZID=Europe/Berlin:20190702T100000\r\nDURATION:PT1H", head=head)
    result = read(data, "2019-07-01", "2019-07-31")
    assert [o.start.astimezone(UTC).hour for o in result.occurrences] == [8]
    assert review(result) == []


@pytest.mark.parametrize(
    ("lines", "span"),
    [
        # open-ended yearly rules: from the first onset on, for ever
        (
            (
                "BEGIN:STANDARD",
                "DTSTART:20181028T030000",
                "TZOFFSETTO:+0100",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "END:STANDARD",
                "BEGIN:DAYLIGHT",
                "DTSTART:20190331T020000",
                "TZOFFSETTO:+0200",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "END:DAYLIGHT",
            ),
            Span(datetime(2018, 10, 28, 3), None),
        ),
        # rules that stop (UNTIL, COUNT): to the last onset
        (
            (
                "BEGIN:STANDARD",
                "DTSTART:20181028T030000",
                "TZOFFSETTO:+0100",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;COUNT=3",
                "END:STANDARD",
                "BEGIN:DAYLIGHT",
                "DTSTART:20190331T020000",
                "TZOFFSETTO:+0200",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20200329T010000Z",
                "END:DAYLIGHT",
            ),
            Span(datetime(2018, 10, 28, 3), datetime(2020, 10, 25, 3)),
        ),
        # RFC 7808's TZUNTIL says where a truncated definition ends
        (
            (
                "TZUNTIL:20210101T000000Z",
                "BEGIN:STANDARD",
                "DTSTART:20181028T030000",
                "TZOFFSETTO:+0100",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "END:STANDARD",
            ),
            Span(datetime(2018, 10, 28, 3), datetime(2021, 1, 1)),
        ),
        # one fixed offset has no end
        (
            ("BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETTO:+0100", "END:STANDARD"),
            Span(datetime(1970, 1, 1), None),
        ),
    ],
)
def test_the_span_a_definition_covers(lines, span):
    assert definition_span(lines) == span


def test_a_definition_without_onsets_has_no_span():
    assert definition_span(("BEGIN:STANDARD", "TZOFFSETTO:+0100", "END:STANDARD")) is None
