"""A realistic demo organisation: teams, sellers with two years and more of numbers, and logged time.

Generated from a seed and today's date, so the demo always shows a current week. The
teams are drawn to show the typical patterns: one manager pours time into the weakest
sellers, one leaves the new sellers to sink or swim, one is close to the policy.

The history behind the Results page (30 months of numbers and of logged time) carries
these effects, so that a test can check that krutt finds roughly what was put in:

- **Coaching pays in the core**: each coaching-type hour (coaching, 1:1, training, joint
  meeting) a core seller gets in a month raises their attainment in each of the next
  three months by `CORE_COACHING_EFFECT` (4 percentage points), centred on the seller's
  usual hours so that their level stays where their profile puts it. No other segment
  gets an effect (their slope should come out near zero).
- **Wear**: about half the entries carry an energy rating; time with sellers not
  delivering is rated 4–5, with top sellers 1–2, the rest 2–3. The team that pours
  time into the weakest («tails») spends well over 30 % of its drained energy there.
- **Leavers**: «tails» loses three top sellers (22, 18 and 14 months ago), «sink or
  swim» two and «balanced» one; in their last three months they got a third of the time
  a top seller of their team would get. Each is replaced by a hire on the 1st of the next
  month, so every team has hires at different times with a full first year in the data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
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
    ended_on: date | None = None
    # A hire within the history: new (ramping) for `RAMP_MONTHS`, then their profile.
    hired: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoEntry:
    manager_email: str
    seller_emails: tuple[str, ...]
    started_at: datetime
    minutes: int
    activity: Activity
    note: str = ""
    energy: int | None = None


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


CORE_COACHING_EFFECT = 0.04  # attainment per coaching-type hour, in each of the next 3 months
COACHING_TYPES = frozenset(
    {Activity.COACHING, Activity.ONE_ON_ONE, Activity.TRAINING, Activity.JOINT_MEETING}
)
RAMP_MONTHS = 6
HISTORY_MONTHS = 30
# Months ago each team's top leavers left (the team's index: tails, sink or swim, balanced).
LEAVERS = ((22, 18, 14), (23, 16), (20,))
# How draining time with each profile is rated (1–5), when it is rated.
ENERGY = {"top": (1, 2), "new": (2, 3), "core": (2, 3), "under": (4, 5)}

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
    """The demo organisation as of `today`: 3 teams of 10 (and the top sellers who left them),
    30 months of numbers and of logged time."""
    rng = random.Random(seed)
    domain = "nordlys.example"
    names = _unique_names(rng, len(TEAMS) * len(PROFILES) + sum(len(x) for x in LEAVERS))
    teams: list[DemoTeam] = []
    this_month = Month.of(today)
    first_month = this_month.plus(-HISTORY_MONTHS)
    core_positions = [i for i, p in enumerate(PROFILES) if p == "core"]
    for index, (team_name, manager_local, manager_name, style) in enumerate(TEAMS):
        team = DemoTeam(
            name=team_name,
            manager_email=f"{manager_local}@{domain}",
            manager_name=manager_name,
            style=style,
        )
        # Each leaver's successor is one of the core sellers, hired the month after.
        successor_of = dict(zip(core_positions, LEAVERS[index], strict=False))
        for position, profile in enumerate(PROFILES):
            name = names.pop()
            email = _email(name, domain)
            if profile == "new":
                started = add_months(today, -rng.randint(1, 5)).replace(day=1)
            else:
                started = add_months(today, -rng.randint(14, 120))
            hired = position in successor_of
            if hired:
                started = this_month.plus(-successor_of[position] + 1).first_day()
            aliases = (
                (f"{email.split('@')[0].split('.')[0][:1]}{email.split('.')[1][:1]}@{domain}",)
                if rng.random() < 0.3
                else ()
            )
            team.sellers.append(
                DemoSeller(
                    name=name,
                    email=email,
                    started_on=started,
                    profile=profile,
                    aliases=aliases,
                    hired=hired,
                )
            )
        for months_ago in LEAVERS[index]:
            name = names.pop()
            team.sellers.append(
                DemoSeller(
                    name=name,
                    email=_email(name, domain),
                    started_on=add_months(today, -rng.randint(40, 110)),
                    profile="top",
                    ended_on=this_month.plus(-months_ago).first_day() + timedelta(days=14),
                )
            )
        teams.append(team)
    _drop_alias_clashes(teams)
    entries = [
        entry
        for team in teams
        for entry in _time_entries(rng, team, today=today, zone=zone, first=first_month)
    ]
    coaching = _coaching_hours(entries, zone=zone)
    monthly = [
        row
        for index, team in enumerate(teams)
        for seller in team.sellers
        for row in _monthly_numbers(
            rng,
            seller,
            first=first_month,
            last=this_month.plus(-1),
            team_index=index,
            coaching=coaching.get(seller.email, {}),
        )
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


def _coaching_hours(entries: list[DemoEntry], *, zone: ZoneInfo) -> dict[str, dict[Month, float]]:
    """Coaching-type hours per seller and month, an entry with k sellers giving each 1/k."""
    hours: dict[str, dict[Month, float]] = {}
    for entry in entries:
        if entry.activity not in COACHING_TYPES:
            continue
        month = Month.of(entry.started_at.astimezone(zone).date())
        for email in entry.seller_emails:
            by_month = hours.setdefault(email, {})
            by_month[month] = by_month.get(month, 0.0) + entry.minutes / 60 / len(
                entry.seller_emails
            )
    return hours


def _profile_on(seller: DemoSeller, day: date) -> str | None:
    """How the seller is treated on `day`: None before they start or after they left."""
    if day < seller.started_on or (seller.ended_on is not None and day > seller.ended_on):
        return None
    if seller.hired and day < add_months(seller.started_on, RAMP_MONTHS):
        return "new"
    return seller.profile


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
            team.sellers[i] = replace(seller, aliases=kept)


def _monthly_numbers(
    rng: random.Random,
    seller: DemoSeller,
    *,
    first: Month,
    last: Month,
    team_index: int,
    coaching: dict[Month, float],
) -> list[tuple[str, Month, Decimal, Decimal]]:
    low, high = ATTAINMENT[seller.profile]
    level = rng.uniform(low, high)
    target = Decimal(400_000 + 50_000 * team_index + rng.randrange(0, 4) * 25_000)
    numbers = []
    start = max(first, Month.of(seller.started_on))
    end = min(last, Month.of(seller.ended_on)) if seller.ended_on else last
    ramping = seller.profile == "new" or seller.hired
    months = months_from(start, end) if start <= end else []
    usual = sum(coaching.get(m, 0.0) for m in months) / len(months) if months else 0.0
    for month in months:
        months_in = month.index - Month.of(seller.started_on).index
        ramp = min(1.0, 0.25 + months_in * 0.15) if ramping else 1.0
        month_target = (target * Decimal(str(round(ramp, 2)))).quantize(Decimal("1000"))
        attainment = max(0.0, rng.gauss(level, 0.10)) * (1.0 if not ramping else 0.8 + 0.4 * ramp)
        if seller.profile == "core" and _profile_on(seller, month.first_day()) == "core":
            # The seeded effect: the last three months' coaching above the seller's usual.
            attainment += CORE_COACHING_EFFECT * sum(
                coaching.get(month.plus(-k), 0.0) - usual for k in (1, 2, 3)
            )
            attainment = max(0.0, attainment)
        actual = (month_target * Decimal(str(round(attainment, 3)))).quantize(Decimal("100"))
        numbers.append((seller.email, month, month_target, actual))
    return numbers


def _time_entries(
    rng: random.Random, team: DemoTeam, *, today: date, zone: ZoneInfo, first: Month
) -> list[DemoEntry]:
    """Every week from `first` to this one: the style's shares per profile, half of it rated;
    a top seller in their last three months gets a third of a top seller's time."""
    weights = STYLE_WEIGHTS[team.style]
    entries: list[DemoEntry] = []
    monday = today - timedelta(days=today.weekday())
    weeks = (monday - first.first_day()).days // 7
    for week in range(weeks, -1, -1):
        week_start = monday - timedelta(weeks=week)
        budget = rng.randint(9 * 60, 13 * 60)
        on_team = {s.email: p for s in team.sellers if (p := _profile_on(s, week_start))}
        for profile, share in weights.items():
            members = [s for s in team.sellers if on_team.get(s.email) == profile]
            if not members:
                continue
            odds = [
                1 / 3
                if s.ended_on is not None and week_start >= add_months(s.ended_on, -3)
                else 1.0
                for s in members
            ]
            minutes_left = int(budget * share * rng.uniform(0.8, 1.2))
            while minutes_left >= 20:
                seller = rng.choices(members, weights=odds)[0]
                minutes = min(minutes_left, rng.choice((30, 45, 60, 60, 90, 120)))
                day = week_start + timedelta(days=rng.randint(0, 4))
                if day > today or (seller.ended_on is not None and day > seller.ended_on):
                    minutes_left -= minutes
                    continue
                start = datetime.combine(
                    day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), tzinfo=zone
                )
                activity = rng.choice(ACTIVITIES[profile])
                group: tuple[str, ...] = (seller.email,)
                if activity is Activity.TRAINING and len(members) > 1 and rng.random() < 0.5:
                    group = tuple(s.email for s in members[:3])
                rated = rng.random() < 0.5
                entries.append(
                    DemoEntry(
                        manager_email=team.manager_email,
                        seller_emails=group,
                        started_at=start,
                        minutes=minutes,
                        activity=activity,
                        energy=rng.randint(*ENERGY[profile]) if rated else None,
                    )
                )
                minutes_left -= minutes
        meeting_day = week_start + timedelta(days=0)
        if meeting_day <= today:
            entries.append(
                DemoEntry(
                    manager_email=team.manager_email,
                    seller_emails=tuple(
                        s.email for s in team.sellers if _profile_on(s, meeting_day)
                    ),
                    started_at=datetime.combine(meeting_day, time(8, 30), tzinfo=zone),
                    minutes=60,
                    activity=Activity.PIPELINE_REVIEW,
                    note="Salgsmøte",
                )
            )
    return entries
