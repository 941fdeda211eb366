"""Sync one connected calendar: fetch what changed, keep it, import the whole calendar again.

The feed (the network) is read first; then the sink keeps what the server sent (a CalDAV
calendar's objects, a feed's cursor) and gives back the whole calendar as .ics bytes,
or None when nothing changed. Those bytes go through the calendar import, the same use
case as an uploaded file, so a synced calendar gives exactly the file import's report.
A failure (the server, or a calendar the import rejects) writes nothing: the caller
rolls the sink and the import back and records `error`; the next try follows the backoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from krutt.connections.errors import ConnectionFailed
from krutt.connections.records import Fetch
from krutt.domain.messages import Message, gettext_noop
from krutt.domain.sync_schedule import next_sync_at
from krutt.services.import_calendar import CalendarImport, CalendarRejected


class CalendarFeed(Protocol):
    def fetch(self) -> Fetch:
        """What changed on the server since the stored cursor; raises `ConnectionFailed`."""
        ...


class CalendarSink(Protocol):
    def apply(self, fetch: Fetch) -> bytes | None:
        """Keep the fetched objects; the whole calendar when it changed, else None."""
        ...

    def write(self, data: bytes) -> CalendarImport:
        """Import the calendar (raises `CalendarRejected`, writing nothing)."""
        ...


@dataclass(kw_only=True)
class SyncOutcome:
    """`status`: synced, unchanged or failed; `result` the import's report when synced."""

    status: str
    next_sync_at: datetime
    failures: int
    cursor: dict[str, Any] | None = None
    result: CalendarImport | None = None
    error: Message | None = None
    problems: list[Message] = field(default_factory=list)


def sync_calendar(
    *,
    feed: CalendarFeed,
    sink: CalendarSink,
    now: datetime,
    every_minutes: int,
    failures: int,
) -> SyncOutcome:
    try:
        fetch = feed.fetch()
        data = sink.apply(fetch)
        if data is None:
            return SyncOutcome(
                status="unchanged",
                next_sync_at=next_sync_at(now=now, every_minutes=every_minutes, failures=0),
                failures=0,
                cursor=fetch.cursor,
            )
        result = sink.write(data)
    except ConnectionFailed as failed:
        return _failed(failed.message, now, every_minutes, failures + 1, failed.retry_after)
    except CalendarRejected as rejected:
        problems = [p.message for p in rejected.result.summary.problems]
        outcome = _failed(
            problems[0] if problems else Message(REJECTED), now, every_minutes, failures + 1
        )
        outcome.result, outcome.problems = rejected.result, problems
        return outcome
    return SyncOutcome(
        status="synced",
        next_sync_at=next_sync_at(now=now, every_minutes=every_minutes, failures=0),
        failures=0,
        cursor=fetch.cursor,
        result=result,
    )


def _failed(
    error: Message,
    now: datetime,
    every_minutes: int,
    failures: int,
    retry_after: int | None = None,
) -> SyncOutcome:
    return SyncOutcome(
        status="failed",
        next_sync_at=next_sync_at(
            now=now,
            every_minutes=every_minutes,
            failures=failures,
            retry_after_seconds=retry_after,
        ),
        failures=failures,
        error=error,
    )


REJECTED = gettext_noop("The calendar could not be imported.")
