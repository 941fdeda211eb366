"""A realistic demo organisation: teams, sellers with two years and more of numbers, and logged time.

Generated from a seed and today's date, so the demo always shows a current week. The
teams are drawn to show the typical patterns: one manager pours time into the weakest
sellers, one leaves the new sellers to sink or swim, one is close to the policy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from krutt.domain.activities import Activity
from krutt.domain.months import Month, add_months, months_from

FIRST_NAMES = [
    "Kari",
    "Ola",
    "Mari",
    "Fredrik",
    "Ingrid",
    "Anders",
    "Sofie",
    "Martin",
    "Nora",
    "Jonas",
    "Emma",
    "Henrik",
    "Ida",
    "Magnus",
    "Sara",
    "Eirik",
    "Thea",
    "Lars",
    "Julie",
    "Sindre",
    "Hanna",
    "Even",
    "Maja",
    "Kristian",
    "Tuva",
    "Simen",
    "Vilde",
    "Håkon",
    "Ingeborg",
    "Tobias",
    "Marte",
    "Ole",
]
LAST_NAMES = [
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Berg",
    "Pedersen",
    "Kristiansen",
    "Nilsen",
    "Jensen",
    "Karlsen",
    "Andersen",
    "Haugen",
    "Bakken",
    "Solberg",
    "Lunde",
    "Moen",
    "Dahl",
    "Strand",
    "Eide",
    "Lie",
    "Fossum",
    "Nygård",
    "Aas",
]

DEMO_PASSWORD = "krutt-demo-2026"  # noqa: S105 - printed for the demo; the demo is not for real data


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoSeller:
    name: str
    email: str
    started_on: date
    profile: str  # top, core, under or new: how their numbers are drawn
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoEntry:
    manager_email: str
    seller_emails: tuple[str, ...]
    started_at: datetime
    minutes: int
    activity: Activity
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoBusy:
    """A meeting in a manager's calendar, so the planner has something to plan around."""

    manager_email: str
    start: datetime
    minutes: int


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoSupportPlan:
    seller_email: str
    goal: str
    started_on: date
    review_on: date
    actions: tuple[tuple[str, str, int], ...]


@dataclass(kw_only=True, slots=True)
class DemoTeam:
    name: str
    manager_email: str
    manager_name: str
    style: str
    sellers: list[DemoSeller] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class DemoOrganisation:
    name: str
    domain: str
    director_email: str
    director_name: str
    admin_email: str
    teams: list[DemoTeam]
    monthly: list[tuple[str, Month, Decimal, Decimal]]
    entries: list[DemoEntry]
    busy: list[DemoBusy] = field(default_factory=list)
    support_plans: list[DemoSupportPlan] = field(default_factory=list)


TEAMS = (
    ("Salg Øst", "ingrid.berg", "Ingrid Berg", "tails"),
    ("Salg Vest", "per.aasen", "Per Aasen", "sink_or_swim"),
    ("Key Accounts", "lise.moe", "Lise Moe", "balanced"),
)
PROFILES = ("top", "top", "top", "new", "new", "core", "core", "core", "core", "under")
ATTAINMENT = {"top": (1.05, 1.35), "core": (0.78, 0.97), "under": (0.45, 0.66), "new": (0.25, 0.7)}
# Share of the manager's seller time per profile, by management style.
STYLE_WEIGHTS = {
    "tails": {"top": 0.12, "new": 0.10, "core": 0.18, "under": 0.60},
    "sink_or_swim": {"top": 0.45, "new": 0.04, "core": 0.36, "under": 0.15},
    "balanced": {"top": 0.52, "new": 0.25, "core": 0.15, "under": 0.08},
}
ACTIVITIES = {
    "top": (
        Activity.JOINT_MEETING,
        Activity.ONE_ON_ONE,
        Activity.PIPELINE_REVIEW,
        Activity.RECOGNITION,
    ),
    "new": (Activity.TRAINING, Activity.COACHING, Activity.JOINT_MEETING, Activity.ONE_ON_ONE),
    "core": (Activity.COACHING, Activity.PIPELINE_REVIEW, Activity.ONE_ON_ONE),
    "under": (Activity.COACHING, Activity.PERFORMANCE_TALK, Activity.ONE_ON_ONE, Activity.TRAINING),
}


