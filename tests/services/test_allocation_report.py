"""The report use case: the period's local days, each entry judged by the segment of its day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from krutt.domain.periods import iso_week
from krutt.domain.policy import BIZTOOLS, CORE_FOCUS
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.allocation_report import allocation_report
from krutt.services.ports import SegmentInputs, TeamMember
from tests.builders import make_profile, steady_results
from tests.services.fakes_time import Entry, FakeTimeSource

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
RULES = SegmentationRules()


def member(
    seller_id: int, started_on: date = date(2019, 1, 1), ended_on: date | None = None
) -> TeamMember:
    return TeamMember(
        seller_id=SellerId(seller_id),
        email=f"s{seller_id}@x.no",
        name=f"S{seller_id}",
        started_on=started_on,
        ended_on=ended_on,
    )


def inputs(seller_id: int, attainment: str, started_on: date = date(2019, 1, 1)) -> SegmentInputs:
    return SegmentInputs(
        profile=make_profile(seller_id, started_on),
        rules=RULES,
        results=steady_results("2025-01", "2026-12", attainment=attainment),
        overrides=[],
    )


def entry(entry_id: int, when: datetime, minutes: int, *sellers: int) -> Entry:
    return Entry(started_at=when, minutes=minutes, seller_ids=sellers)


def test_an_entry_belongs_to_the_local_day_it_started_on():
    # 23:30 UTC on Sunday 15 November is 00:30 on Monday the 16th in Oslo: week 47, not 46.
    source = FakeTimeSource(
        members=[member(1)],
        entries=[
            entry(1, datetime(2026, 11, 15, 23, 30, tzinfo=UTC), 60, 1),
            entry(2, datetime(2026, 11, 15, 22, 30, tzinfo=UTC), 30, 1),
        ],
        inputs=[inputs(1, "1.2")],
    )
    report = allocation_report(
        manager_id=1, now=NOW, period=iso_week("2026-W47"), policy=BIZTOOLS, source=source
    )
    assert report.allocation.seller_minutes == 60


def test_the_report_judges_against_the_policy_it_is_given():
    source = FakeTimeSource(
        members=[member(1), member(2)],
        entries=[
            entry(1, datetime(2026, 11, 17, 8, tzinfo=UTC), 60, 1),
            entry(2, datetime(2026, 11, 18, 8, tzinfo=UTC), 60, 2),
        ],
        inputs=[inputs(1, "1.2"), inputs(2, "0.85")],
    )
    week = iso_week("2026-W47")
    biz = allocation_report(manager_id=1, now=NOW, period=week, policy=BIZTOOLS, source=source)
    core = allocation_report(manager_id=1, now=NOW, period=week, policy=CORE_FOCUS, source=source)
    assert biz.allocation.segments[Segment.TOP].status.value == "within"
    assert biz.allocation.segments[Segment.CORE].status.value == "above"
    assert core.allocation.segments[Segment.TOP].status.value == "above"
    assert core.allocation.segments[Segment.CORE].status.value == "within"
    assert [(m.source, m.target) for m in biz.moves] == [(Segment.CORE, Segment.TOP)]


def test_a_seller_who_moved_team_still_counts_for_the_time_they_got():
    moved = member(9)
    source = FakeTimeSource(
        members=[member(1)],
        entries=[entry(1, datetime(2026, 11, 17, 8, tzinfo=UTC), 30, 9)],
        inputs=[inputs(1, "1.2"), inputs(9, "0.5")],
        others=[moved],
    )
    report = allocation_report(
        manager_id=1, now=NOW, period=iso_week("2026-W47"), policy=BIZTOOLS, source=source
    )
    assert report.allocation.segments[Segment.UNDER].minutes == 30
    assert {r.email for r in report.allocation.sellers} == {"s1@x.no", "s9@x.no"}


def test_a_seller_who_left_before_the_period_is_not_on_the_report():
    source = FakeTimeSource(
        members=[member(1), member(2, ended_on=date(2026, 10, 31))],
        entries=[],
        inputs=[inputs(1, "1.2"), inputs(2, "0.9")],
    )
    report = allocation_report(
        manager_id=1, now=NOW, period=iso_week("2026-W47"), policy=BIZTOOLS, source=source
    )
    assert [r.email for r in report.allocation.sellers] == ["s1@x.no"]
    assert report.allocation.segments[Segment.CORE].status.value == "empty"


def test_time_that_has_not_happened_yet_is_planned_not_counted():
    # Wednesday 18 November, 09:00 Oslo: the 08:00 meeting is over, the 10:00 one is not.
    now = datetime(2026, 11, 18, 8, tzinfo=UTC)
    source = FakeTimeSource(
        members=[member(1), member(2)],
        entries=[
            entry(1, datetime(2026, 11, 18, 7, tzinfo=UTC), 60, 1),
            entry(2, datetime(2026, 11, 18, 9, tzinfo=UTC), 90, 1),
            entry(3, datetime(2026, 11, 20, 9, tzinfo=UTC), 30, 2),
            # Ends exactly now: it has happened.
            entry(4, datetime(2026, 11, 18, 7, 30, tzinfo=UTC), 30, 2),
        ],
        inputs=[inputs(1, "1.2"), inputs(2, "0.85")],
    )
    report = allocation_report(
        manager_id=1, now=now, period=iso_week("2026-W47"), policy=BIZTOOLS, source=source
    )
    assert report.allocation.seller_minutes == 90
    assert report.allocation.segments[Segment.TOP].minutes == 60
    assert report.planned.seller_minutes == 120
    assert report.planned.segments[Segment.TOP].minutes == 90
    assert report.planned.segments[Segment.CORE].minutes == 30
