"""`krutt worker` as real processes: every due sync runs exactly once, a killed one again.

On PostgreSQL (KRUTT_DATABASE_URL) two workers start together on the same database and
share the due syncs through `SELECT … FOR UPDATE SKIP LOCKED`; on SQLite one worker runs
them (SQLite has one writer). A worker killed with SIGKILL while it fetches leaves no
sync behind, and once its claim has expired the next worker runs that sync.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import DATA
from tests.connections.servers import CalendarServer, Route

KRUTT = Path(sys.executable).with_name("krutt")
POSTGRES = os.environ.get("KRUTT_DATABASE_URL", "").startswith("postgres")
OUTLOOK = (DATA / "calendars" / "outlook-export.ics").read_bytes()
MANAGER = "ingrid.berg@nordlys.example"
CONNECTIONS = 6
# The kill test's lease: far longer than starting a worker takes on a loaded machine.
LEASE = 20


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own: a new PostgreSQL database, or a SQLite file."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'krutt.sqlite3'}"
        return
    import psycopg

    server = os.environ["KRUTT_DATABASE_URL"]
    name = f"krutt_workers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path: Path, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "KRUTT_DATA_DIR": str(tmp_path / "data"),
        "KRUTT_DATABASE_URL": database,
        "KRUTT_ALLOW_LOOPBACK_CONNECTIONS": "1",
        "KRUTT_SYNC_LEASE_SECONDS": "3",
        "KRUTT_LANG": "en",
    }


def _krutt(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(KRUTT), *args], env=env, capture_output=True, text=True, timeout=120, input=stdin
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _setup(env: dict[str, str], server: CalendarServer, count: int) -> None:
    _krutt(env, "init")
    _krutt(env, "import", "sellers", str(DATA / "sellers.csv"))
    _krutt(
        env, "privacy", "notice", "--team", "Salg Øst", "--informed-on", "2026-01-05",
        "--discussed-on", "2025-12-15", "--purpose", "Følge opp fordelingen av tid",
    )  # fmt: skip
    for number in range(count):
        # Each connection its own copy (an X- line apart), so each sync writes.
        body = OUTLOOK.replace(b"END:VCALENDAR", f"X-COPY:{number}\r\nEND:VCALENDAR".encode())
        server.routes[f"/c{number}.ics"] = Route(body=body)
        _krutt(
            env, "calendar", "connect", "--manager", MANAGER, "--kind", "ics-url",
            "--url", server.url(f"/c{number}.ics"),
        )  # fmt: skip


def _python(env: dict[str, str], script: str) -> str:
    """What a small script prints, run against the test's database in a process of its own."""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _runs(env: dict[str, str]) -> list[tuple[int, str, str]]:
    """(connection, status, worker) of every sync run, read with a small script."""
    script = (
        "from krutt.web import runtime; runtime.setup()\n"
        "from krutt.web.connections.models import SyncRun\n"
        "for r in SyncRun.objects.order_by('connection_id', 'pk'):\n"
        "    print(r.connection_id, r.status, r.worker)\n"
    )
    lines = _python(env, script).splitlines()
    return [(int(a), b, c) for a, b, c in (line.split(" ", 2) for line in lines)]


