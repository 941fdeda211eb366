"""A database lock held by another process: the CLI exits 2 with one sentence, the web says 503.

Run for real against the configured database (a fresh PostgreSQL database when the suite
runs on PostgreSQL, else a SQLite file), with a second connection holding the lock and
KRUTT_DB_LOCK_WAIT_SECONDS=1 so the wait runs out quickly.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from benchmarks.load import log_in

from tests.conftest import DATA

KRUTT = Path(sys.executable).with_name("krutt")
PASSWORD = "a-long-password-for-busy-tests"
MANAGER = "ingrid.berg@nordlys.example"
BUSY_EN = "krutt: The database is busy with another import; try again in a minute.\n"


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("KRUTT_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'busy.sqlite3'}"
        return
    import psycopg

    name = f"krutt_busy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path, database_url) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KRUTT_", "DJANGO_"))}
    environment.update(
        {
            "KRUTT_DATA_DIR": str(tmp_path),
            "KRUTT_DATABASE_URL": database_url,
            "KRUTT_LANG": "en",
            "KRUTT_DB_LOCK_WAIT_SECONDS": "1",
        }
    )
    return environment


def _krutt(env: dict[str, str], *args: object, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KRUTT), *map(str, args)],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def _lock_held(database_url: str, table: str) -> Iterator[None]:
    """Another connection holding the write lock (SQLite) or `table` (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    with psycopg.connect(database_url) as holder:
        holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()


def test_an_import_that_cannot_get_the_lock_is_exit_2_in_one_sentence(env, database_url):
    # given a set-up database whose sellers are locked by another connection
    assert _krutt(env, "init").returncode == 0
    with _lock_held(database_url, "sellers_seller"):
        # when a roster import waits longer than KRUTT_DB_LOCK_WAIT_SECONDS
        started = time.monotonic()
        result = _krutt(env, "import", "sellers", DATA / "sellers.csv")
        waited = time.monotonic() - started
    # then it says the database is busy, exit 2, and nothing was written
    assert (result.returncode, result.stderr) == (2, BUSY_EN)
    assert waited < 60
    after = _krutt(env, "import", "sellers", DATA / "sellers.csv", "--dry-run", "--json")
    assert after.returncode == 0, after.stderr
    assert '"created": 8' in after.stdout


@contextmanager
def _import_under_way(database_url: str) -> Iterator[None]:
    """What a running import holds until it commits: SQLite's write lock, or on PostgreSQL
    its organisation's row (FOR NO KEY UPDATE, as `hold_import_lock` takes it)."""
    if database_url.startswith("sqlite"):
        with _lock_held(database_url, ""):
            yield
        return
    import psycopg

    with psycopg.connect(database_url) as holder:
        holder.execute("SELECT id FROM accounts_organisation FOR NO KEY UPDATE")
        try:
            yield
        finally:
            holder.rollback()


def test_a_second_import_waits_for_the_first_and_then_says_the_database_is_busy(env, database_url):
    # given a roster imported, and another import of the organisation under way
    assert _krutt(env, "init").returncode == 0
    assert _krutt(env, "import", "sellers", DATA / "sellers.csv").returncode == 0
    with _import_under_way(database_url):
        # when monthly numbers are imported meanwhile (other tables than the first's)
        result = _krutt(env, "import", "performance", DATA / "targets.csv")
    # then it waited its KRUTT_DB_LOCK_WAIT_SECONDS, said so, and wrote nothing
    assert (result.returncode, result.stderr) == (2, BUSY_EN)
    again = _krutt(env, "import", "performance", DATA / "targets.csv", "--json")
    assert again.returncode == 0, again.stderr
    assert '"unchanged": 0' in again.stdout


def test_the_busy_sentence_is_norwegian_by_default(env, database_url):
    assert _krutt(env, "init").returncode == 0
    env = {k: v for k, v in env.items() if k != "KRUTT_LANG"}
    with _lock_held(database_url, "sellers_seller"):
        result = _krutt(env, "import", "sellers", DATA / "sellers.csv")
    assert (result.returncode, result.stderr) == (
        2,
        "krutt: Databasen er opptatt med en annen import; prøv igjen om et minutt.\n",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    server = subprocess.Popen(
        [str(KRUTT), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("krutt serve did not start")
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _log_in_under_lock(port: int, database_url: str) -> tuple[int, dict[str, str], str]:
    """Sign in while another connection holds the lock the login's session write needs."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login/", headers={"Accept-Language": "nb"})
        response = conn.getresponse()
        page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        assert token is not None and csrf is not None
        form = urlencode(
            {"csrfmiddlewaretoken": token[1], "username": MANAGER, "password": PASSWORD}
        )
        with _lock_held(database_url, "django_session"):
            conn.request(
                "POST",
                "/login/",
                body=form,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf[1]}",
                    "Accept-Language": "nb",
                },
            )
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_a_page_that_cannot_get_the_lock_is_a_readable_503(env, database_url):
    # given a manager with a password and a running server
    assert _krutt(env, "init").returncode == 0
    assert _krutt(env, "import", "sellers", DATA / "sellers.csv").returncode == 0
    added = _krutt(
        env, "user", "add", MANAGER, "--role", "manager", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    with _server(env) as port:
        # when she signs in while another connection holds the lock
        status, headers, page = _log_in_under_lock(port, database_url)
        # then it is a 503 that says so in Norwegian, and asks to come back in a minute
        assert status == 503
        assert headers["Retry-After"] == "60"
        assert "Databasen er opptatt med en annen import; prøv igjen om et minutt." in page
        assert "Traceback" not in page
        # and once the lock is free she signs in as usual
        assert "sessionid=" in log_in(port, MANAGER, PASSWORD)
