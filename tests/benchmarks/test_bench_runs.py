"""`make bench` keeps working: every scenario runs end to end on a tiny organisation.

The figures are meaningless at this size; what is checked is that each scenario still
runs against today's schema and reports its ratio and goal (a change that breaks a
scenario used to surface only when someone next ran the benchmarks).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TINY = {
    "BENCH_MANAGERS": "3",
    "BENCH_ENTRIES": "3000",
    "BENCH_DEAL_ROWS": "2000",
    "BENCH_CALENDAR_EVENTS": "200",
    "BENCH_LOAD_CLIENTS": "2",
    "BENCH_LOAD_SECONDS": "1",
    "BENCH_SYNC_EVENTS": "200",
    "BENCH_CRM_DEALS": "2000",
    "BENCH_ROSTER_ROWS": "500",
}


def test_every_benchmark_scenario_runs_and_reports_its_goal(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRUTT_", "BENCH_"))}
    # Its own SQLite file, whatever database the suite runs on: the bench needs an empty one.
    env.update(
        TINY,
        KRUTT_DATA_DIR=str(tmp_path / "data"),
        KRUTT_DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        BENCH_RESULTS=str(tmp_path / "results"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (written,) = (tmp_path / "results").glob("sqlite-*.json")
    results = json.loads(written.read_text())["results"]
    by_name = {r["scenario"]: r for r in results}

    def scenario(start: str) -> dict:
        found = [r for name, r in by_name.items() if name.startswith(start)]
        assert found, (start, list(by_name))
        return found[0]

    # The three ratios the closing notes quote, and the others' goals.
    assert scenario("weekly report, one manager")["ratio"] > 0
    assert scenario("import deals")["ratio_to_floor"] > 0
    assert scenario("page under load: dashboard")["ratio"] > 0
    scenario("import calendar")
    scenario("krutt outcome, one manager")
    for result in results:
        if "goal" in result and not str(result["goal"]).startswith("reported"):
            # Every goal comes with its verdict (`met`, or `met_…` per part of it).
            verdicts = [v for k, v in result.items() if k == "met" or k.startswith("met_")]
            assert verdicts and all(isinstance(v, bool) for v in verdicts), result