def test_every_due_sync_runs_exactly_once(
    env: dict[str, str], calendar_server: CalendarServer
) -> None:
    _setup(env, calendar_server, CONNECTIONS)
    for route in calendar_server.routes.values():
        route.delay = 0.3  # long enough for the workers to overlap
    calendar_server.requests.clear()
    workers = 2 if POSTGRES else 1
    processes = [
        subprocess.Popen(
            [str(KRUTT), "worker", "--once"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    runs = _runs(env)
    assert sorted(connection for connection, _, _ in runs) == list(range(1, CONNECTIONS + 1))
    assert {status for _, status, _ in runs} == {"synced"}
    assert len(calendar_server.requests) == CONNECTIONS
    if POSTGRES:
        assert len({worker for _, _, worker in runs}) == 2  # both workers took a share
    # Nothing is due any more: another round fetches nothing.
    _krutt(env, "worker", "--once")
    assert len(calendar_server.requests) == CONNECTIONS


def _state(env: dict[str, str]) -> dict[str, object]:
    """What a sync leaves: entries, batches, the cursor and the claim (read with a script)."""
    script = (
        "import json\n"
        "from krutt.web import runtime; runtime.setup()\n"
        "from krutt.web.connections.models import CalendarConnection\n"
        "from krutt.web.imports.models import ImportBatch\n"
        "from krutt.web.timelog.models import TimeEntry\n"
        "[c] = CalendarConnection.objects.all()\n"
        "print(json.dumps({'entries': TimeEntry.objects.count(),\n"
        "    'batches': ImportBatch.objects.count(), 'cursor': c.cursor,\n"
        "    'claimed': bool(c.claimed_by),\n"
        "    'claimed_until': c.claimed_until.timestamp() if c.claimed_until else None}))\n"
    )
    state: dict[str, object] = json.loads(_python(env, script))
    return state


def test_a_worker_killed_mid_sync_leaves_nothing_and_the_sync_runs_again(
    env: dict[str, str], calendar_server: CalendarServer
) -> None:
    # A lease long enough that a second worker, started on a busy machine, still finds the
    # claim held; the test then waits for the lease to run out rather than a fixed time.
    env = {**env, "KRUTT_SYNC_LEASE_SECONDS": str(LEASE)}
    _setup(env, calendar_server, 1)
    before = _state(env)
    assert before["entries"] == 0 and not before["claimed"]
    calendar_server.routes["/c0.ics"].delay = 120  # the worker is fetching when it is killed
    calendar_server.requests.clear()
    victim = subprocess.Popen(
        [str(KRUTT), "worker", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not calendar_server.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calendar_server.requests, "the worker never started its fetch"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    # Mid-sync and killed: its claim, and nothing else.
    killed = _state(env)
    assert killed["claimed"]
    assert (killed["entries"], killed["batches"], killed["cursor"]) == (
        0, before["batches"], before["cursor"]
    )  # fmt: skip
    assert _runs(env) == []
    calendar_server.routes["/c0.ics"].delay = 0
    # While the claim holds, another worker leaves the connection alone.
    _krutt(env, "worker", "--once")
    claimed_until = killed["claimed_until"]
    assert isinstance(claimed_until, float)
    assert time.time() < claimed_until, "the lease ran out before the check; raise LEASE"
    assert _runs(env) == []
    assert len(calendar_server.requests) == 1
    # Once the claim has expired (by the clock the workers compare it with) the next
    # worker runs the sync again, exactly once, and writes it whole.
    while time.time() <= claimed_until + 0.1:
        time.sleep(0.1)
    _krutt(env, "worker", "--once")
    [(connection, status, _)] = _runs(env)
    assert (connection, status) == (1, "synced")
    assert len(calendar_server.requests) == 2
    synced = _state(env)
    assert synced["batches"] == before["batches"] + 1  # type: ignore[operator]
    assert synced["entries"] > 0 and not synced["claimed"]  # type: ignore[operator]
    assert synced["cursor"] != before["cursor"]
    _krutt(env, "worker", "--once")  # and not again
    assert len(_runs(env)) == 1 and len(calendar_server.requests) == 2


def test_serve_with_worker_syncs_a_due_calendar(
    env: dict[str, str], calendar_server: CalendarServer
) -> None:
    from tests.connections.servers import free_port

    _setup(env, calendar_server, 1)
    calendar_server.requests.clear()
    server = subprocess.Popen(
        [str(KRUTT), "serve", "--with-worker", "--workers", "1", "--port", str(free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _runs(env):
            time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    [(connection, status, _)] = _runs(env)
    assert (connection, status) == (1, "synced")
