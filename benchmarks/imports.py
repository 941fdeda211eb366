"""Import scenarios: a million-row CRM export and a 100,000-event calendar, against their floors.

Each is measured as the real command (`krutt import …`) in its own process against its
own SQLite file, with its peak memory taken from the operating system; the floors are
the same file read by the standard library `csv` module alone, and the same calendar
expanded by `recurring_ical_events` alone over the same year.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

KRUTT = Path(sys.executable).with_name("krutt")
DEAL_ROWS = int(os.environ.get("BENCH_DEAL_ROWS", 1_000_000))
CALENDAR_EVENTS = int(os.environ.get("BENCH_CALENDAR_EVENTS", 100_000))
SELLERS = 40
MANAGER = "boss@bench.example"

# Runs a command and reports its wall time and peak memory (the only child it waits for).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_kb": usage.ru_maxrss, "code": done.returncode, "err": done.stderr[-2000:]}))
"""
CSV_FLOOR = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = sum(1 for _ in csv.reader(f))
"""
EXPANSION_FLOOR = """
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
import recurring_ical_events
from icalendar import Calendar
zone = ZoneInfo("Europe/Oslo")
with open(sys.argv[1], "rb") as f:
    calendar = Calendar.from_ical(f.read())
events = list(
    recurring_ical_events.of(calendar).between(
        datetime(2026, 1, 1, tzinfo=zone), datetime(2027, 1, 1, tzinfo=zone)
    )
)
"""


def import_scenarios() -> list[dict[str, object]]:
    """Both import scenarios, in a scratch folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="krutt-bench-imports-") as scratch:
        folder = Path(scratch)
        return [deals_import(folder), calendar_import(folder)]


def _measure(*command: object, env: dict[str, str] | None = None) -> dict[str, Any]:
    # Our own interpreter and krutt, on files this module wrote.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEASURE, *map(str, command)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _krutt_env(folder: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "KRUTT_DATA_DIR": str(folder / f"{name}-data"),
        "KRUTT_DATABASE_URL": f"sqlite:///{folder / name}.sqlite3",
        "KRUTT_LANG": "en",
    }


def _prepare(folder: Path, name: str) -> dict[str, str]:
    """A fresh database with a roster of 40 sellers under one manager."""
    env = _krutt_env(folder, name)
    roster = folder / f"{name}-roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "start_date", "team", "manager_email", "aliases"])
        for i in range(SELLERS):
            writer.writerow(
                [f"Seller {i}", f"s{i}@bench.example", "2020-01-06", "Bench", MANAGER, ""]
            )
    for args in (("init",), ("import", "sellers", roster)):
        subprocess.run(  # noqa: S603 (krutt itself, on files this module wrote)
            [str(KRUTT), *map(str, args)], env=env, check=True, capture_output=True
        )
    return env


def write_deals(path: Path, rows: int) -> None:
    """A HubSpot deal export over 2025: won, lost and open deals of the roster's sellers."""
    rng = random.Random(11)
    stages = ("Closed won", "Closed won", "Closed lost", "Contract sent", "Qualified")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Record ID",
                "Deal Name",
                "Deal Stage",
                "Close Date",
                "Deal owner",
                "Amount",
                "Create Date",
                "Pipeline",
                "Associated Company",
            ]
        )
        for i in range(rows):
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            writer.writerow(
                [
                    30_000_000_000 + i,
                    f"Deal {i}",
                    rng.choice(stages),
                    f"2025-{month:02d}-{day:02d} 12:00",
                    f"Seller {rng.randrange(SELLERS)}",
                    rng.randint(1_000, 900_000),
                    f"2024-{month:02d}-{day:02d} 09:30",
                    "Sales Pipeline",
                    f"Company {i % 5000} AS",
                ]
            )


def deals_import(folder: Path) -> dict[str, object]:
    env = _prepare(folder, "deals")
    export = folder / "deals.csv"
    write_deals(export, DEAL_ROWS)
    floor = _measure(sys.executable, "-c", CSV_FLOOR, export)
    run = _run_with(env, "import", "deals", export)
    rate = DEAL_ROWS / run["seconds"]
    peak_mb = run["peak_kb"] / 1024
    return {
        "scenario": f"import deals, {DEAL_ROWS:,} rows ({export.stat().st_size / 1e6:.0f} MB CSV)",
        "seconds": round(run["seconds"], 2),
        "rows_per_s": round(rate),
        "peak_mb": round(peak_mb),
        "floor_csv_seconds": round(floor["seconds"], 2),
        "floor_rows_per_s": round(DEAL_ROWS / floor["seconds"]),
        "ratio_to_floor": round(run["seconds"] / floor["seconds"], 1),
        "goal": ">= 50,000 rows/s, peak < 500 MB",
        "met": rate >= 50_000 and peak_mb < 500,
    }


def write_calendar(path: Path, events: int) -> None:
    """A manager's year: one-to-one meetings with sellers, one in a hundred a weekly series."""
    rng = random.Random(5)
    first = datetime(2026, 1, 1, 8)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//krutt//bench//EN\r\n"
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n"
            "TZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
            "END:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
            "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\n"
        )
        for i in range(events):
            start = first + timedelta(days=rng.randrange(358), minutes=15 * rng.randrange(36))
            end = start + timedelta(minutes=rng.choice((30, 45, 60, 90)))
            series = "RRULE:FREQ=WEEKLY;COUNT=10\r\n" if i % 100 == 0 else ""
            out.write(
                f"BEGIN:VEVENT\r\nUID:bench-{i}@krutt\r\n"
                f"DTSTART;TZID=Europe/Oslo:{start:%Y%m%dT%H%M%S}\r\n"
                f"DTEND;TZID=Europe/Oslo:{end:%Y%m%dT%H%M%S}\r\n{series}"
                f"SUMMARY:1:1 {i}\r\n"
                f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:s{rng.randrange(SELLERS)}@bench.example\r\n"
                "END:VEVENT\r\n"
            )
        out.write("END:VCALENDAR\r\n")


def calendar_import(folder: Path) -> dict[str, object]:
    env = _prepare(folder, "calendar")
    export = folder / "calendar.ics"
    write_calendar(export, CALENDAR_EVENTS)
    floor = _measure(sys.executable, "-c", EXPANSION_FLOOR, export)
    run = _run_with(
        env,
        "import",
        "calendar",
        export,
        "--manager",
        MANAGER,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    )
    ratio = run["seconds"] / floor["seconds"]
    return {
        "scenario": (
            f"import calendar, {CALENDAR_EVENTS:,} events "
            f"({export.stat().st_size / 1e6:.0f} MB .ics, one year)"
        ),
        "seconds": round(run["seconds"], 2),
        "peak_mb": round(run["peak_kb"] / 1024),
        "floor_expansion_seconds": round(floor["seconds"], 2),
        "floor_peak_mb": round(floor["peak_kb"] / 1024),
        "ratio": round(ratio, 2),
        "goal": "<= 1.5 x recurring_ical_events expansion alone",
        "met": ratio <= 1.5,
    }


def _run_with(env: dict[str, str], *args: object) -> dict[str, Any]:
    """`krutt …` measured, in the scenario's own database."""
    run = _measure(KRUTT, *args, env=env)
    if run["code"] != 0:
        raise RuntimeError(f"krutt {' '.join(map(str, args))} failed: {run['err']}")
    return run
