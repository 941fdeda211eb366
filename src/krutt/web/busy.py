"""A database lock that does not come free in time: one sentence, never an "unexpected error".

SQLite lets one writer at a time (WAL lets readers on meanwhile); a large import holds
the lock for its whole transaction. Another write waits up to KRUTT_DB_LOCK_WAIT_SECONDS
(SQLite's busy timeout, PostgreSQL's lock_timeout), then fails; that failure is told as
"the database is busy" — exit 2 in the CLI, a 503 page with Retry-After in the web.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from krutt.domain.messages import gettext_noop

BUSY = gettext_noop("The database is busy with another import; try again in a minute.")
RETRY_AFTER_SECONDS = 60
_SQLITE_LOCKED = ("database is locked", "database table is locked")
# PostgreSQL: lock_not_available (lock_timeout ran out).
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_database_busy(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) is a lock wait that ran out."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError) or type(error).__name__ in (
            "OperationalError",
            "LockNotAvailable",
        ):
            if str(error).strip().lower() in _SQLITE_LOCKED:
                return True
            if getattr(error, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
                return True
        error = error.__cause__ or error.__context__
    return False


def busy_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "busy.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view that met a lock wait that ran out answers with the busy page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_page(request) if is_database_busy(exception) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the busy page when a lock wait ran out outside a view (saving the session)."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_page(request)
    return defaults.server_error(request)
