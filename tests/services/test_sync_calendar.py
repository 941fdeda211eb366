"""`sync_calendar`: fetch, keep, import; unchanged writes nothing; a failure backs off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import BUSY, REFUSED
from krutt.connections.records import Fetch, Resource
from krutt.services.import_calendar import CalendarImport, CalendarRejected
from krutt.services.imports import ImportSummary
from krutt.services.sync_calendar import sync_calendar

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class Feed:
    def __init__(self, fetch: Fetch | None = None, error: ConnectionFailed | None = None) -> None:
        self.result, self.error = fetch, error

    def fetch(self) -> Fetch:
        if self.error:
            raise self.error
        assert self.result is not None
        return self.result


class Sink:
    def __init__(self, rejected: CalendarRejected | None = None) -> None:
        self.applied: list[Fetch] = []
        self.written: list[bytes] = []
        self.rejected = rejected

    def apply(self, fetch: Fetch) -> bytes | None:
        self.applied.append(fetch)
        return None if fetch.empty else b"".join(r.data for r in fetch.changed)

    def write(self, data: bytes) -> CalendarImport:
        if self.rejected:
            raise self.rejected
        self.written.append(data)
        return "imported"  # type: ignore[return-value]


CHANGED = Fetch(
    full=True, changed=[Resource(href="", etag="1", data=b"ICS")], deleted=[], cursor={"t": 2}
)
EMPTY = Fetch(full=False, changed=[], deleted=[], cursor={"t": 1})


def test_a_change_is_imported_and_the_cursor_moves() -> None:
    sink = Sink()
    outcome = sync_calendar(feed=Feed(CHANGED), sink=sink, now=NOW, every_minutes=30, failures=2)
    assert (outcome.status, outcome.cursor, outcome.failures) == ("synced", {"t": 2}, 0)
    assert sink.written == [b"ICS"]
    assert outcome.next_sync_at == NOW + timedelta(minutes=30)


def test_nothing_changed_writes_nothing() -> None:
    sink = Sink()
    outcome = sync_calendar(feed=Feed(EMPTY), sink=sink, now=NOW, every_minutes=60, failures=0)
    assert (outcome.status, outcome.result) == ("unchanged", None)
    assert sink.written == []


def test_a_refused_password_is_the_error_and_nothing_is_applied() -> None:
    sink = Sink()
    outcome = sync_calendar(
        feed=Feed(error=ConnectionFailed(REFUSED, status=401)),
        sink=sink,
        now=NOW,
        every_minutes=60,
        failures=0,
    )
    assert outcome.status == "failed"
    assert outcome.error is not None and outcome.error.text == REFUSED
    assert (sink.applied, sink.written, outcome.failures) == ([], [], 1)
    assert outcome.next_sync_at == NOW + timedelta(minutes=5)
    assert outcome.cursor is None


def test_429_waits_as_long_as_the_server_asks() -> None:
    outcome = sync_calendar(
        feed=Feed(error=ConnectionFailed(BUSY, retry_after=3600)),
        sink=Sink(),
        now=NOW,
        every_minutes=60,
        failures=0,
    )
    assert outcome.next_sync_at == NOW + timedelta(hours=1)


def test_a_calendar_the_import_rejects_fails_with_its_first_problem() -> None:
    from krutt.importers.problems import Problem

    summary = ImportSummary(
        kind="calendar", problems=[Problem.at(0, "The calendar has no events.")]
    )
    rejected = CalendarRejected(CalendarImport(summary=summary, calendar=None))  # type: ignore[arg-type]
    outcome = sync_calendar(
        feed=Feed(CHANGED), sink=Sink(rejected), now=NOW, every_minutes=60, failures=3
    )
    assert outcome.status == "failed"
    assert outcome.error is not None and outcome.error.text == "The calendar has no events."
    assert (outcome.failures, outcome.next_sync_at) == (4, NOW + timedelta(minutes=40))