def build_demo_organisation(*, today: date, zone: ZoneInfo, seed: int = 2026) -> DemoOrganisation:
    """The demo organisation as of `today`: 3 teams of 10, 30 months of numbers, 16 weeks of time."""
    rng = random.Random(seed)
    domain = "nordlys.example"
    names = _unique_names(rng, len(TEAMS) * len(PROFILES))
    teams: list[DemoTeam] = []
    monthly: list[tuple[str, Month, Decimal, Decimal]] = []
    this_month = Month.of(today)
    first_month = this_month.plus(-30)
    for index, (team_name, manager_local, manager_name, style) in enumerate(TEAMS):
        team = DemoTeam(
            name=team_name,
            manager_email=f"{manager_local}@{domain}",
            manager_name=manager_name,
            style=style,
        )
        for profile in PROFILES:
            name = names.pop()
            email = _email(name, domain)
            if profile == "new":
                started = add_months(today, -rng.randint(1, 5)).replace(day=1)
            else:
                started = add_months(today, -rng.randint(14, 120))
            aliases = (
                (f"{email.split('@')[0].split('.')[0][:1]}{email.split('.')[1][:1]}@{domain}",)
                if rng.random() < 0.3
                else ()
            )
            seller = DemoSeller(
                name=name, email=email, started_on=started, profile=profile, aliases=aliases
            )
            team.sellers.append(seller)
            monthly.extend(
                _monthly_numbers(
                    rng, seller, first=first_month, last=this_month.plus(-1), team_index=index
                )
            )
        teams.append(team)
    _drop_alias_clashes(teams)
    entries = [
        entry for team in teams for entry in _time_entries(rng, team, today=today, zone=zone)
    ]
    return DemoOrganisation(
        name="Nordlys Solutions AS (demo)",
        domain=domain,
        director_email=f"hilde.strand@{domain}",
        director_name="Hilde Strand",
        admin_email=f"admin@{domain}",
        teams=teams,
        monthly=monthly,
        entries=entries,
        busy=[b for team in teams for b in _busy_weeks(rng, team, today=today, zone=zone)],
        support_plans=_support_plans(teams, today=today),
    )


def _busy_weeks(
    rng: random.Random, team: DemoTeam, *, today: date, zone: ZoneInfo
) -> list[DemoBusy]:
    """This week's and the next two weeks' standing meetings: management, customers, admin."""
    monday = today - timedelta(days=today.weekday())
    busy = []
    for week in range(3):
        for day in range(5):
            date_ = monday + timedelta(weeks=week, days=day)
            for _ in range(rng.randint(1, 3)):
                start = datetime.combine(
                    date_, time(rng.choice((8, 9, 10, 11, 13, 14)), rng.choice((0, 30))), zone
                )
                busy.append(
                    DemoBusy(
                        manager_email=team.manager_email,
                        start=start,
                        minutes=rng.choice((30, 60, 90)),
                    )
                )
    return busy


def _support_plans(teams: list[DemoTeam], *, today: date) -> list[DemoSupportPlan]:
    """The seller not delivering in the first team has had a plan for four months."""
    under = next(s for s in teams[0].sellers if s.profile == "under")
    started = add_months(today, -4).replace(day=1)
    return [
        DemoSupportPlan(
            seller_email=under.email,
            goal="Nå 70 % måloppnåelse innen to kvartaler",
            started_on=started,
            review_on=add_months(started, 3),
            actions=(
                ("training", "Produktkurs og demoteknikk", 6 * 60),
                ("coaching", "Ukentlig coaching", 8 * 60),
            ),
        )
    ]


