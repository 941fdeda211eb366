"""Killing `krutt import deals` in the middle of its commit leaves the database as it was.

The import runs in its own process against a SQLite file; it is killed with SIGKILL
while its transaction is writing (its write-ahead log is growing), then the file is
checked: intact, and the deal and actual tables exactly as before. A clean import of
the same file then works.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA

KRUTT = Path(sys.executable).with_name("krutt")
ROWS = 200_000
OWNERS = (
    "Kari Nordmann",
    "Ola Hansen",
    "Mari Johansen",
    "Fredrik Olsen",
    "Ingrid Larsen",
    "Anders Berg",
    "Sofie Pedersen",
    "Martin Kristiansen",
)
TABLES = (
    "imports_deal",
    "imports_importbatch",
    "imports_importchange",
    "sellers_monthlyresult",
    "sellers_segmentperiod",
    "audit_auditevent",
)


def _write_export(path: Path, rows: int) -> None:
    """A HubSpot export of the sample team's deals over 2025, with ids of its own."""
    rng = random.Random(7)
    stages = ("Closed won", "Closed lost", "Contract sent")
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,"
            "Pipeline,Associated Company\n"
        )
        for i in range(rows):
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            out.write(
                f"{90000000000 + i},Deal {i},{rng.choice(stages)},2025-{month:02d}-{day:02d} 12:00,"
                f"{rng.choice(OWNERS)},{rng.randint(1000, 90000)},2024-{month:02d}-{day:02d} 09:30,"
                f"Sales Pipeline,Company {i % 997} AS\n"
            )


def _state(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
            for table in TABLES
        }


@pytest.fixture
def workspace(tmp_path: Path):
    database = tmp_path / "krutt.sqlite3"
    env = {
        **os.environ,
        "KRUTT_DATA_DIR": str(tmp_path / "data"),
        "KRUTT_DATABASE_URL": f"sqlite:///{database}",
        "KRUTT_LANG": "en",
    }

    def krutt(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KRUTT), *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    for args in (
        ("init",),
        ("import", "sellers", DATA / "sellers.csv"),
        ("import", "performance", DATA / "targets.csv"),
        ("import", "deals", DATA / "crm" / "hubspot-deals.csv"),
    ):
        result = krutt(*args)
        assert result.returncode == 0, result.stderr
    return database, env, krutt


def test_a_killed_import_leaves_the_database_exactly_as_it_was(workspace, tmp_path):
    database, env, krutt = workspace
    export = tmp_path / "big.csv"
    _write_export(export, ROWS)
    before = _state(database)
    wal = database.with_name(database.name + "-wal")
    wal_at_rest = wal.stat().st_size if wal.exists() else 0

    process = subprocess.Popen(
        [str(KRUTT), "import", "deals", str(export)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    # Writing has begun once the transaction's pages spill into the write-ahead log.
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_at_rest + 4 * 1024 * 1024:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _state(database) == before

    again = krutt("import", "deals", export)

    assert again.returncode == 0, again.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM imports_deal").fetchone() == (342 + ROWS,)
        assert connection.execute(
            "SELECT COUNT(*) FROM sellers_monthlyresult WHERE month LIKE '2025-%'"
        ).fetchone() == (8 * 12,)
