"""`krutt serve` under concurrent requests: every worker has its own database connection.

Runs against the configured database (a fresh PostgreSQL database when the suite runs on
PostgreSQL, else a SQLite file): the master process migrates before it forks the workers,
and a connection it kept open must never be shared by them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from benchmarks.load import Target, concurrent, log_in

KRUTT = Path(sys.executable).with_name("krutt")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("KRUTT_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'serve.sqlite3'}"
        return
    import psycopg

    name = f"krutt_serve_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_concurrent_requests_on_every_worker_all_succeed(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRUTT_", "DJANGO_"))}
    env.update({"KRUTT_DATA_DIR": str(tmp_path), "KRUTT_DATABASE_URL": database_url})
    subprocess.run([str(KRUTT), "demo"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [str(KRUTT), "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
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
        cookies = [
            log_in(port, email, "krutt-demo-2026")
            for email in (
                "ingrid.berg@nordlys.example",
                "per.aasen@nordlys.example",
                "lise.moe@nordlys.example",
            )
        ]
        with ThreadPoolExecutor(3) as pool:
            results = list(
                pool.map(
                    lambda c: concurrent(
                        port, Target(path="/", cookies=c, expect="De beste"), clients=4, seconds=3
                    ),
                    cookies,
                )
            )
        for samples in results:
            assert samples.errors == 0, samples.first_error
            assert len(samples.latencies_s) > 10
    finally:
        server.terminate()
        server.wait(timeout=30)
