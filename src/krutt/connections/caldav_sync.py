"""A CalDAV calendar (Nextcloud, iCloud, Fastmail, SOGo, Radicale, Baïkal): RFC 6578 sync.

The first sync lists the calendar with `sync-collection` (no token) and reads the events
with `calendar-multiget`, a few hundred per request; later syncs send the stored token
and get only what changed, deletions as bare hrefs. A token the server no longer
accepts means a full read again (`full=True`: the caller replaces everything it kept).

The `caldav` library does the protocol; its HTTP session gets the same checks as
`SafeHttp` (address before connecting and on every redirect, the address connected to,
the size the server announces), and failures become one `ConnectionFailed` sentence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import (
    NOT_FOUND,
    REFUSED,
    TIMED_OUT,
    TOO_LARGE,
    UNREACHABLE,
    NetworkPolicy,
    Resolver,
    check_address,
    check_url,
    system_resolver,
)
from krutt.connections.records import Fetch, Resource
from krutt.domain.messages import gettext_noop

MULTIGET_CHUNK = 500


def fetch_caldav(
    *,
    url: str,
    username: str,
    password: str,
    calendar_name: str | None,
    cursor: dict[str, Any],
    policy: NetworkPolicy,
    resolver: Resolver = system_resolver,
) -> Fetch:
    check_url(url, policy, resolver)
    # The authentication scheme the server asked for last time, sent at once: one request
    # instead of a 401 challenge and a retry. If it no longer works, ask the server again.
    known = cursor.get("auth_type") if cursor.get("auth_type") in AUTH_TYPES else None
    for auth_type in dict.fromkeys([known, None]):
        try:
            return _fetch(url, username, password, calendar_name, cursor, policy, resolver,
                          auth_type)  # fmt: skip
        except ConnectionFailed as failed:
            if auth_type is None or failed.message.text != REFUSED:
                raise
    raise AssertionError("unreachable")


AUTH_TYPES = ("basic", "digest")
# The library keeps the scheme it chose after a challenge only as its auth object.
SCHEMES = {"HTTPBasicAuth": "basic", "HTTPDigestAuth": "digest"}


def _fetch(
    url: str,
    username: str,
    password: str,
    calendar_name: str | None,
    cursor: dict[str, Any],
    policy: NetworkPolicy,
    resolver: Resolver,
    auth_type: str | None,
) -> Fetch:
    import caldav
    from caldav.lib import error

    with _translated_errors(policy, url):
        client_class: Any = caldav.DAVClient
        client = client_class(
            url=url,
            username=username,
            password=password,
            timeout=int(policy.timeout_seconds),
            enable_rfc6764=False,
            auth_type=auth_type,
        )
        _guard(client.session, policy, resolver)
        try:
            calendar = _calendar(client, url, calendar_name, cursor)
            token = cursor.get("sync_token") or None
            found: Fetch | None = None
            if token:
                # A token no longer valid (RFC 6578 §3.2; servers answer 403 or 409 with
                # DAV:valid-sync-token) means reading everything again. A password that
                # stopped working fails again below, as what it is.
                with contextlib.suppress(error.ReportError, error.DAVError):
                    found = _changes(calendar, token, full=False)
            if found is None:
                found = _changes(calendar, None, full=True)
            scheme = client.auth_type or SCHEMES.get(type(client.auth).__name__)
            if scheme in AUTH_TYPES:
                found.cursor["auth_type"] = scheme
            return found
        finally:
            client.close()


def _calendar(client: Any, url: str, name: str | None, cursor: dict[str, Any]) -> Any:
    if cursor.get("calendar_url"):
        return client.calendar(url=cursor["calendar_url"])
    if name:
        try:
            return client.principal().calendar(name=name)
        except Exception as missing:
            from caldav.lib import error

            if isinstance(missing, error.NotFoundError):
                raise ConnectionFailed(NO_SUCH_CALENDAR, name=name) from None
            raise
    calendars = client.principal().calendars()
    wanted = url.rstrip("/")
    for calendar in calendars:
        if str(calendar.url).rstrip("/") == wanted:
            return calendar
    if not calendars:
        raise ConnectionFailed(NO_CALENDARS)
    return calendars[0]


def _changes(calendar: Any, token: str | None, *, full: bool) -> Fetch:
    found = calendar.get_objects_by_sync_token(
        sync_token=token, load_objects=False, disable_fallback=True
    )
    deleted = {str(u) for u in found.deleted_urls} if not full else set()
    wanted = [obj.url for obj in found.objects if str(obj.url.canonical()) not in deleted]
    changed: list[Resource] = []
    for start in range(0, len(wanted), MULTIGET_CHUNK):
        for obj in calendar.multiget(wanted[start : start + MULTIGET_CHUNK]):
            data = obj.data
            if not data:
                continue
            etag = str((getattr(obj, "props", None) or {}).get("{DAV:}getetag", ""))
            changed.append(Resource(href=_path(obj.url), etag=etag, data=str(data).encode()))
    return Fetch(
        full=full,
        changed=changed,
        deleted=sorted(_path(u) for u in found.deleted_urls) if not full else [],
        cursor={"sync_token": str(found.sync_token), "calendar_url": str(calendar.url)},
    )


def _path(url: Any) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(str(url)).path)


def _guard(session: Any, policy: NetworkPolicy, resolver: Resolver) -> None:
    """The library's HTTP session refuses what `SafeHttp` refuses."""

    def check(response: Any, *args: Any, **kwargs: Any) -> Any:
        info = getattr(response, "conn_info", None)
        peer = getattr(info, "destination_address", None) if info is not None else None
        if peer:
            check_address(str(peer[0]), policy, str(peer[0]))
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > policy.max_bytes:
            raise ConnectionFailed(TOO_LARGE, megabytes=policy.max_bytes // (1024 * 1024))
        location = response.headers.get("location")
        if response.is_redirect and location:
            check_url(urljoin(str(response.url), location), policy, resolver)
        return response

    session.hooks.setdefault("response", []).append(check)
    session.max_redirects = 5
    session.trust_env = False


@contextlib.contextmanager
def _translated_errors(policy: NetworkPolicy, url: str) -> Iterator[None]:
    from urllib.parse import urlsplit

    from caldav.lib import error
    from caldav.lib.http_sync import requests

    host = urlsplit(url).hostname or ""
    try:
        yield
    except ConnectionFailed:
        raise
    except error.AuthorizationError:
        raise ConnectionFailed(REFUSED, status=401) from None
    except error.NotFoundError:
        raise ConnectionFailed(NOT_FOUND) from None
    except requests.exceptions.Timeout:
        raise ConnectionFailed(TIMED_OUT, host=host, seconds=int(policy.timeout_seconds)) from None
    except requests.exceptions.RequestException:
        raise ConnectionFailed(UNREACHABLE, host=host) from None
    except error.DAVError:
        raise ConnectionFailed(NOT_CALDAV, host=host) from None
    except Exception as other:
        # lxml and the library raise their own types for a malformed answer.
        if type(other).__module__.split(".")[0] in ("lxml", "caldav", "niquests", "urllib3"):
            raise ConnectionFailed(NOT_CALDAV, host=host) from None
        raise


NO_SUCH_CALENDAR = gettext_noop("The CalDAV account has no calendar named {name}.")
NO_CALENDARS = gettext_noop("The CalDAV account has no calendars.")
NOT_CALDAV = gettext_noop("The server {host} did not answer as a CalDAV calendar does.")
