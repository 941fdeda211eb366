"""Rows for web tests: an organisation with two teams, their managers, a director and an admin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from krutt.domain.months import Month
from krutt.domain.periods import iso_week_label
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.clock import today_in
from krutt.web.imports.models import ImportBatch
from krutt.web.planning.models import PlannedSlot
from krutt.web.sellers.models import MonthlyResult, SegmentOverride, Seller, SellerNote, Team
from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller

PASSWORD = "a-long-test-password-2026"
OSLO = ZoneInfo("Europe/Oslo")


def make_user(organisation: Organisation, email: str, role: str, name: str = "") -> User:
    return User.objects.create_user(
        email, PASSWORD, organisation=organisation, role=role, name=name or email
    )


def make_seller(
    team: Team, name: str, email: str, started_on: date, attainment: str | None = "1.0"
) -> Seller:
    seller = Seller.objects.create(
        organisation=team.organisation, team=team, name=name, email=email, started_on=started_on
    )
    if attainment is not None:
        today = date.today()
        for i in range(1, 25):
            month = Month.of(today).plus(-i)
            if month.first_day() < started_on:
                break
            MonthlyResult.objects.create(
                seller=seller,
                month=month.first_day(),
                target=Decimal(100000),
                actual=Decimal(100000) * Decimal(attainment),
            )
    return seller


def make_entry(
    manager: User,
    sellers: list[Seller],
    day: date,
    minutes: int,
    activity: str = "coaching",
    at: time = time(9),
) -> TimeEntry:
    started = datetime.combine(day, at, tzinfo=OSLO)
    entry = TimeEntry.objects.create(
        organisation=manager.organisation,
        manager=manager,
        started_at=started.astimezone(UTC),
        ended_at=(started + timedelta(minutes=minutes)).astimezone(UTC),
        day=day,
        minutes=minutes,
        activity=activity,
        seller_count=len(sellers),
    )
    TimeEntrySeller.objects.bulk_create([TimeEntrySeller(entry=entry, seller=s) for s in sellers])
    return entry


def refresh(organisation: Organisation) -> None:
    refresh_organisation_segments(
        organisation, through=segment_horizon(organisation, today_in(organisation))
    )


@dataclass
class World:
    organisation: Organisation
    manager_a: User
    manager_b: User
    director_a: User
    admin: User
    team_a: Team
    team_b: Team
    sellers_a: list[Seller] = field(default_factory=list)
    sellers_b: list[Seller] = field(default_factory=list)
    note_b: SellerNote | None = None
    entry_b: TimeEntry | None = None
    note_a: SellerNote | None = None
    entry_a: TimeEntry | None = None
    slot_a: PlannedSlot | None = None
    slot_b: PlannedSlot | None = None
    batch_a: ImportBatch | None = None
    batch_b: ImportBatch | None = None
    seller_a: User | None = None  # Tora Topp's own login (role seller)


def build_world() -> World:
    """Team A (manager A, director A) and team B (manager B, no director); canaries in B's texts."""
    organisation = Organisation.objects.create(name="Testfirma AS")
    manager_a = make_user(organisation, "anne@test.example", Role.MANAGER, "Anne Leder")
    manager_b = make_user(organisation, "bjorn@test.example", Role.MANAGER, "Bjørn Leder")
    director_a = make_user(organisation, "dina@test.example", Role.DIRECTOR, "Dina Direktør")
    admin = make_user(organisation, "admin@test.example", Role.ADMIN, "Adam Admin")
    team_a = Team.objects.create(
        organisation=organisation, name="Team A", manager=manager_a, director=director_a
    )
    team_b = Team.objects.create(organisation=organisation, name="Team B", manager=manager_b)
    world = World(organisation, manager_a, manager_b, director_a, admin, team_a, team_b)
    today = today_in(organisation)
    world.sellers_a = [
        make_seller(team_a, "Tora Topp", "tora@test.example", date(2019, 1, 7), "1.3"),
        make_seller(team_a, "Nils Ny", "nils@test.example", date(today.year, today.month, 1), None),
        make_seller(team_a, "Kim Kjerne", "kim@test.example", date(2020, 3, 2), "0.85"),
        make_seller(team_a, "Ulla Under", "ulla@test.example", date(2018, 5, 14), "0.5"),
    ]
    world.sellers_b = [
        make_seller(team_b, "CANARY-TEAM-B-Siri", "siri@test.example", date(2019, 2, 4), "1.1"),
        make_seller(team_b, "CANARY-TEAM-B-Per", "per@test.example", date(2021, 2, 1), "0.6"),
    ]
    # Early today, so that it has happened (time counts once it has ended) whenever tests run
    # after 03:00.
    world.entry_a = make_entry(manager_a, world.sellers_a[:1], today, 45, at=time(0, 10))
    make_entry(manager_a, [world.sellers_a[3]], today, 120, "performance_talk", time(1))
    world.entry_b = make_entry(manager_b, world.sellers_b, today, 60, "training", time(0, 10))
    world.note_a = SellerNote.objects.create(
        seller=world.sellers_a[0], author=manager_a, text="CANARY-NOTE-A-7f3a"
    )
    world.note_b = SellerNote.objects.create(
        seller=world.sellers_b[0], author=manager_b, text="CANARY-NOTE-B-7f3a"
    )
    SegmentOverride.objects.create(
        seller=world.sellers_b[1],
        segment="core",
        reason="CANARY-REASON-B",
        starts_on=today,
        created_by=manager_b,
        created_at=timezone.now(),
    )
    refresh(organisation)
    week = iso_week_label(today + timedelta(days=7))
    for attr, manager, seller in (
        ("slot_a", manager_a, world.sellers_a[0]),
        ("slot_b", manager_b, world.sellers_b[0]),
    ):
        start = datetime.combine(today + timedelta(days=7), time(10), tzinfo=OSLO)
        slot = PlannedSlot.objects.create(
            organisation=organisation,
            manager=manager,
            week=week,
            seller=seller,
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            activity="one_on_one",
            reason={"text": "Added by you.", "params": {}},
            uid=f"{attr}@plan.krutt",
        )
        setattr(world, attr, slot)
    for attr, manager, team in (
        ("batch_a", manager_a, team_a),
        ("batch_b", manager_b, team_b),
    ):
        batch = ImportBatch.objects.create(
            organisation=organisation,
            team=team,
            manager=manager,
            kind="deals",
            filename=f"{attr}-CANARY.csv" if attr == "batch_b" else f"{attr}.csv",
            sha256="0" * 64,
            preset="hubspot",
            channel="web",
            counts={"created": 0, "months": [], "scope": []},
            created_by=manager,
        )
        setattr(world, attr, batch)
    world.seller_a = User.objects.create_user(
        "tora@test.example",
        PASSWORD,
        organisation=organisation,
        role=Role.SELLER,
        name="Tora Topp",
        seller=world.sellers_a[0],
    )
    return world


def announce(team: Team, informed_on: date | None = None) -> None:
    """The team's sellers were informed and the measure discussed (arbeidsmiljøloven § 9-2)."""
    from krutt.web.privacy.models import MeasurementNotice

    day = informed_on or today_in(team.organisation) - timedelta(days=30)
    MeasurementNotice.objects.create(
        organisation=team.organisation,
        team=team,
        informed_on=day,
        discussed_on=day - timedelta(days=14),
        purpose="Se hvor tiden med selgerne går",
    )
