"""Contract tests: the in-memory fakes and the real repositories give the same answers.

The same scenario runs through `FakeTimeLog`/`FakeTimeSource` and through the Django
repositories (on SQLite, and on PostgreSQL in CI). A rule that only the fake knows, or
only the database, makes the two disagree here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.periods import iso_week
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.sellers import SellerId, SellerProfile
from krutt.services.allocation_report import allocation_report
from krutt.services.ports import SegmentInputs, TeamMember
from krutt.services.record_time import (
    Employment,
    Source,
    TimeLog,
    TimeRecord,
    delete_time,
    edit_time,
    record_time,
)
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import Seller, Team
from krutt.web.timelog.repositories import TimeRepository
from tests.services.fakes import FakeTimeLog
from tests.services.fakes_time import Entry, FakeTimeSource

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 18, 8, tzinfo=UTC)  # Wednesday of week 47, 09:00 in Oslo
WEEK = iso_week("2026-W47")

# (name, started, ended, on the manager's team)
PEOPLE = {
    1: ("Kari Nordmann", date(2020, 1, 1), None, True),
    2: ("Ola Hansen", date(2026, 12, 1), None, True),
    3: ("Per Aasen", date(2019, 1, 1), date(2026, 11, 10), True),
    4: ("Mari Johansen", date(2019, 1, 1), None, False),
    5: ("Siri Berg", date(2026, 9, 1), None, True),
}


@dataclass
class Setup:
    log: TimeLog
    source: object
    ids: dict[int, SellerId]
    manager_id: int


def _fake() -> Setup:
    ids = {n: SellerId(n) for n in PEOPLE}
    team = {
        ids[n]: Employment(
            seller_id=ids[n], name=name, started_on=start, ended_on=end, on_team=on_team
        )
        for n, (name, start, end, on_team) in PEOPLE.items()
    }
    log = FakeTimeLog(team=team)
    members = [
        TeamMember(seller_id=ids[n], email=f"s{n}@x.no", name=name, started_on=s, ended_on=e)
        for n, (name, s, e, on) in PEOPLE.items()
        if on
    ]
    others = [
        TeamMember(seller_id=ids[n], email=f"s{n}@x.no", name=name, started_on=s, ended_on=e)
        for n, (name, s, e, on) in PEOPLE.items()
        if not on
    ]
    inputs = [
        SegmentInputs(
            profile=SellerProfile(seller_id=ids[n], started_on=s),
            rules=SegmentationRules(),
            results=[],
            overrides=[],
        )
        for n, (_, s, _e, _o) in PEOPLE.items()
    ]

    class Source_(FakeTimeSource):
        def __init__(self) -> None:
            super().__init__(members=members, entries=[], inputs=inputs, others=others)

        def period_time(self, **kwargs):  # type: ignore[no-untyped-def]
            self.entries = [
                Entry(started_at=e.started_at, minutes=e.minutes, seller_ids=e.seller_ids)
                for e in log.entries.values()
            ]
            return super().period_time(**kwargs)

    return Setup(log=log, source=Source_(), ids=ids, manager_id=7)


def _database() -> Setup:
    organisation = Organisation.objects.create(name="Kontrakt AS")
    manager = User.objects.create_user(
        "sjef@x.no", "pw-long-enough-1", organisation=organisation, role=Role.MANAGER
    )
    other = User.objects.create_user(
        "annen@x.no", "pw-long-enough-2", organisation=organisation, role=Role.MANAGER
    )
    mine = Team.objects.create(organisation=organisation, name="Mitt", manager=manager)
    theirs = Team.objects.create(organisation=organisation, name="Deres", manager=other)
    ids = {}
    for n, (name, start, end, on_team) in PEOPLE.items():
        seller = Seller.objects.create(
            organisation=organisation,
            team=mine if on_team else theirs,
            name=name,
            email=f"s{n}@x.no",
            started_on=start,
            ended_on=end,
        )
        ids[n] = SellerId(seller.pk)
    repository = TimeRepository(organisation, actor=manager, channel="web")
    return Setup(log=repository, source=repository, ids=ids, manager_id=manager.pk)


@pytest.fixture(params=["fake", "database"])
def setup(request, db) -> Setup:
    return _fake() if request.param == "fake" else _database()


def _record(setup: Setup, *sellers: int, at: datetime, minutes: int = 60, **kw) -> int:
    return record_time(
        log=setup.log,
        record=TimeRecord(
            seller_ids=tuple(setup.ids[s] for s in sellers),
            started_at=at,
            minutes=minutes,
            activity=Activity.COACHING,
            **kw,
        ),
        manager_id=setup.manager_id,
        zone=OSLO,
        now=NOW,
    ).entry_id


@pytest.mark.parametrize(
    ("sellers", "message"),
    [
        ((2,), "Ola Hansen started 2026-12-01; time on 2026-11-17 cannot be logged for them."),
        ((1, 3), "Per Aasen left 2026-11-10; time on 2026-11-17 cannot be logged for them."),
        ((4,), "Mari Johansen is not on your team on 2026-11-17."),
    ],
)
def test_both_logs_refuse_the_same_sellers_with_the_same_sentence(setup, sellers, message):
    with pytest.raises(InvalidInput) as error:
        _record(setup, *sellers, at=datetime(2026, 11, 17, 8, tzinfo=UTC))
    assert render_plain(error.value.message) == message
    assert setup.log.stored_entry(1, manager_id=setup.manager_id) is None


def test_both_logs_store_correct_and_delete_the_same_entry(setup):
    entry_id = _record(
        setup, 1, 1, 5, at=datetime(2026, 11, 15, 23, 30, tzinfo=UTC), note=" n ", energy=2
    )
    stored = setup.log.stored_entry(entry_id, manager_id=setup.manager_id)
    assert stored is not None
    assert (stored.day, stored.seller_ids, stored.note, stored.energy, stored.source) == (
        date(2026, 11, 16),
        (setup.ids[1], setup.ids[5]),
        "n",
        2,
        Source.MANUAL,
    )
    assert stored.ended_at == datetime(2026, 11, 16, 0, 30, tzinfo=UTC)
    edit_time(
        log=setup.log,
        entry_id=entry_id,
        record=TimeRecord(
            seller_ids=(setup.ids[5],),
            started_at=datetime(2026, 11, 17, 8, tzinfo=UTC),
            minutes=30,
            activity=Activity.ONE_ON_ONE,
        ),
        manager_id=setup.manager_id,
        zone=OSLO,
        now=NOW,
    )
    edited = setup.log.stored_entry(entry_id, manager_id=setup.manager_id)
    assert edited is not None
    assert (edited.seller_ids, edited.minutes, edited.activity, edited.day) == (
        (setup.ids[5],),
        30,
        Activity.ONE_ON_ONE,
        date(2026, 11, 17),
    )
    assert setup.log.stored_entry(entry_id, manager_id=setup.manager_id + 1000) is None
    delete_time(log=setup.log, entry_id=entry_id, manager_id=setup.manager_id)
    assert setup.log.stored_entry(entry_id, manager_id=setup.manager_id) is None


def test_both_sources_give_the_same_report_with_planned_time_apart(setup):
    _record(setup, 1, at=datetime(2026, 11, 15, 23, 30, tzinfo=UTC))  # Monday 00:30 in Oslo
    _record(setup, 1, at=datetime(2026, 11, 15, 22, 30, tzinfo=UTC))  # Sunday: week 46
    _record(setup, 1, 5, at=datetime(2026, 11, 18, 7, tzinfo=UTC))  # ends at NOW: happened
    # A planned meeting later today (entered by hand up to a day ahead).
    _record(setup, 5, at=datetime(2026, 11, 18, 12, tzinfo=UTC), minutes=45)
    report = allocation_report(
        manager_id=setup.manager_id, period=WEEK, policy=BIZTOOLS, source=setup.source, now=NOW
    )
    assert report.allocation.seller_minutes == 120
    assert report.planned.seller_minutes == 45
    assert {(s.email, s.minutes) for s in report.allocation.sellers} == {
        ("s1@x.no", 90),
        ("s5@x.no", 30),
    }
    # Per left before the week: not on the report; Mari is on another team without time.
    assert {s.email for s in report.allocation.sellers} == {"s1@x.no", "s5@x.no"}
    assert {
        segment.value: (a.minutes, a.sellers) for segment, a in report.allocation.segments.items()
    } == {"top": (0, 0), "new": (30, 1), "core": (90, 1), "under": (0, 0)}


def test_the_database_log_audits_who_did_it_and_through_which_surface(db):
    setup = _database()
    entry_id = _record(setup, 1, at=datetime(2026, 11, 17, 8, tzinfo=UTC))
    event = AuditEvent.objects.get(object_type="time_entry", object_id=str(entry_id))
    assert (event.action, event.actor_label, event.channel, event.changes["minutes"]) == (
        "time_entry.create",
        "sjef@x.no",
        "web",
        60,
    )


def test_a_refused_entry_leaves_no_row_and_no_audit_in_the_database(db):
    setup = _database()
    with pytest.raises(InvalidInput):
        _record(setup, 1, 2, at=datetime(2026, 11, 17, 8, tzinfo=UTC))
    assert AuditEvent.objects.filter(object_type="time_entry").count() == 0
    assert not setup.log.stored_entry(1, manager_id=setup.manager_id)
