"""Microsoft 365 through Microsoft Graph: `calendarView/delta`, app-only.

Authentication is the client-credentials grant (an app registration with the
`Calendars.Read` application permission and admin consent), so no one signs in:
`POST {login}/{tenant}/oauth2/v2.0/token` gives a bearer token for one sync.

The first sync asks for the mailbox's calendar view over a window (26 weeks back, 12
ahead; recurring meetings come as their occurrences) and follows `@odata.nextLink` page
by page until the last page's `@odata.deltaLink`, which is kept. A later sync calls the
delta link and gets only what changed: new and changed events whole, deleted ones as
`{"id", "@removed"}`. 410 (syncStateNotFound) means the delta link expired: a full read
again. 429 is waited out as `Retry-After` says (see `throttle`). When the window's end
comes within four weeks, the next sync is a full read over a fresh window.
(learn.microsoft.com/graph/delta-query-events, /graph/throttling)
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from krutt.connections.errors import ConnectionFailed
from krutt.connections.events import ApiEvent, LocalTime, Moment, Person, event_ics
from krutt.connections.http import MALFORMED, NOT_FOUND, REFUSED, SafeHttp
from krutt.connections.records import Fetch, Resource
from krutt.connections.throttle import Sleep, patiently
from krutt.domain.messages import gettext_noop

GRAPH_URL = "https://graph.microsoft.com"
LOGIN_URL = "https://login.microsoftonline.com"
BACK = timedelta(weeks=26)
AHEAD = timedelta(weeks=12)
RENEW_BEFORE = timedelta(weeks=4)
PAGE_SIZE = 200
MAX_PAGES = 2000

REPLIES = {
    "accepted": "ACCEPTED",
    "organizer": "ACCEPTED",
    "declined": "DECLINED",
    "tentativelyAccepted": "TENTATIVE",
}


def fetch_microsoft365(
    *,
    tenant: str,
    client_id: str,
    client_secret: str,
    mailbox: str,
    owner: str,
    cursor: dict[str, Any],
    http: SafeHttp,
    now: datetime,
    graph_url: str = GRAPH_URL,
    login_url: str = LOGIN_URL,
    sleep: Sleep = time.sleep,
) -> Fetch:
    """What changed in the mailbox's calendar since `cursor` (`owner`: the manager's e-mail)."""
    token = patiently(
        lambda: _token(http, login_url, tenant, client_id, client_secret), sleep=sleep
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Prefer": f'odata.maxpagesize={PAGE_SIZE}, outlook.timezone="UTC"',
    }
    link = str(cursor.get("delta_link") or "")
    window_end = _parse_time(cursor.get("window_end"))
    if link and window_end is not None and window_end - now > RENEW_BEFORE:
        try:
            return _read(
                http, link, headers, mailbox, owner, full=False, cursor=cursor, sleep=sleep
            )
        except ConnectionFailed as failed:
            if not failed.resync:
                raise
    start, end = now - BACK, now + AHEAD
    query = urlencode({"startDateTime": _iso(start), "endDateTime": _iso(end)})
    first = f"{graph_url.rstrip('/')}/v1.0/users/{quote(mailbox, safe='@')}/calendarView/delta"
    fresh = {"window_start": _iso(start), "window_end": _iso(end)}
    return _read(
        http, f"{first}?{query}", headers, mailbox, owner, full=True, cursor=fresh, sleep=sleep
    )


def _token(http: SafeHttp, login_url: str, tenant: str, client_id: str, secret: str) -> str:
    answer = http.request(
        "POST",
        f"{login_url.rstrip('/')}/{quote(tenant, safe='')}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": "https://graph.microsoft.com/.default",
        },
        accept=(400, 401),
    )
    body = _json(answer.body)
    if answer.status != 200 or not body.get("access_token"):
        raise ConnectionFailed(APP_REFUSED)
    return str(body["access_token"])


def _read(
    http: SafeHttp,
    url: str,
    headers: dict[str, str],
    mailbox: str,
    owner: str,
    *,
    full: bool,
    cursor: dict[str, Any],
    sleep: Sleep,
) -> Fetch:
    changed: dict[str, Resource] = {}
    deleted: set[str] = set()
    for _ in range(MAX_PAGES):
        page = patiently(partial(_page, http, url, headers, mailbox), sleep=sleep)
        items = page.get("value")
        if not isinstance(items, list):
            raise ConnectionFailed(MALFORMED)
        for item in items:
            if not isinstance(item, dict) or not item.get("id"):
                raise ConnectionFailed(MALFORMED)
            href = str(item["id"])
            if "@removed" in item:
                changed.pop(href, None)
                deleted.add(href)
                continue
            deleted.discard(href)
            changed[href] = Resource(
                href=href,
                etag=str(item.get("changeKey") or item.get("@odata.etag") or ""),
                data=event_ics(graph_event(item, owner=owner, mailbox=mailbox)),
            )
        if page.get("@odata.nextLink"):
            url = str(page["@odata.nextLink"])
            continue
        if not page.get("@odata.deltaLink"):
            raise ConnectionFailed(MALFORMED)
        return Fetch(
            full=full,
            changed=list(changed.values()),
            deleted=[] if full else sorted(deleted),
            cursor={**cursor, "delta_link": str(page["@odata.deltaLink"])},
        )
    raise ConnectionFailed(MALFORMED)


def _page(http: SafeHttp, url: str, headers: dict[str, str], mailbox: str) -> dict[str, Any]:
    try:
        return _json(http.request("GET", url, headers=headers).body)
    except ConnectionFailed as failed:
        if failed.message.text == REFUSED:
            raise ConnectionFailed(NO_PERMISSION, mailbox=mailbox) from None
        if failed.message.text == NOT_FOUND:
            raise ConnectionFailed(NO_MAILBOX, mailbox=mailbox) from None
        raise


def graph_event(item: dict[str, Any], *, owner: str, mailbox: str) -> ApiEvent:
    """A Graph event resource as krutt's neutral event."""
    all_day = bool(item.get("isAllDay"))
    start, end = _moment(item.get("start"), all_day), _moment(item.get("end"), all_day)
    attendees: list[Person] = []
    mine = mailbox.strip().lower()
    reply = REPLIES.get(str((item.get("responseStatus") or {}).get("response", "")), "NEEDS-ACTION")
    for attendee in item.get("attendees") or []:
        address = (attendee.get("emailAddress") or {}) if isinstance(attendee, dict) else {}
        email = str(address.get("address") or "").strip()
        if not email:
            continue
        if email.lower() == mine:
            continue  # the mailbox's own reply is `responseStatus`, added below
        status = str((attendee.get("status") or {}).get("response", ""))
        attendees.append(
            Person(
                email=email,
                name=str(address.get("name") or ""),
                reply=REPLIES.get(status, "NEEDS-ACTION"),
                resource=attendee.get("type") == "resource",
            )
        )
    attendees.append(Person(email=owner, reply=reply))
    organizer = (item.get("organizer") or {}).get("emailAddress") or {}
    organizer_email = str(organizer.get("address") or "")
    if organizer_email.strip().lower() == mine:
        organizer_email = owner
    return ApiEvent(
        # The event's id, not its iCalUId: one object per occurrence, each its own event,
        # so a delta that changes one occurrence replaces exactly that one.
        uid=str(item["id"]),
        start=start,
        end=end,
        summary=str(item.get("subject") or ""),
        cancelled=bool(item.get("isCancelled")),
        free=item.get("showAs") in ("free", "workingElsewhere"),
        private=item.get("sensitivity") in ("private", "confidential"),
        organizer=Person(email=organizer_email, name=str(organizer.get("name") or ""))
        if organizer_email
        else None,
        attendees=tuple(attendees),
    )


