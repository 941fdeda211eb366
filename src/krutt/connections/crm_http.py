"""JSON over the safe HTTP layer for the CRM APIs: paced, patient with 429, plain sentences.

The CRMs limit requests per second (HubSpot's search: 4 per second per token) and answer
429 when a client goes faster. A short `Retry-After` is waited out here, a few times; a
longer one (or a CRM that keeps refusing) fails the sync with the server's wish kept in
`retry_after`, and the schedule waits that long. The clock and the sleep are passed in.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from krutt.connections import http as h
from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import SafeHttp
from krutt.domain.messages import gettext_noop

# A 429 asking for longer than this ends the sync; the schedule retries later.
MAX_WAIT_SECONDS = 30
ATTEMPTS = 4


class CrmClient:
    """Requests to one CRM: `base` joined with a path, the auth headers on every call."""

    def __init__(
        self,
        *,
        http: SafeHttp,
        base: str,
        headers: Mapping[str, str],
        min_interval: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.headers = {"Accept": "application/json", **headers}
        self.min_interval = min_interval
        self.sleep = sleep
        self.monotonic = monotonic
        self.requests = 0
        self._last: float | None = None

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """A path under the base (or a full address the CRM gave, such as a next page)."""
        url = path if path.startswith(("http://", "https://")) else self.base + path
        query = {k: v for k, v in (params or {}).items() if v is not None}
        return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}" if query else url

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.call("GET", self.url(path, params))

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", self.url(path), body=body)

    def form(self, path: str, data: Mapping[str, str]) -> Any:
        return self.call("POST", self.url(path), data=data)

    def call(
        self, method: str, url: str, *, body: Any = None, data: Mapping[str, str] | None = None
    ) -> Any:
        headers = dict(self.headers)
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body).encode()
        for attempt in range(ATTEMPTS):
            self._pace()
            try:
                answer = self.http.request(method, url, headers=headers, content=content, data=data)
            except ConnectionFailed as failed:
                if failed.message.text != h.BUSY:
                    raise _in_crm_words(failed) from None
                wait = failed.retry_after if failed.retry_after is not None else 2**attempt
                if wait > MAX_WAIT_SECONDS or attempt == ATTEMPTS - 1:
                    raise
                self.sleep(float(wait))
                continue
            try:
                # Amounts stay exact: JSON numbers are read as Decimal, never as floats.
                return json.loads(answer.body or b"null", parse_float=Decimal)
            except ValueError:
                raise ConnectionFailed(h.MALFORMED) from None
        raise ConnectionFailed(h.BUSY)  # never: the last attempt raises above

    def _pace(self) -> None:
        """Never two requests closer than `min_interval` seconds (the CRM's rate limit)."""
        now = self.monotonic()
        if self._last is not None and self.min_interval:
            gap = self._last + self.min_interval - now
            if gap > 0:
                self.sleep(gap)
                now += gap
        self._last = now
        self.requests += 1


def _in_crm_words(failed: ConnectionFailed) -> ConnectionFailed:
    """The calendar sentences for a refusal and a missing address, said of a CRM."""
    if failed.message.text == h.REFUSED:
        return ConnectionFailed(REFUSED, status=failed.message.params.get("status", ""))
    if failed.message.text == h.NOT_FOUND:
        return ConnectionFailed(NOT_FOUND)
    return failed


REFUSED = gettext_noop("The CRM refused krutt's key or token (HTTP {status}).")
NOT_FOUND = gettext_noop("The CRM's API was not found at that address (HTTP 404).")
UNEXPECTED = gettext_noop("The CRM answered in a shape krutt does not know ({detail}).")


def instant(value: Any) -> datetime | None:
    """An ISO 8601 time as the APIs write it (`…Z`, `+00:00`, milliseconds, or none: UTC)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise ConnectionFailed(UNEXPECTED, detail=value[:40]) from None
    if found.tzinfo is None:
        from datetime import UTC

        found = found.replace(tzinfo=UTC)
    return found


def local_day(value: Any, zone: tzinfo) -> date | None:
    """The day a time or plain date falls on in the organisation's zone."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ConnectionFailed(UNEXPECTED, detail=value[:40]) from None
    found = instant(value)
    return None if found is None else found.astimezone(zone).date()


def money(value: Any) -> Decimal | None:
    """An amount as the API gives it (a JSON number or a string); empty is None."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ConnectionFailed(UNEXPECTED, detail=str(value)[:40]) from None
