"""`krutt export` is formula-safe and scoped to the organisation; `krutt backup` is consistent and private."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from krutt.web.audit.models import AuditEvent
from krutt.web.sellers.models import Seller
from tests.conftest import DATA

KRUTT = Path(sys.executable).with_name("krutt")


def test_an_export_defuses_formulas_in_names(sample_team):
    Seller.objects.filter(email="kari.nordmann@nordlys.example").update(
        name='=HYPERLINK("http://x","klikk")'
    )
    result = sample_team("export", "sellers")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["email", "name", "team", "start_date", "end_date"]
    kari = next(r for r in rows if r[0] == "kari.nordmann@nordlys.example")
    assert kari[1] == '\'=HYPERLINK("http://x","klikk")'
    assert len(rows) == 9
    assert AuditEvent.objects.get(action="export").changes == {"table": "sellers", "rows": 8}


def test_performance_exports_as_it_was_imported(sample_team):
    rows = list(csv.reader(io.StringIO(sample_team("export", "performance").out)))
    assert ["kari.nordmann@nordlys.example", "2026-05", "500000.00", "645900.00"] in rows


def test_a_backup_under_load_is_complete_consistent_and_private(tmp_path):
    env = {
        **os.environ,
        "KRUTT_DATA_DIR": str(tmp_path),
        "KRUTT_DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
    }
    subprocess.run([str(KRUTT), "init"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [str(KRUTT), "import", "sellers", str(DATA / "sellers.csv")],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    stop = threading.Event()
    batches = []

    def writer() -> None:
        # Another connection commits a batch of audit-like rows again and again during the backup.
        db = sqlite3.connect(tmp_path / "live.sqlite3", timeout=20)
        db.execute("CREATE TABLE IF NOT EXISTS load_batches (batch INTEGER, row INTEGER)")
        n = 0
        while not stop.is_set():
            with db:
                db.executemany(
                    "INSERT INTO load_batches VALUES (?, ?)", [(n, i) for i in range(50)]
                )
            batches.append(n)
            n += 1
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    target = tmp_path / "backup.sqlite3"
    before = len(batches)
    result = subprocess.run(
        [str(KRUTT), "backup", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    after = len(batches)
    stop.set()
    thread.join()
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        assert copy.execute("SELECT COUNT(*) FROM sellers_seller").fetchone()[0] == 8
        counts = copy.execute("SELECT batch, COUNT(*) FROM load_batches GROUP BY batch").fetchall()
    # Whole batches only, as many as were committed somewhere between the start and the end.
    assert all(count == 50 for _, count in counts)
    assert before <= len(counts) <= after + 1


def test_a_backup_never_overwrites(tmp_path):
    env = {
        **os.environ,
        "KRUTT_DATA_DIR": str(tmp_path),
        "KRUTT_DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "KRUTT_LANG": "en",
    }
    subprocess.run([str(KRUTT), "init"], env=env, check=True, capture_output=True, timeout=120)
    existing = tmp_path / "old.sqlite3"
    existing.write_text("keep me")
    result = subprocess.run(
        [str(KRUTT), "backup", str(existing)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, existing.read_text()) == (2, "keep me")
