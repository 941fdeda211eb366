"""Run every benchmark scenario on a fresh synthetic organisation and record the figures.

Uses a temporary SQLite file unless KRUTT_DATABASE_URL points elsewhere (then the
database must be empty and disposable). Prints a table and writes
benchmarks/results/<database>-<date>.json.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# BENCH_RESULTS: another folder for the figures (the suite's smoke run writes to a scratch one).
RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).resolve().parent / "results")


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="krutt-bench-")
    os.environ.setdefault("KRUTT_DATA_DIR", scratch)
    os.environ.setdefault("KRUTT_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    from krutt.web import runtime

    runtime.setup()
    runtime.migrate()
    from django.db import connection

    from benchmarks import (
        api,
        calendar_sync,
        crm_sync,
        foundation,
        hostile,
        imports,
        outcome,
        pages,
        planning,
    )
    from benchmarks.synthetic import Scale, build

    scale = Scale(
        managers=int(os.environ.get("BENCH_MANAGERS", 100)),
        entries=int(os.environ.get("BENCH_ENTRIES", 500_000)),
    )
    started = time.perf_counter()
    data = build(scale, today=date.today())
    print(
        f"synthetic organisation: {scale} built in {time.perf_counter() - started:.1f} s on {connection.vendor}"
    )
    results = [foundation.weekly_report(data), foundation.segment_refresh(data)]
    results.append(api.report_endpoint(data))
    results += [planning.one_plan(), planning.every_manager(data)]
    results.extend(outcome.outcome_scenarios(data))
    results.extend(pages.page_load())
    results.extend(imports.import_scenarios())
    results.extend(hostile.hostile_scenarios())
    results.extend(calendar_sync.sync_scenarios())
    results.append(crm_sync.crm_sync_scenario())
    report = {
        "date": date.today().isoformat(),
        "database": connection.vendor,
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} · {os.cpu_count()} cores · {platform.processor() or platform.platform()}",
        "scale": scale.__dict__,
        "results": results,
    }
    for item in results:
        print()
        for key, value in item.items():
            print(f"  {key:<22} {value}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{connection.vendor}-{report['date']}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\nwritten to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
