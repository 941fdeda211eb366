"""Google Workspace through the Calendar API: `events.list` with sync tokens, app-only.

Authentication is a service account with domain-wide delegation (the Workspace admin
grants its client id the `calendar.readonly` scope): krutt signs a JWT with the key
file's private key, naming the manager's mailbox as the subject, and trades it for a
bearer token (RFC 7523, developers.google.com/identity/protocols/oauth2/service-account).

The first sync lists the mailbox's primary calendar from 26 weeks back with recurring
events expanded (`singleEvents=true`), following `nextPageToken`; the last page carries
`nextSyncToken`, which is kept. A later sync sends only `syncToken` (Google refuses it
together with `timeMin`) and gets what changed, deleted events as `status: cancelled`.
410 means the token expired: a full read again. 429, and 403 with the reason
`rateLimitExceeded` or `userRateLimitExceeded`, are waited out with exponential backoff
(developers.google.com/calendar/api/guides/sync, /guides/quota).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from krutt.connections.errors import ConnectionFailed
from krutt.connections.events import ApiEvent, Moment, Person, event_ics
from krutt.connections.http import BUSY, MALFORMED, SafeHttp
from krutt.connections.records import Fetch, Resource
from krutt.connections.throttle import Sleep, patiently
from krutt.domain.messages import gettext_noop

CALENDAR_URL = "https://www.googleapis.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a password)
SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
BACK = timedelta(weeks=26)
PAGE_SIZE = 250
MAX_PAGES = 2000
RATE_REASONS = ("rateLimitExceeded", "userRateLimitExceeded")
REPLIES = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE"}


def read_key(text: str) -> dict[str, str]:
    """The service account key file's fields krutt needs; refuses anything else."""
    try:
        key = json.loads(text)
    except ValueError:
        raise ConnectionFailed(NOT_A_KEY) from None
    if (
        not isinstance(key, dict)
        or key.get("type") != "service_account"
        or not key.get("client_email")
        or not key.get("private_key")
    ):
        raise ConnectionFailed(NOT_A_KEY)
    try:
        serialization.load_pem_private_key(str(key["private_key"]).encode(), password=None)
    except (ValueError, TypeError):
        raise ConnectionFailed(NOT_A_KEY) from None
    return {k: str(v) for k, v in key.items() if isinstance(v, str)}


def fetch_google(
    *,
    key_file: str,
    mailbox: str,
    owner: str,
    cursor: dict[str, Any],
    http: SafeHttp,
    now: datetime,
    calendar_url: str = CALENDAR_URL,
    token_url: str = TOKEN_URL,
    sleep: Sleep = time.sleep,
) -> Fetch:
    """What changed in the mailbox's primary calendar since `cursor`."""
    key = read_key(key_file)
    token = patiently(lambda: _token(http, token_url, key, mailbox, now), sleep=sleep)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    base = f"{calendar_url.rstrip('/')}/calendar/v3/calendars/{quote(mailbox, safe='@')}/events"
    sync_token = str(cursor.get("sync_token") or "")
    if sync_token:
        try:
            return _read(
                http, base, {"syncToken": sync_token}, headers, mailbox, owner,
                full=False, sleep=sleep,
            )  # fmt: skip
        except ConnectionFailed as failed:
            if not failed.resync:
                raise
    since = (now - BACK).astimezone(UTC)
    return _read(
        http, base, {"timeMin": since.isoformat(timespec="seconds")}, headers, mailbox, owner,
        full=True, sleep=sleep,
    )  # fmt: skip


def _token(http: SafeHttp, token_url: str, key: dict[str, str], mailbox: str, now: datetime) -> str:
    issued = int(now.timestamp())
    claims = {
        "iss": key["client_email"],
        "sub": mailbox,
        "scope": SCOPE,
        "aud": token_url,
        "iat": issued,
        "exp": issued + 3600,
    }
    answer = http.request(
        "POST",
        token_url,
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": signed_jwt(claims, key),
        },
        accept=(400, 401, 403),
    )
    body = _json(answer.body)
    if answer.status != 200 or not body.get("access_token"):
        raise ConnectionFailed(DELEGATION_REFUSED, mailbox=mailbox)
    return str(body["access_token"])


