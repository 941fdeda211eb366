"""Query budgets: a manager's pages read a fixed number of SQL queries, whatever the team's size.

Two teams in one organisation, 4 and 12 sellers, each with 36 months of results, a new
seller, an override, a note and a few hundred time entries over the last 16 weeks. Each page
is requested once to warm up, then counted: the counts must be equal for both teams and
within the page's budget (the figure measured when the budget was set).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from krutt.domain.months import Month
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.clock import today_in
from krutt.web.sellers.models import MonthlyResult, SegmentOverride, Seller, SellerNote, Team
from krutt.web.timelog.models import TimeEntry, TimeEntrySeller
from tests.web.factories import OSLO, make_user, refresh

MONTHS = 36
WEEKS_OF_TIME = 16
ENTRIES_PER_TEAM = 300
# Attainment levels that give every segment: top, core, under (and one new seller per team).
LEVELS = ("1.25", "0.9", "0.5")
# Measured on SQLite and PostgreSQL when the budgets were set; equal for 4 and 12 sellers.
# The overview reads the teams' § 9-2 notices (arbeidsmiljøloven) and the manager's connected
# calendars once, for the "not synced since" notice; it reads the last four complete weeks on
# their own (as `krutt report` does, so the two agree) and checks that the team is set up. The
# seller page lists the aliases and reads the team's history for the ramp chart; the results
# page reads the notices too.
BUDGETS = {"dashboard": 24, "seller_list": 8, "seller_detail": 14, "time_log": 9, "results": 12}


@dataclass(frozen=True)
class BuiltTeam:
    manager: User
    sellers: list[Seller]


def _team(organisation: Organisation, name: str, size: int, today: date, rng: random.Random):
    manager = make_user(
        organisation, f"{name.lower()}@query.example", Role.MANAGER, f"{name} Leder"
    )
    team = Team.objects.create(organisation=organisation, name=name, manager=manager)
    sellers = []
    for i in range(size):
        is_new = i == size - 1
        started = today - timedelta(days=60) if is_new else date(2018, 1, 8)
        seller = Seller.objects.create(
            organisation=organisation,
            team=team,
            name=f"{name} Selger {i:02d}",
            email=f"{name.lower()}-{i}@query.example",
            started_on=started,
        )
        level = Decimal(LEVELS[i % len(LEVELS)])
        first = Month.of(today).plus(-MONTHS)
        MonthlyResult.objects.bulk_create(
            [
                MonthlyResult(
                    seller=seller,
                    month=month.first_day(),
                    target=Decimal(100_000),
                    actual=Decimal(100_000) * level,
                )
                for month in (first.plus(m) for m in range(MONTHS))
                if month.first_day() >= started.replace(day=1)
            ]
        )
        sellers.append(seller)
    for n in range(ENTRIES_PER_TEAM):
        day = today - timedelta(days=rng.randrange(WEEKS_OF_TIME * 7))
        if n % 10 == 0:
            day = today  # some time this week for the week grid
        chosen = rng.sample(sellers, rng.choice((1, 1, 2, 3)))
        started_at = datetime.combine(day, time(8 + n % 8), tzinfo=OSLO).astimezone(UTC)
        minutes = rng.choice((15, 30, 45, 60, 90))
        entry = TimeEntry.objects.create(
            organisation=organisation,
            manager=manager,
            started_at=started_at,
            ended_at=started_at + timedelta(minutes=minutes),
            day=day,
            minutes=minutes,
            activity=rng.choice(("coaching", "one_on_one", "pipeline_review", "training")),
            seller_count=len(chosen),
        )
        TimeEntrySeller.objects.bulk_create(
            [TimeEntrySeller(entry=entry, seller=s) for s in chosen]
        )
    SegmentOverride.objects.create(
        seller=sellers[1],
        segment="top",
        reason="Ny storkunde",
        starts_on=today,
        created_by=manager,
        created_at=timezone.now(),
    )
    for seller in sellers[:2]:
        SellerNote.objects.create(seller=seller, author=manager, text="Følg opp i januar")
    return BuiltTeam(manager=manager, sellers=sellers)


@pytest.fixture
def teams(db: None) -> dict[int, BuiltTeam]:
    organisation = Organisation.objects.create(name="Spørringer AS")
    today = today_in(organisation)
    rng = random.Random(12)
    built = {size: _team(organisation, f"Lag{size}", size, today, rng) for size in (4, 12)}
    refresh(organisation)
    return built


def _url(page: str, team: BuiltTeam) -> str:
    if page == "seller_detail":
        return reverse(page, kwargs={"seller_id": team.sellers[0].pk})
    return reverse(page)


def _queries(client, team: BuiltTeam, page: str) -> int:
    client.force_login(team.manager)
    url = _url(page, team)
    assert client.get(url).status_code == 200  # warm-up: per-process caches filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    client.logout()
    return len(captured.captured_queries)


def test_the_fixture_teams_have_the_data_the_budgets_are_measured_on(teams):
    big = teams[12]
    assert len(big.sellers) == 12
    assert MonthlyResult.objects.filter(seller=big.sellers[0]).count() == MONTHS
    assert TimeEntry.objects.filter(manager=big.manager).count() == ENTRIES_PER_TEAM


@pytest.mark.parametrize("page", list(BUDGETS))
def test_a_managers_page_reads_the_same_few_queries_for_4_and_for_12_sellers(client, teams, page):
    small, big = _queries(client, teams[4], page), _queries(client, teams[12], page)
    assert small == big, f"{page}: {small} queries for 4 sellers, {big} for 12"
    assert big <= BUDGETS[page], f"{page}: {big} queries, budget {BUDGETS[page]}"
