"""When a connected calendar is synced next: on its schedule, or sooner-then-later after a failure."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_RETRY_MINUTES = 5
MAX_RETRY_MINUTES = 6 * 60
STALE_AFTER = timedelta(days=1)


def next_sync_at(
    *,
    now: datetime,
    every_minutes: int,
    failures: int,
    retry_after_seconds: int | None = None,
) -> datetime:
    """`now + every_minutes` after a success (`failures == 0`).

    After the n-th failure in a row: 5, 10, 20 … minutes, never longer than the schedule
    or six hours (whichever is longer), and never sooner than the server asked (429).
    """
    if failures <= 0:
        return now + timedelta(minutes=every_minutes)
    limit = max(every_minutes, MAX_RETRY_MINUTES)
    minutes = min(FIRST_RETRY_MINUTES * 2 ** min(failures - 1, 16), limit)
    wait = timedelta(minutes=minutes)
    if retry_after_seconds is not None:
        wait = max(wait, timedelta(seconds=retry_after_seconds))
    return now + wait


def is_stale(*, now: datetime, last_success_at: datetime | None, created_at: datetime) -> bool:
    """A day without a successful sync (counted from the connection's start if never)."""
    since = last_success_at or created_at
    return now - since > STALE_AFTER


RECONCILE_EVERY = timedelta(days=7)


def full_sync_due(
    *, now: datetime, last_full_at: datetime | None, every: timedelta = RECONCILE_EVERY
) -> bool:
    """A CRM that does not report deletions is read in full this often (and at first)."""
    return last_full_at is None or now - last_full_at >= every
