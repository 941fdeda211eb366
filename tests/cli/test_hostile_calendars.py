"""Hostile calendar files (issue 14): a cut-short or redefined standard zone, through the database."""

from __future__ import annotations

from datetime import UTC, datetime

from krutt.web.timelog.models import TimeEntry
from tests.conftest import DATA

HOSTILE = DATA / "hostile"
MANAGER = "ingrid.berg@nordlys.example"


def _import(krutt, name: str, *args: str):
    return krutt(
        "import", "calendar", HOSTILE / name, "--manager", MANAGER, "--json", "--lang", "en", *args
    )


def test_a_meeting_before_a_cut_short_zone_is_stored_at_its_real_time(sample_team):
    # given Europe/Berlin defined from 2018-10-28 only, and a coaching on 2018-09-04 10:00
    result = _import(
        sample_team, "berlin-cut-short.ics", "--from", "2018-09-01", "--to", "2018-09-30"
    )
    # then the entry starts at 08:00 UTC (10:00 Berlin summer time), with nothing to review
    assert result.code == 0, result.err
    assert result.json["review"] == []
    assert list(TimeEntry.objects.values_list("started_at", "minutes")) == [
        (datetime(2018, 9, 4, 8, 0, tzinfo=UTC), 60)
    ]


def test_a_weekly_series_past_a_truncated_zone_is_stored_at_its_wall_time(sample_team):
    result = _import(
        sample_team, "stockholm-truncated.ics", "--from", "2018-01-01", "--to", "2021-12-31"
    )
    assert result.code == 0, result.err
    starts = list(TimeEntry.objects.order_by("started_at").values_list("started_at", flat=True))
    assert len(starts) == 200
    # 09:00 in Stockholm is 07:00 UTC in summer and 08:00 in winter, both before and after
    # the span the file's definition covers (2018-10-28 to 2020-10-25)
    by_day = {s.date().isoformat(): s.astimezone(UTC).hour for s in starts}
    assert (by_day["2018-07-02"], by_day["2018-12-03"]) == (7, 8)
    assert (by_day["2021-07-05"], by_day["2021-11-01"]) == (7, 8)


def test_a_zone_the_file_defines_otherwise_is_kept_and_listed_for_review(sample_team):
    result = _import(
        sample_team, "berlin-without-summer-time.ics", "--from", "2026-01-01", "--to", "2026-08-31"
    )
    assert result.code == 0, result.err
    assert result.json["review"] == [
        {
            "line": 4,
            "uid": None,
            "start": "2026-04-01T11:00:00+02:00",
            "summary": "",
            "reason": "The file's Europe/Berlin differs from the standard zone on 18 events; "
            "the file's definition was used.",
            "not_read": False,
        }
    ]
    # the file's definition was used: 10:00 at +01:00 all year
    starts = list(TimeEntry.objects.values_list("started_at", flat=True))
    assert len(starts) == 30
    assert {s.astimezone(UTC).strftime("%H:%M") for s in starts} == {"09:00"}


def test_the_review_line_is_said_in_norwegian(sample_team):
    result = sample_team(
        "import",
        "calendar",
        HOSTILE / "berlin-without-summer-time.ics",
        "--manager",
        MANAGER,
        "--from",
        "2026-07-01",
        "--to",
        "2026-07-31",
        "--dry-run",
        "--lang",
        "nb",
    )
    assert result.code == 0, result.err
    assert (
        "Til gjennomgang (linje 4, 2026-07-01 11:00) –: Filens tidssone Europe/Berlin avviker fra "
        "standard tidssone for 5 hendelser; filens definisjon er brukt."
    ) in result.out.splitlines()
