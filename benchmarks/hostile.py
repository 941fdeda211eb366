"""Hostile-input scenarios (issue 14): a 50,000-row roster, and XLSX bombs refused fast.

Each runs the real command (`krutt import …`) in its own process against its own SQLite
file, with its peak memory taken from the operating system, like `benchmarks.imports`.

- The roster's floor is `csv.reader` reading the same file in a process of its own; the
  goal is at least 5,000 rows a second, and the ratio to the floor is what does not
  depend on the machine.
- A bomb's baseline is the same command on a genuine 1,000-deal XLSX export: refusing a
  bomb should cost about what reading a small file costs, in time and in memory, however
  much it claims to unpack to.

`python -m benchmarks.hostile` runs these alone.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import random
import struct
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from tests.importers.spreadsheets import (
    _CONTENT_TYPES,
    _MAIN,
    _ROOT_RELS,
    _STYLES,
    _WORKBOOK,
    _WORKBOOK_RELS,
    make_xlsx,
)

from benchmarks.__main__ import RESULTS
from benchmarks.imports import CSV_FLOOR, _krutt_env, _measure, _prepare

_PARTS = {
    "[Content_Types].xml": _CONTENT_TYPES,
    "_rels/.rels": _ROOT_RELS,
    "xl/workbook.xml": _WORKBOOK,
    "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
    "xl/styles.xml": _STYLES,
}

KRUTT = Path(sys.executable).with_name("krutt")
ROSTER_ROWS = int(os.environ.get("BENCH_ROSTER_ROWS", 50_000))
TEAM_SIZE = 10
BOMB_MB = int(os.environ.get("BENCH_BOMB_MB", 1100))


def hostile_scenarios() -> list[dict[str, object]]:
    """The roster and the bombs, in a scratch folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="krutt-bench-hostile-") as scratch:
        folder = Path(scratch)
        return [roster_import(folder), *xlsx_bombs(folder)]


def write_roster(path: Path, rows: int) -> None:
    """An organisation's roster: teams of ten, each under its own manager, some aliases."""
    rng = random.Random(14)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "start_date", "team", "manager_email", "aliases"])
        for i in range(rows):
            team = i // TEAM_SIZE
            writer.writerow(
                [
                    f"Selger Nummer {i} Østby",
                    f"seller.{i}@bench.example",
                    f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    f"Salg {team}",
                    f"manager.{team}@bench.example",
                    f"s{i}@alias.bench.example" if i % 5 == 0 else "",
                ]
            )


def roster_import(folder: Path) -> dict[str, object]:
    env = _krutt_env(folder, "roster")
    _run(env, "init")
    roster = folder / "roster.csv"
    write_roster(roster, ROSTER_ROWS)
    floor = _measure(sys.executable, "-c", CSV_FLOOR, roster)
    run = _run(env, "import", "sellers", roster)
    rate = ROSTER_ROWS / run["seconds"]
    # On a shared machine the wall clock also counts other people's work; the CPU time
    # the import itself used is the figure that does not move with the load.
    cpu_rate = ROSTER_ROWS / run["cpu_seconds"]
    return {
        "scenario": f"import sellers, {ROSTER_ROWS:,} rows ({roster.stat().st_size / 1e6:.1f} MB CSV)",
        "seconds": round(run["seconds"], 2),
        "cpu_seconds": round(run["cpu_seconds"], 2),
        "rows_per_s": round(rate),
        "rows_per_cpu_s": round(cpu_rate),
        "peak_mb": round(run["peak_kb"] / 1024),
        "floor_csv_seconds": round(floor["seconds"], 3),
        "floor_csv_cpu_seconds": round(floor["cpu_seconds"], 3),
        "ratio_to_floor": round(run["seconds"] / floor["seconds"], 1),
        "cpu_ratio_to_floor": round(run["cpu_seconds"] / floor["cpu_seconds"], 1),
        "goal": ">= 5,000 rows/s",
        "met": rate >= 5_000,
        "met_in_cpu_time": cpu_rate >= 5_000,
    }


def write_deals_xlsx(path: Path, rows: int) -> None:
    """A genuine small HubSpot export as XLSX, the baseline a bomb is compared with."""
    rng = random.Random(3)
    header = ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount"]
    body = [
        [
            40_000_000 + i,
            f"Deal {i}",
            rng.choice(("Closed won", "Closed lost", "Qualified")),
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"Seller {rng.randrange(40)}",
            rng.randint(1_000, 900_000),
        ]
        for i in range(rows)
    ]
    path.write_bytes(make_xlsx([header, *body]))


