"""A CalDAV calendar of 10,000 events: the first sync against the file import of the same
events, and later syncs against the first (no change; 10 changed events).

A real Radicale server on loopback holds the calendar (uploaded whole, one object per
event); each measurement runs in its own process against its own SQLite file, timing
only the work (not Python's start-up): `import_calendar_file` for the file and `sync_now`
for the connection; the later syncs run in a process that has synced once before, as a
long-running worker has. `python -m benchmarks.calendar_sync` runs this alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.imports import KRUTT, MANAGER, _prepare, write_calendar

EVENTS = int(os.environ.get("BENCH_SYNC_EVENTS", 10_000))
CHANGED = 10

FILE_IMPORT = """
import json, sys, time
from krutt.web import runtime
runtime.setup()
from django.db import transaction
from krutt.web.accounts.directory import the_manager, the_organisation
from krutt.web.imports.calendar import import_calendar_file
organisation = the_organisation(None)
manager = the_manager(organisation, sys.argv[2])
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
with transaction.atomic():
    result, batch = import_calendar_file(data, organisation, manager=manager, filename="bench.ics")
print(json.dumps({"seconds": time.perf_counter() - start, "created": result.summary.created}))
"""
SYNC = """
import json, os, sys, time
from krutt.web import runtime
runtime.setup()
from krutt.web.connections.sync import sync_now
warm, trigger = sys.argv[2] == "warm", sys.argv[3]
if warm:
    # As a long-running worker: its code and connections are loaded by an earlier round.
    sync_now(int(sys.argv[1]))
    print("ready", flush=True)
    while trigger and not os.path.exists(trigger):
        time.sleep(0.05)
start = time.perf_counter()
report = sync_now(int(sys.argv[1]))
seconds = time.perf_counter() - start
counts = report.batch.counts if report.batch is not None else {}
print(json.dumps({"seconds": seconds, "status": report.outcome.status,
                  "created": counts.get("created", 0), "updated": counts.get("updated", 0)}))
"""
HREFS = """
import json, sys
from krutt.web import runtime
runtime.setup()
from krutt.web.connections.models import CalendarObject
rows = CalendarObject.objects.order_by("href").values_list("href", "data")[: int(sys.argv[1])]
print(json.dumps([[h, d] for h, d in rows]))
"""


def _python(env: dict[str, str], script: str, *args: object) -> Any:
    done = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "-c", script, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def sync_scenarios() -> list[dict[str, object]]:
    from tests.connections.servers import Radicale

    with tempfile.TemporaryDirectory(prefix="krutt-bench-sync-") as scratch:
        folder = Path(scratch)
        export = folder / "calendar.ics"
        write_calendar(export, EVENTS)
        (folder / "dav").mkdir()
        server = Radicale(folder / "dav", {"bench": "bench-password"})
        print(f"CalDAV sync: {EVENTS:,} events in Radicale …", flush=True)
        try:
            return _measure(folder, export, server)
        finally:
            server.stop()


def _measure(folder: Path, export: Path, server: Any) -> list[dict[str, object]]:
    from tests.connections.servers import split_events

    url = server.make_calendar("bench", "sales")
    # One object per event, as calendar apps keep them, written straight into Radicale's
    # storage folder (its own format; Radicale reads files changed beside it): a PUT checks
    # every UID of the collection, so ten thousand PUTs take quadratic time.
    store = folder / "dav" / "store" / "collection-root" / "bench" / "sales"
    for name, ics in split_events(export.read_bytes()):
        (store / f"{name}.ics").write_bytes(ics)
    with server.client("bench") as http:
        # Radicale builds its cache of the new files once, as it would have on each PUT.
        http.request("PROPFIND", "/bench/sales/", headers={"Depth": "1"}, timeout=3600)
    file_env = _prepare(folder, "file")
    filed = _python(file_env, FILE_IMPORT, export, MANAGER)

    env = {**_prepare(folder, "sync"), "KRUTT_ALLOW_LOOPBACK_CONNECTIONS": "1"}
    # A connected calendar needs the team told of the measurement first (§ 9-2).
    subprocess.run(  # noqa: S603 (krutt itself)
        [str(KRUTT), "privacy", "notice", "--team", "Bench", "--informed-on", "2026-01-05",
         "--discussed-on", "2025-12-15", "--purpose", "Benchmark"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    subprocess.run(  # noqa: S603 (krutt itself)
        [str(KRUTT), "calendar", "connect", "--manager", MANAGER, "--kind", "caldav",
         "--url", url, "--username", "bench", "--password-stdin"],
        input="bench-password\n", env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    print("connected; syncing …", flush=True)
    first = _python(env, SYNC, 1, "cold", "")
    unchanged = _python(env, SYNC, 1, "warm", "")
    hrefs = _python(env, HREFS, CHANGED)
    trigger = folder / "changed"
    waiting = subprocess.Popen(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "-c", SYNC, "1", "warm", str(trigger)],
        env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert waiting.stdout is not None and waiting.stdout.readline().strip() == "ready"
    with server.client("bench") as http:
        for href, data in hrefs:
            changed = _longer(data)
            http.put(href, content=changed.encode(), headers={"Content-Type": "text/calendar"})
    trigger.touch()
    ten = json.loads(waiting.communicate(timeout=3600)[0].strip().splitlines()[-1])
    ratio_first = first["seconds"] / filed["seconds"]
    ratio_none = unchanged["seconds"] / first["seconds"]
    ratio_ten = ten["seconds"] / first["seconds"]
    return [
        {
            "scenario": f"CalDAV first sync, {EVENTS:,} events (Radicale), vs the file import",
            "seconds": round(first["seconds"], 2),
            "file_import_seconds": round(filed["seconds"], 2),
            "entries": first["created"],
            "file_entries": filed["created"],
            "ratio": round(ratio_first, 2),
            "goal": "reported (the same import behind both)",
        },
        {
            "scenario": "CalDAV sync with no change on the server, vs the first sync",
            "seconds": round(unchanged["seconds"], 3),
            "status": unchanged["status"],
            "ratio": round(ratio_none, 4),
            "goal": "<= 5 % of the first sync",
            "met": ratio_none <= 0.05,
        },
        {
            "scenario": f"CalDAV sync after {CHANGED} changed events, vs the first sync",
            "seconds": round(ten["seconds"], 2),
            "updated": ten["updated"],
            "ratio": round(ratio_ten, 3),
            "goal": "<= 5 % of the first sync",
            "met": ratio_ten <= 0.05,
        },
    ]


def _longer(data: str) -> str:
    """The same meeting half an hour longer, as a manager moves its end."""
    import re
    from datetime import datetime, timedelta

    def later(found: re.Match[str]) -> str:
        end = datetime.strptime(found.group(2), "%Y%m%dT%H%M%S") + timedelta(minutes=30)
        return f"{found.group(1)}{end:%Y%m%dT%H%M%S}"

    return re.sub(r"(DTEND;TZID=Europe/Oslo:)(\d{8}T\d{6})", later, data, count=1)


def main() -> int:
    for item in sync_scenarios():
        print()
        for key, value in item.items():
            print(f"  {key:<22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
