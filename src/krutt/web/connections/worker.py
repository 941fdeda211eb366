"""`krutt worker`: queued jobs (django-tasks-db), due calendar and CRM syncs, until stopped.

Each round runs every ready job, then every due calendar sync, then every due CRM sync
(one claim at a time, so several workers share them), then the daily retention purge of
each organisation not purged today (`krutt privacy purge`), then sleeps. SIGTERM/SIGINT
finish the round in progress and stop.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

from django.db import close_old_connections

from krutt.web.connections.sync import SyncReport, run_due, worker_id
from krutt.web.crm.sync import CrmSyncReport
from krutt.web.crm.sync import run_due as run_due_crm
from krutt.web.privacy.purge import purge_due


def run_jobs(worker: str) -> None:
    """Run every job that is ready, then return (django-tasks-db's own worker, in batch mode)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker[:64],
        excluded_queue_names=[],
    ).run()


def run_worker(
    *,
    once: bool,
    interval: float = 5.0,
    on_sync: Callable[[SyncReport], None] | None = None,
    on_crm_sync: Callable[[CrmSyncReport], None] | None = None,
) -> int:
    """Run rounds until stopped (or one round with `once`); the number of syncs run."""
    worker = worker_id()
    stop = threading.Event()

    def stopping(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stopping)
        signal.signal(signal.SIGINT, stopping)
    synced = 0
    while not stop.is_set():
        close_old_connections()
        run_jobs(worker)
        for report in run_due(worker=worker):
            synced += 1
            if on_sync is not None:
                on_sync(report)
        for crm_report in run_due_crm(worker=worker):
            synced += 1
            if on_crm_sync is not None:
                on_crm_sync(crm_report)
        purge_due()
        if once:
            break
        stop.wait(interval)
    return synced
