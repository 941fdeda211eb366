"""A published calendar address (`ics-url`): conditional GET plus a content hash.

Outlook's "publish calendar" and Google's "secret address in iCal format" give the whole
calendar every time. The cursor keeps the server's ETag and Last-Modified, so an unchanged
calendar is usually a 304 with no body; a server that ignores them still sends the same
bytes, and the SHA-256 of the last body catches that. Unchanged → `data` is None.
"""

from __future__ import annotations

import hashlib
from typing import Any

from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import SafeHttp
from krutt.connections.records import Fetch, Resource
from krutt.domain.messages import gettext_noop


def fetch_ics_url(*, url: str, cursor: dict[str, Any], http: SafeHttp) -> Fetch:
    """The whole calendar as one object when it changed (`full`), else an empty delta."""
    headers = {"Accept": "text/calendar, */*;q=0.5"}
    if cursor.get("etag"):
        headers["If-None-Match"] = str(cursor["etag"])
    if cursor.get("last_modified"):
        headers["If-Modified-Since"] = str(cursor["last_modified"])
    answer = http.request("GET", _webcal(url), headers=headers)
    if answer.status == 304:
        return Fetch(full=False, changed=[], deleted=[], cursor=cursor)
    if answer.status != 200:
        raise ConnectionFailed(NO_CALENDAR, status=answer.status)
    body = answer.body
    if b"BEGIN:VCALENDAR" not in body[:4096].upper():
        raise ConnectionFailed(NOT_A_CALENDAR)
    digest = hashlib.sha256(body).hexdigest()
    fresh: dict[str, Any] = {"sha256": digest}
    if answer.headers.get("etag"):
        fresh["etag"] = answer.headers["etag"]
    if answer.headers.get("last-modified"):
        fresh["last_modified"] = answer.headers["last-modified"]
    if cursor.get("sha256") == digest:
        return Fetch(full=False, changed=[], deleted=[], cursor=fresh)
    etag = str(fresh.get("etag", digest))
    return Fetch(
        full=True, changed=[Resource(href="", etag=etag, data=body)], deleted=[], cursor=fresh
    )


def _webcal(url: str) -> str:
    """Calendar apps hand out webcal:// addresses; they are https underneath."""
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


NO_CALENDAR = gettext_noop("The server answered without a calendar (HTTP {status}).")
NOT_A_CALENDAR = gettext_noop("The address does not give a calendar (.ics) but something else.")
