"""A synthetic organisation at scale, inserted with plain SQL so that setting it up takes seconds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from krutt.domain.months import Month
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.sellers.models import Seller, Team


@dataclass(frozen=True, kw_only=True)
class Scale:
    managers: int = 100
    sellers_per_manager: int = 10
    months: int = 36
    entries: int = 500_000


@dataclass(frozen=True, kw_only=True)
class Synthetic:
    organisation: Organisation
    manager_ids: list[int]
    first_day: date
    last_day: date


def build(scale: Scale, *, today: date, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    last_month = Month.of(today).plus(-1)
    first_month = last_month.plus(-(scale.months - 1))
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench AS")
        managers = User.objects.bulk_create(
            [
                User(
                    email=f"m{i}@bench.example",
                    name=f"Manager {i}",
                    role=Role.MANAGER,
                    organisation=organisation,
                )
                for i in range(scale.managers)
            ]
        )
        managers = list(User.objects.filter(organisation=organisation).order_by("id"))
        teams = Team.objects.bulk_create(
            [
                Team(organisation=organisation, name=f"Team {i}", manager=m)
                for i, m in enumerate(managers)
            ]
        )
        teams = list(Team.objects.filter(organisation=organisation).order_by("id"))
        Seller.objects.bulk_create(
            [
                Seller(
                    organisation=organisation,
                    team=team,
                    name=f"Seller {t}-{s}",
                    email=f"s{t}-{s}@bench.example",
                    started_on=first_month.first_day() - timedelta(days=rng.randint(0, 2000))
                    if s > 0
                    else today - timedelta(days=60),
                )
                for t, team in enumerate(teams)
                for s in range(scale.sellers_per_manager)
            ],
            batch_size=2000,
        )
        sellers_by_team: dict[int, list[int]] = {}
        started: dict[int, date] = {}
        for seller_id, team_id, started_on in Seller.objects.filter(
            organisation=organisation
        ).values_list("id", "team_id", "started_on"):
            sellers_by_team.setdefault(team_id, []).append(seller_id)
            started[seller_id] = started_on
        with connection.cursor() as cursor:
            rows = []
            for sellers in sellers_by_team.values():
                for seller_id in sellers:
                    level = rng.choice((0.55, 0.8, 0.9, 1.1, 1.25))
                    for i in range(scale.months):
                        month = first_month.plus(i).first_day()
                        target = 500_000
                        rows.append(
                            (seller_id, month, target, round(target * rng.gauss(level, 0.1), 2))
                        )
            cursor.executemany(
                "INSERT INTO sellers_monthlyresult (seller_id, month, target, actual) VALUES (%s, %s, %s, %s)",
                rows,
            )
            first_day = first_month.first_day()
            span = (today - first_day).days
            entries = []
            links = []
            team_list = list(zip(managers, teams, strict=True))
            zone = ZoneInfo(organisation.time_zone)
            for entry_id in range(1, scale.entries + 1):
                manager, team = team_list[entry_id % len(team_list)]
                day = first_day + timedelta(days=rng.randrange(span))
                # Time is only ever logged with sellers who have started.
                team_sellers = [s for s in sellers_by_team[team.id] if started[s] <= day]
                size = min(len(team_sellers), rng.choice((1, 1, 1, 1, 2, 3)))
                chosen = rng.sample(team_sellers, size)
                at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                    minutes=rng.randrange(7 * 60, 16 * 60, 15)
                )
                minutes = rng.choice((30, 45, 60, 90))
                entries.append(
                    (
                        entry_id,
                        organisation.id,
                        manager.id,
                        at,
                        at + timedelta(minutes=minutes),
                        at.astimezone(zone).date(),
                        minutes,
                        "coaching",
                        "manual",
                        "",
                        len(chosen),
                        "",
                        at,
                    )
                )
                links.extend((entry_id, s) for s in chosen)
            cursor.executemany(
                "INSERT INTO timelog_timeentry (id, organisation_id, manager_id, started_at, ended_at, day,"
                " minutes, activity, source, note, seller_count, external_key, calendar, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s)",
                entries,
            )
            cursor.executemany(
                "INSERT INTO timelog_timeentryseller (entry_id, seller_id) VALUES (%s, %s)", links
            )
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('timelog_timeentry', 'id'), (SELECT MAX(id) FROM timelog_timeentry))"
                )
                cursor.execute("ANALYZE")
            else:
                cursor.execute("ANALYZE")
    return Synthetic(
        organisation=organisation,
        manager_ids=[m.id for m in managers],
        first_day=first_day,
        last_day=today,
    )