def write_bomb(path: Path, megabytes: int, *, claimed: int | None = None) -> int:
    """The issue's bomb: one sheet of `megabytes` MB of the same row, deflated ~1,000 times.

    With `claimed`, the sheet's uncompressed size is rewritten in both ZIP headers: a bomb
    that lies about its size passes a check of the declared sizes, and only counting what
    really unpacks catches it. Returns the file's size.
    """
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 1000 + "</t></is></c></row>"
    ).encode()
    block = row * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for _ in range(megabytes):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    data = bytearray(buffer.getvalue())
    if claimed is not None:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        entry = archive.getinfo("xl/worksheets/sheet1.xml")
        central = bytes(data).index(entry.filename.encode(), archive.start_dir) - 46
        struct.pack_into("<I", data, central + 24, claimed)  # central directory
        struct.pack_into("<I", data, entry.header_offset + 22, claimed)  # local header
    path.write_bytes(data)
    return len(data)


def xlsx_bombs(folder: Path) -> list[dict[str, object]]:
    env = _prepare(folder, "bomb")
    small = folder / "deals-1000.xlsx"
    write_deals_xlsx(small, 1_000)
    baseline = _measure(KRUTT, "import", "deals", small, "--dry-run", env=env)
    if baseline["code"] != 0:
        raise RuntimeError(f"the baseline XLSX import failed: {baseline['err']}")
    bombs = (
        (f"{BOMB_MB:,} MB sheet, sizes declared", BOMB_MB, None),
        (f"{BOMB_MB:,} MB sheet, its size forged to 10 MB", BOMB_MB, 10 * 1024 * 1024),
        ("300 MB sheet (under the size limit)", 300, None),
    )
    results = []
    for label, megabytes, claimed in bombs:
        path = folder / "bomb.xlsx"
        size = write_bomb(path, megabytes, claimed=claimed)
        run = _measure(KRUTT, "import", "deals", path, "--dry-run", env=env)
        results.append(_bomb_result(label, size, run, baseline))
    return results


def _bomb_result(
    label: str, size: int, run: dict[str, Any], baseline: dict[str, Any]
) -> dict[str, object]:
    peak_mb = run["peak_kb"] / 1024
    # stderr: the refusal as FILE: sentence, then "1 problem; nothing was written."
    lines = run["err"].strip().splitlines()
    return {
        "scenario": f"XLSX bomb: {label}, {size / 1e6:.1f} MB file",
        "exit_code": run["code"],
        "refusal": lines[0] if lines else "",
        "seconds": round(run["seconds"], 2),
        "cpu_seconds": round(run["cpu_seconds"], 2),
        "peak_mb": round(peak_mb),
        "baseline": "import deals --dry-run of a genuine 1,000-deal XLSX",
        "baseline_seconds": round(baseline["seconds"], 2),
        "baseline_cpu_seconds": round(baseline["cpu_seconds"], 2),
        "baseline_peak_mb": round(baseline["peak_kb"] / 1024),
        "ratio_seconds": round(run["seconds"] / baseline["seconds"], 2),
        "ratio_peak": round(peak_mb / (baseline["peak_kb"] / 1024), 2),
        "ratio_cpu": round(run["cpu_seconds"] / baseline["cpu_seconds"], 2),
        "goal": "exit 2 with one sentence, < 2x the baseline's time and memory",
        "met": run["code"] == 2
        and len(lines) == 2
        and run["seconds"] < 2 * baseline["seconds"]
        and peak_mb < 2 * baseline["peak_kb"] / 1024,
    }


def _run(env: dict[str, str], *args: object) -> dict[str, Any]:
    run = _measure(KRUTT, *args, env=env)
    if run["code"] != 0:
        raise RuntimeError(f"krutt {' '.join(map(str, args))} failed: {run['err']}")
    return run


def main() -> int:
    results = hostile_scenarios()
    for item in results:
        print()
        for key, value in item.items():
            print(f"  {key:<22} {value}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"hostile-{date.today().isoformat()}.json"
    report = {
        "date": date.today().isoformat(),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}",
        "results": results,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