def _moment(value: Any, all_day: bool) -> Moment:
    """Graph's `{"dateTime": "2026-11-16T08:00:00.0000000", "timeZone": "UTC"}`."""
    if not isinstance(value, dict) or not value.get("dateTime"):
        raise ConnectionFailed(MALFORMED)
    text = str(value["dateTime"])
    head = text.partition(".")[0]  # Graph gives seven digits of fractions
    try:
        local = datetime.fromisoformat(head)
    except ValueError:
        raise ConnectionFailed(MALFORMED) from None
    if all_day:
        return date(local.year, local.month, local.day)
    zone = str(value.get("timeZone") or "UTC")
    if zone.upper() in ("UTC", "Z", "ETC/UTC"):
        return local.replace(tzinfo=ZoneInfo("UTC"))
    try:
        return local.replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        # A Windows zone name ("W. Europe Standard Time"): the import knows those.
        return LocalTime(at=local, zone=zone)


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ConnectionFailed(MALFORMED) from None
    if not isinstance(data, dict):
        raise ConnectionFailed(MALFORMED)
    return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


APP_REFUSED = gettext_noop("Microsoft 365 refused the app's tenant, client id or client secret.")
NO_PERMISSION = gettext_noop(
    "The app may not read the calendar of {mailbox}: it needs the Calendars.Read "
    "application permission with admin consent."
)
NO_MAILBOX = gettext_noop("Microsoft 365 has no mailbox {mailbox}.")