def _unique_names(rng: random.Random, count: int) -> list[str]:
    pairs = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    seen_first: set[str] = set()
    chosen: list[str] = []
    for pair in pairs:
        first = pair.split()[0]
        if first in seen_first and len(seen_first) < len(FIRST_NAMES):
            continue
        seen_first.add(first)
        chosen.append(pair)
        if len(chosen) == count:
            break
    return chosen


def _email(name: str, domain: str) -> str:
    local = name.lower().replace("å", "aa").replace("ø", "o").replace("æ", "ae").replace(" ", ".")
    return f"{local}@{domain}"


def _drop_alias_clashes(teams: list[DemoTeam]) -> None:
    taken = {s.email for t in teams for s in t.sellers}
    for team in teams:
        for i, seller in enumerate(team.sellers):
            kept = tuple(a for a in seller.aliases if a not in taken)
            taken.update(kept)
            team.sellers[i] = DemoSeller(
                name=seller.name,
                email=seller.email,
                started_on=seller.started_on,
                profile=seller.profile,
                aliases=kept,
            )


def _monthly_numbers(
    rng: random.Random, seller: DemoSeller, *, first: Month, last: Month, team_index: int
) -> list[tuple[str, Month, Decimal, Decimal]]:
    low, high = ATTAINMENT[seller.profile]
    level = rng.uniform(low, high)
    target = Decimal(400_000 + 50_000 * team_index + rng.randrange(0, 4) * 25_000)
    numbers = []
    start = max(first, Month.of(seller.started_on))
    for month in months_from(start, last):
        months_in = month.index - Month.of(seller.started_on).index
        ramp = min(1.0, 0.25 + months_in * 0.15) if seller.profile == "new" else 1.0
        month_target = (target * Decimal(str(round(ramp, 2)))).quantize(Decimal("1000"))
        attainment = max(0.0, rng.gauss(level, 0.12)) * (
            1.0 if seller.profile != "new" else 0.8 + 0.4 * ramp
        )
        actual = (month_target * Decimal(str(round(attainment, 3)))).quantize(Decimal("100"))
        numbers.append((seller.email, month, month_target, actual))
    return numbers


def _time_entries(
    rng: random.Random, team: DemoTeam, *, today: date, zone: ZoneInfo
) -> list[DemoEntry]:
    weights = STYLE_WEIGHTS[team.style]
    entries: list[DemoEntry] = []
    monday = today - timedelta(days=today.weekday())
    for week in range(16, -1, -1):
        week_start = monday - timedelta(weeks=week)
        budget = rng.randint(9 * 60, 13 * 60)
        for profile, share in weights.items():
            members = [
                s for s in team.sellers if s.profile == profile and s.started_on <= week_start
            ]
            if not members:
                continue
            minutes_left = int(budget * share * rng.uniform(0.8, 1.2))
            while minutes_left >= 20:
                seller = rng.choice(members)
                minutes = min(minutes_left, rng.choice((30, 45, 60, 60, 90, 120)))
                day = week_start + timedelta(days=rng.randint(0, 4))
                if day > today:
                    minutes_left -= minutes
                    continue
                start = datetime.combine(
                    day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), tzinfo=zone
                )
                activity = rng.choice(ACTIVITIES[profile])
                group: tuple[str, ...] = (seller.email,)
                if activity is Activity.TRAINING and len(members) > 1 and rng.random() < 0.5:
                    group = tuple(s.email for s in members[:3])
                entries.append(
                    DemoEntry(
                        manager_email=team.manager_email,
                        seller_emails=group,
                        started_at=start,
                        minutes=minutes,
                        activity=activity,
                    )
                )
                minutes_left -= minutes
        meeting_day = week_start + timedelta(days=0)
        if meeting_day <= today:
            entries.append(
                DemoEntry(
                    manager_email=team.manager_email,
                    seller_emails=tuple(
                        s.email for s in team.sellers if s.started_on <= meeting_day
                    ),
                    started_at=datetime.combine(meeting_day, time(8, 30), tzinfo=zone),
                    minutes=60,
                    activity=Activity.PIPELINE_REVIEW,
                    note="Salgsmøte",
                )
            )
    return entries
