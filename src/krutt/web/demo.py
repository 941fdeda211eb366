"""Saving the generated demo organisation, with logins for a director and each manager."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from krutt.domain.sellers import SellerId
from krutt.services.demo_organisation import (
    DEMO_PASSWORD,
    DemoOrganisation,
    build_demo_organisation,
)
from krutt.services.record_time import Source, TimeRecord, admit
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.clock import SystemClock
from krutt.web.privacy.models import MeasurementNotice
from krutt.web.sellers.models import MonthlyResult, Seller, SellerAlias, Team
from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller
from krutt.web.timelog.repositories import TimeRepository, entry_fields

DEMO_ZONE = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoLogin:
    email: str
    role: str
    name: str
    team: str


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoResult:
    organisation: Organisation
    created: bool
    logins: list[DemoLogin]
    password: str


def install_demo(*, clock: SystemClock | None = None) -> DemoResult:
    """Create the demo organisation unless it is already there; either way, say how to log in."""
    now = (clock or SystemClock()).now()
    today = now.astimezone(DEMO_ZONE).date()
    plan = build_demo_organisation(today=today, zone=DEMO_ZONE)
    existing = Organisation.objects.filter(name=plan.name).first()
    if existing is not None:
        return DemoResult(
            organisation=existing, created=False, logins=_logins(existing), password=DEMO_PASSWORD
        )
    organisation = _save(plan, now)
    refresh_organisation_segments(organisation, through=segment_horizon(organisation, today))
    return DemoResult(
        organisation=organisation,
        created=True,
        logins=_logins(organisation),
        password=DEMO_PASSWORD,
    )


def _user(email: str, name: str, role: str, organisation: Organisation) -> User:
    user = User(email=email, name=name, role=role, organisation=organisation)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _save(plan: DemoOrganisation, now: datetime) -> Organisation:
    organisation = Organisation.objects.create(
        name=plan.name, time_zone=DEMO_ZONE.key, language="nb"
    )
    director = _user(plan.director_email, plan.director_name, Role.DIRECTOR, organisation)
    _user(plan.admin_email, "Admin", Role.ADMIN, organisation)
    sellers: dict[str, Seller] = {}
    managers: dict[str, User] = {}
    for demo_team in plan.teams:
        manager = _user(demo_team.manager_email, demo_team.manager_name, Role.MANAGER, organisation)
        managers[manager.email] = manager
        team = Team.objects.create(
            organisation=organisation, name=demo_team.name, manager=manager, director=director
        )
        if demo_team is not plan.teams[-1]:
            # Told of the measurement (§ 9-2); the last team is not, so the warning shows.
            MeasurementNotice.objects.create(
                organisation=organisation,
                team=team,
                informed_on=now.date() - timedelta(days=300),
                discussed_on=now.date() - timedelta(days=314),
                purpose="Se at nye og de beste selgerne får nok av lederens tid.",
            )
        for s in demo_team.sellers:
            seller = Seller.objects.create(
                organisation=organisation,
                team=team,
                name=s.name,
                email=s.email,
                started_on=s.started_on,
                ended_on=s.ended_on,
            )
            sellers[s.email] = seller
            SellerAlias.objects.bulk_create(
                [SellerAlias(organisation=organisation, seller=seller, email=a) for a in s.aliases]
            )
    MonthlyResult.objects.bulk_create(
        [
            MonthlyResult(
                seller=sellers[email], month=month.first_day(), target=target, actual=actual
            )
            for email, month, target, actual in plan.monthly
        ],
        batch_size=2000,
    )
    # The demo's time goes through the one rule every source obeys (the local day, the
    # team on that day), written in bulk.
    log = TimeRepository(organisation)
    employment = {
        manager.pk: log.employment(
            manager_id=manager.pk, seller_ids=[SellerId(s.pk) for s in sellers.values()]
        )
        for manager in managers.values()
    }
    admitted = [
        admit(
            TimeRecord(
                seller_ids=tuple(SellerId(sellers[email].pk) for email in e.seller_emails),
                started_at=e.started_at,
                minutes=e.minutes,
                activity=e.activity,
                note=e.note,
                energy=e.energy,
            ),
            manager_id=managers[e.manager_email].pk,
            source=Source.MANUAL,
            zone=DEMO_ZONE,
            employment=employment[managers[e.manager_email].pk],
            now=now,
        ).entry
        for e in plan.entries
    ]
    kept = [entry for entry in admitted if entry is not None]
    rows = TimeEntry.objects.bulk_create(
        [TimeEntry(organisation=organisation, **entry_fields(entry)) for entry in kept],
        batch_size=2000,
    )
    TimeEntrySeller.objects.bulk_create(
        [
            TimeEntrySeller(entry=row, seller_id=seller)
            for row, entry in zip(rows, kept, strict=True)
            for seller in entry.seller_ids
        ],
        batch_size=2000,
    )
    from krutt.web.planning.models import BusyBlock
    from krutt.web.support.models import SupportPlan, SupportPlanAction

    BusyBlock.objects.bulk_create(
        [
            BusyBlock(
                organisation=organisation,
                manager=managers[b.manager_email],
                starts_at=b.start,
                ends_at=b.start + timedelta(minutes=b.minutes),
                external_key=f"demo-{i}",
            )
            for i, b in enumerate(plan.busy)
        ]
    )
    for p in plan.support_plans:
        row = SupportPlan.objects.create(
            seller=sellers[p.seller_email],
            goal=p.goal,
            started_on=p.started_on,
            review_on=p.review_on,
        )
        SupportPlanAction.objects.bulk_create(
            [SupportPlanAction(plan=row, kind=k, description=d, minutes=m) for k, d, m in p.actions]
        )
    return organisation


def _logins(organisation: Organisation) -> list[DemoLogin]:
    logins = []
    for user in User.objects.filter(
        organisation=organisation, role__in=[Role.DIRECTOR, Role.MANAGER, Role.ADMIN]
    ).order_by("role", "email"):
        team = (
            ", ".join(t.name for t in user.managed_teams.all()) if user.role == Role.MANAGER else ""
        )
        logins.append(DemoLogin(email=user.email, role=user.role, name=user.name, team=team))
    return logins
