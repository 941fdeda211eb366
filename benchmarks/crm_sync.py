"""CRM sync: an incremental sync of 10 changed deals in an organisation with a million kept.

Measured in its own process and SQLite file, after a roster of 40 sellers: first a full
sync that keeps BENCH_CRM_DEALS deals (the baseline), then 10 of them change (amounts,
and some close in another month) and an incremental sync writes them. Both go through
the real write path, `sync_deals` → `import_crm_deals` → the deal import, in one
transaction each; the CRM's answer is built in memory, so the network (the CRM's own
speed) is left out of both. Goal: the incremental sync costs at most 1 % of the full one.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.imports import SELLERS, _prepare

DEALS = int(os.environ.get("BENCH_CRM_DEALS", 1_000_000))
CHANGED = 10
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def crm_sync_scenario() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="krutt-bench-crm-") as scratch:
        env = _prepare(Path(scratch), "crm")
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.crm_sync", "--inner"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        sys.stderr.write(done.stderr)
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    ratio = figures["incremental_seconds"] / figures["full_seconds"]
    return {
        "scenario": f"crm sync, {CHANGED} changed deals among {DEALS:,} kept",
        **figures,
        "ratio_incremental_to_full": f"{ratio:.2%}",
        "goal": "incremental <= 1 % of a full sync",
        "met": ratio <= 0.01,
    }


def _deals(count: int) -> list[Any]:
    from krutt.connections.crm_records import CrmDeal

    rng = random.Random(15)
    deals = []
    for i in range(count):
        won = rng.random() < 0.5
        closed = won or rng.random() < 0.4
        deals.append(
            CrmDeal(
                deal_id=str(40_000_000_000 + i),
                name=f"Deal {i}",
                owner=f"Seller {rng.randrange(SELLERS)}",
                owner_email=None,
                amount=Decimal(rng.randint(1_000, 900_000)),
                currency="NOK",
                stage="Closed won" if won else ("Closed lost" if closed else "Qualified"),
                won=won,
                closed=closed,
                closed_on=date(2025, rng.randint(1, 12), rng.randint(1, 28)),
                created_on=date(2024, 6, 1),
                account=f"Company {i % 5000} AS",
                modified_at=EPOCH + timedelta(seconds=i),
            )
        )
    return deals


def _inner() -> None:
    from dataclasses import replace

    from django.db import transaction

    from krutt.connections.crm_records import CrmFetch
    from krutt.importers.outcome_names import OutcomeNames
    from krutt.services.sync_deals import sync_deals
    from krutt.web import runtime

    runtime.setup()
    from krutt.web.accounts.models import Organisation
    from krutt.web.imports.deals import import_crm_deals

    organisation = Organisation.objects.get()

    class Sink:
        def write(self, deals: Any, changes: Any) -> Any:
            return import_crm_deals(
                deals, organisation, source="hubspot", changes=changes, label="crm:hubspot"
            )[0]

    class Feed:
        def __init__(self, fetched: CrmFetch) -> None:
            self.fetched = fetched

        def fetch(self) -> CrmFetch:
            return self.fetched

    def run(fetched: CrmFetch) -> tuple[float, Any]:
        started = time.perf_counter()
        with transaction.atomic():
            outcome = sync_deals(
                kind="hubspot",
                feed=Feed(fetched),
                sink=Sink(),
                names=OutcomeNames(),
                watermark=None,
                now=datetime.now(UTC),
                every_minutes=360,
                failures=0,
            )
        assert outcome.status == "synced", outcome.error
        return time.perf_counter() - started, outcome.result

    deals = _deals(DEALS)
    full_seconds, _ = run(CrmFetch(complete=True, deals=deals, deleted=[], watermark=None))
    rng = random.Random(7)
    later = EPOCH + timedelta(days=400)
    changed = [
        replace(
            deal,
            amount=(deal.amount or Decimal(0)) + 1000,
            closed_on=deal.closed_on if n % 2 else date(2025, 12, 15),
            won=True,
            closed=True,
            modified_at=later + timedelta(seconds=n),
        )
        for n, deal in enumerate(rng.sample(deals, CHANGED))
    ]
    del deals
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
    seconds, result = run(CrmFetch(complete=False, deals=changed, deleted=[], watermark=None))
    if os.environ.get("BENCH_PROFILE"):
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    print(
        json.dumps(
            {
                "full_seconds": round(full_seconds, 2),
                "incremental_seconds": round(seconds, 3),
                "incremental_updated": result.summary.updated,
                "incremental_months": len(result.months),
                "incremental_actuals_changed": result.actuals_changed,
            }
        )
    )


if __name__ == "__main__":
    if "--inner" in sys.argv:
        _inner()
    else:
        for key, value in crm_sync_scenario().items():
            print(f"  {key:<28} {value}")