def signed_jwt(claims: dict[str, Any], key: dict[str, str]) -> str:
    """An RS256 JWT (RFC 7515/7519), signed with the service account's private key."""
    private = serialization.load_pem_private_key(key["private_key"].encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ConnectionFailed(NOT_A_KEY)
    header = {"alg": "RS256", "typ": "JWT"}
    if key.get("private_key_id"):
        header["kid"] = key["private_key_id"]
    signing = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = private.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing + "." + _b64(signature)


def _read(
    http: SafeHttp,
    base: str,
    query: dict[str, str],
    headers: dict[str, str],
    mailbox: str,
    owner: str,
    *,
    full: bool,
    sleep: Sleep,
) -> Fetch:
    changed: dict[str, Resource] = {}
    deleted: set[str] = set()
    page_token = ""
    for _ in range(MAX_PAGES):
        params = {**query, "singleEvents": "true", "maxResults": str(PAGE_SIZE)}
        if page_token:
            params["pageToken"] = page_token
        url = f"{base}?{urlencode(params)}"
        page = patiently(partial(_page, http, url, headers, mailbox), sleep=sleep)
        items = page.get("items", [])
        if not isinstance(items, list):
            raise ConnectionFailed(MALFORMED)
        for item in items:
            if not isinstance(item, dict) or not item.get("id"):
                raise ConnectionFailed(MALFORMED)
            href = str(item["id"])
            if item.get("status") == "cancelled":
                changed.pop(href, None)
                deleted.add(href)
                continue
            deleted.discard(href)
            changed[href] = Resource(
                href=href,
                etag=str(item.get("etag") or ""),
                data=event_ics(google_event(item, owner=owner)),
            )
        if page.get("nextPageToken"):
            page_token = str(page["nextPageToken"])
            continue
        if not page.get("nextSyncToken"):
            raise ConnectionFailed(MALFORMED)
        return Fetch(
            full=full,
            changed=list(changed.values()),
            deleted=[] if full else sorted(deleted),
            cursor={"sync_token": str(page["nextSyncToken"])},
        )
    raise ConnectionFailed(MALFORMED)


def _page(http: SafeHttp, url: str, headers: dict[str, str], mailbox: str) -> dict[str, Any]:
    answer = http.request("GET", url, headers=headers, accept=(403, 404))
    if answer.status == 404:
        raise ConnectionFailed(NO_CALENDAR, mailbox=mailbox)
    body = _json(answer.body)
    if answer.status == 403:
        error = body.get("error")
        error = error if isinstance(error, dict) else {}
        reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
        if reasons & set(RATE_REASONS):
            raise ConnectionFailed(BUSY)
        raise ConnectionFailed(NO_PERMISSION, mailbox=mailbox)
    return body


def google_event(item: dict[str, Any], *, owner: str) -> ApiEvent:
    """A Google Calendar event resource as krutt's neutral event."""
    attendees: list[Person] = []
    own_reply = "ACCEPTED"  # the organiser of an event without attendees
    for attendee in item.get("attendees") or []:
        if not isinstance(attendee, dict) or not attendee.get("email"):
            continue
        reply = REPLIES.get(str(attendee.get("responseStatus", "")), "NEEDS-ACTION")
        if attendee.get("self"):
            own_reply = reply
            continue
        attendees.append(
            Person(
                email=str(attendee["email"]),
                name=str(attendee.get("displayName") or ""),
                reply=reply,
                resource=bool(attendee.get("resource")),
            )
        )
    attendees.append(Person(email=owner, reply=own_reply))
    organizer = item.get("organizer") or {}
    organizer_email = "" if organizer.get("self") else str(organizer.get("email") or "")
    return ApiEvent(
        # The instance's id (`series_20261116T080000Z`), not the series' iCalUID: each
        # expanded instance is an event of its own, so a change replaces exactly that one.
        uid=str(item["id"]),
        start=_moment(item.get("start")),
        end=_moment(item.get("end")),
        summary=str(item.get("summary") or ""),
        free=item.get("transparency") == "transparent",
        private=item.get("visibility") in ("private", "confidential"),
        organizer=Person(
            email=organizer_email or owner, name=str(organizer.get("displayName") or "")
        ),
        attendees=tuple(attendees),
    )


def _moment(value: Any) -> Moment:
    """`{"dateTime": "2026-11-16T09:00:00+01:00"}` or `{"date": "2026-11-16"}`."""
    if not isinstance(value, dict):
        raise ConnectionFailed(MALFORMED)
    try:
        if value.get("dateTime"):
            moment = datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ConnectionFailed(MALFORMED)
            return moment
        if value.get("date"):
            return date.fromisoformat(str(value["date"]))
    except ValueError:
        raise ConnectionFailed(MALFORMED) from None
    raise ConnectionFailed(MALFORMED)


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ConnectionFailed(MALFORMED) from None
    if not isinstance(data, dict):
        raise ConnectionFailed(MALFORMED)
    return data


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


NOT_A_KEY = gettext_noop(
    "The key file is not a Google service account key (JSON with client_email and private_key)."
)
DELEGATION_REFUSED = gettext_noop(
    "Google refused the service account for {mailbox}: the Workspace admin must grant it "
    "domain-wide delegation with the calendar.readonly scope."
)
NO_PERMISSION = gettext_noop("The service account may not read the calendar of {mailbox}.")
NO_CALENDAR = gettext_noop("Google has no calendar for {mailbox}.")
