"""The dashboard and the sellers page under a loopback load, beside a bare Django view.

A team of 12 sellers with 36 months of results and three years of logged time is added to
the bench database; `krutt serve` (gunicorn) is started on a free loopback port against that
database; a manager signs in through the login form; then each page gets
BENCH_LOAD_CLIENTS concurrent clients (default 20) for BENCH_LOAD_SECONDS (default 20 s),
one page after the other, and 50 sequential requests on an otherwise idle server.

The app has no bare view, so the baseline is the login page, `GET /login/`: an
unauthenticated, template-rendered Django view through the same middleware, served by the
same gunicorn in the same run. Goal (the issue): each page's single-request time < 150 ms.

Run alone with `python -m benchmarks.pages` (a temporary SQLite file, only this team).
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks import load

PASSWORD = "bench-pages-password-2026"  # noqa: S105 (a synthetic login on a throw-away database)
MANAGER_EMAIL = "pages.manager@bench.example"
TEAM_NAME = "Sidelaget"
SELLERS = 12
MONTHS = 36
ENTRIES_PER_WEEK = 10
SEQUENTIAL = 50
GOAL_MS = 150.0


@dataclass(frozen=True, kw_only=True)
class PagesTeam:
    manager_email: str
    sellers: int
    months: int
    entries: int


def build_team(today: date, *, seed: int = 12) -> PagesTeam:
    """A manager with a password, a team of 12, 36 months of results, ~10 entries a week."""
    from django.db import transaction

    from krutt.domain.months import Month
    from krutt.web.accounts.models import Organisation, Role, User
    from krutt.web.sellers.models import MonthlyResult, Seller, Team
    from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon
    from krutt.web.timelog.models import TimeEntry, TimeEntrySeller

    rng = random.Random(seed)
    first_month = Month.of(today).plus(-MONTHS)
    first_day = first_month.first_day()
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench Pages AS")
        manager = User(
            email=MANAGER_EMAIL, name="Side Leder", role=Role.MANAGER, organisation=organisation
        )
        manager.set_password(PASSWORD)
        manager.save()
        team = Team.objects.create(organisation=organisation, name=TEAM_NAME, manager=manager)
        sellers = [
            Seller.objects.create(
                organisation=organisation,
                team=team,
                name=f"Selger {i:02d}",
                email=f"pages-{i}@bench.example",
                # Two new sellers; the rest have been there longer than the data.
                started_on=today - timedelta(days=45 * (i + 1))
                if i < 2
                else first_day - timedelta(days=rng.randint(0, 1500)),
            )
            for i in range(SELLERS)
        ]
        results = []
        for seller in sellers:
            level = rng.choice((0.55, 0.8, 0.9, 1.1, 1.25))
            for m in range(MONTHS):
                month = first_month.plus(m).first_day()
                if month < seller.started_on.replace(day=1):
                    continue
                target = Decimal(500_000)
                actual = (target * Decimal(str(round(rng.gauss(level, 0.1), 3)))).quantize(
                    Decimal("0.01")
                )
                results.append(
                    MonthlyResult(seller=seller, month=month, target=target, actual=actual)
                )
        MonthlyResult.objects.bulk_create(results, batch_size=2000)
        entries, groups = [], []
        day = first_day
        while day <= today:
            if day.weekday() < 5:
                active = [s for s in sellers if s.started_on <= day]
                for _ in range(rng.choice((1, 2, 2, 3))):
                    chosen = rng.sample(active, min(len(active), rng.choice((1, 1, 1, 2, 3))))
                    groups.append(chosen)
                    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                        minutes=rng.randrange(7 * 60, 15 * 60, 15)
                    )
                    minutes = rng.choice((15, 30, 45, 60, 90))
                    entries.append(
                        TimeEntry(
                            organisation=organisation,
                            manager=manager,
                            started_at=at,
                            ended_at=at + timedelta(minutes=minutes),
                            day=day,
                            minutes=minutes,
                            activity=rng.choice(("coaching", "one_on_one", "pipeline_review")),
                            seller_count=len(chosen),
                        )
                    )
                if day.weekday() == 0:  # the Monday sales meeting: team-wide
                    groups.append(active)
                    entries.append(
                        TimeEntry(
                            organisation=organisation,
                            manager=manager,
                            started_at=datetime.combine(day, datetime.min.time(), UTC)
                            + timedelta(hours=7),
                            ended_at=datetime.combine(day, datetime.min.time(), UTC)
                            + timedelta(hours=8),
                            day=day,
                            minutes=60,
                            activity="pipeline_review",
                            seller_count=len(active),
                        )
                    )
            day += timedelta(days=1)
        saved = TimeEntry.objects.bulk_create(entries, batch_size=2000)
        TimeEntrySeller.objects.bulk_create(
            [
                TimeEntrySeller(entry=entry, seller=seller)
                for entry, chosen in zip(saved, groups, strict=True)
                for seller in chosen
            ],
            batch_size=2000,
        )
        refresh_organisation_segments(organisation, through=segment_horizon(organisation, today))
    return PagesTeam(
        manager_email=MANAGER_EMAIL, sellers=SELLERS, months=MONTHS, entries=len(entries)
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((load.LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _krutt() -> str:
    return str(Path(sys.executable).with_name("krutt"))


class Server:
    """`krutt serve` on a free loopback port, against the bench process's database."""

    def __init__(self, workers: int) -> None:
        self.port = _free_port()
        self.log = Path(tempfile.mkstemp(prefix="krutt-bench-serve-", suffix=".log")[1])
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 (our own krutt executable)
                [
                    _krutt(),
                    "serve",
                    "--host",
                    load.LOOPBACK,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(workers),
                ],
                env=dict(os.environ),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"krutt serve exited:\n{self.log.read_text()}")
            try:
                url = f"http://{load.LOOPBACK}:{self.port}/login/"
                with urllib.request.urlopen(url, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"krutt serve did not answer in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def api_token(email: str) -> str:
    """A personal access token for the bench manager (the API's report under load)."""
    from krutt.web.accounts.models import User
    from krutt.web.api.tokens import create_token
    from krutt.web.clock import SystemClock

    user = User.objects.get(email=email)
    return create_token(user=user, name="bench", now=SystemClock().now()).secret


def page_load(today: date | None = None) -> list[dict[str, object]]:
    """Build the team, serve, sign in, load each page; one result per page, baseline first."""
    clients = int(os.environ.get("BENCH_LOAD_CLIENTS", 20))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 20))
    workers = int(os.environ.get("BENCH_WORKERS", 3))
    team = build_team(today or date.today())
    token = api_token(team.manager_email)
    # The load is one token's: the per-token limit would answer most of it with 429.
    os.environ.setdefault("KRUTT_API_RATE_PER_MINUTE", "100000000")
    server = Server(workers)
    try:
        session = load.log_in(server.port, team.manager_email, PASSWORD)
        targets = {
            "login page (baseline)": load.Target(path="/login/", expect='name="password"'),
            "dashboard": load.Target(path="/", cookies=session, expect=TEAM_NAME),
            "sellers page": load.Target(path="/sellers/", cookies=session, expect="Selger 11"),
            # The API's report (token auth, rate limit, schema validation) under the same load.
            "report endpoint": load.Target(
                path="/api/v1/reports", authorization=f"Bearer {token}", expect='"seller_hours"'
            ),
        }
        measured = {}
        for name, target in targets.items():
            single = load.sequential(server.port, target, count=SEQUENTIAL)
            loaded = load.concurrent(server.port, target, clients=clients, seconds=seconds)
            measured[name] = (target, single.summary(), loaded.summary())
    finally:
        server.stop()
    if any(loaded["errors"] or single["errors"] for _, single, loaded in measured.values()):
        print(f"pages: some requests failed; the server's log is kept at {server.log}")
    else:
        server.log.unlink(missing_ok=True)
    baseline_median = measured["login page (baseline)"][2]["median_ms"]
    results: list[dict[str, object]] = []
    for name, (target, single, loaded) in measured.items():
        item: dict[str, object] = {
            "scenario": f"page under load: {name}, GET {target.path}",
            "team": f"{team.sellers} sellers, {team.months} months, {team.entries} time entries",
            "load": f"{clients} clients x {seconds:g} s, loopback, gunicorn {workers} workers",
            "requests": loaded["requests"],
            "errors": loaded["errors"],
            "median_ms": loaded["median_ms"],
            "p95_ms": loaded["p95_ms"],
            "requests_per_s": loaded["requests_per_s"],
            "single_request_ms": single["median_ms"],
        }
        if loaded["errors"] or single["errors"]:
            item["errors_single"] = single["errors"]
            item["first_error"] = loaded["first_error"] or single["first_error"]
        if target.path == "/login/":
            item["note"] = "baseline: an unauthenticated, template-rendered Django view"
        else:
            median, alone = loaded["median_ms"], single["median_ms"]
            item["baseline"] = "GET /login/ under the same load, same server, same run"
            item["baseline_median_ms"] = baseline_median
            item["ratio"] = (
                round(float(median) / float(baseline_median), 2)
                if median is not None and baseline_median is not None
                else None
            )
            item["goal"] = f"single request < {GOAL_MS:g} ms (median of {SEQUENTIAL})"
            item["met"] = alone is not None and float(alone) < GOAL_MS and not single["errors"]
        results.append(item)
    return results


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="krutt-bench-pages-")
    os.environ.setdefault("KRUTT_DATA_DIR", scratch)
    os.environ.setdefault("KRUTT_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    from krutt.web import runtime

    runtime.setup()
    runtime.migrate()
    for item in page_load():
        print()
        for key, value in item.items():
            print(f"  {key:<22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
