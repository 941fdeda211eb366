"""Real servers on loopback for the connection tests: a calendar HTTP server and Radicale."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/calendar; charset=utf-8"
    etag: bool = True
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class CalendarServer:
    """A threaded http.server answering each path as its `Route` says; it counts requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                if route.etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", tag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Radicale:
    """A real Radicale CalDAV server in a subprocess, with plain htpasswd users."""

    def __init__(self, folder: Path, users: dict[str, str]) -> None:
        self.port = free_port()
        self.users = users
        (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in users.items()))
        (folder / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\ntype = htpasswd\n"
            f"htpasswd_filename = {folder / 'users'}\n"
            "htpasswd_encryption = plain\n"
            "[storage]\n"
            f"filesystem_folder = {folder / 'store'}\n"
            "[logging]\nlevel = warning\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.1)
        raise RuntimeError("Radicale did not start in 20 s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, user: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, auth=(user, self.users[user]), timeout=30)

    def make_calendar(self, user: str, name: str) -> str:
        with self.client(user) as http:
            http.request("MKCOL", f"/{user}/")
            answer = http.request("MKCALENDAR", f"/{user}/{name}/")
            assert answer.status_code in (201, 405), answer.text
        return f"{self.base}/{user}/{name}/"

    def put(self, user: str, calendar: str, name: str, ics: bytes) -> None:
        with self.client(user) as http:
            answer = http.put(
                f"/{user}/{calendar}/{name}.ics",
                content=ics,
                headers={"Content-Type": "text/calendar"},
            )
            assert answer.status_code in (201, 204), answer.text

    def delete(self, user: str, calendar: str, name: str) -> None:
        with self.client(user) as http:
            assert http.delete(f"/{user}/{calendar}/{name}.ics").status_code in (200, 204)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def split_events(ics: bytes) -> list[tuple[str, bytes]]:
    """A whole .ics as CalDAV keeps it: one VCALENDAR per UID, with the time zones it needs."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(ics)
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list[object]] = {}
    for component in calendar.subcomponents:
        if component.name == "VEVENT":
            by_uid.setdefault(str(component.get("UID")), []).append(component)
    out: list[tuple[str, bytes]] = []
    for number, (_uid, events) in enumerate(by_uid.items()):
        single = Calendar()
        single.add("VERSION", "2.0")
        single.add("PRODID", "-//krutt tests//EN")
        for zone in zones:
            single.add_component(zone)
        for event in events:
            single.add_component(event)  # type: ignore[arg-type]
        out.append((f"event{number}", single.to_ical()))
    return out


Wait = Callable[[], None]


# --- calendar APIs: Microsoft Graph and Google Calendar, as their docs describe them -------

Answer = tuple[int, dict[str, str], bytes]


class ApiServer:
    """A threaded loopback server whose `handle` answers each request; it logs requests."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        # Answers to give before any real one, e.g. a 429 with Retry-After.
        self.queued: list[Answer] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server.lock:
                    server.requests.append((self.command, self.path, headers))
                    if server.queued:
                        status, extra, payload = server.queued.pop(0)
                    else:
                        status, extra, payload = server.handle(
                            self.command, self.path, headers, body
                        )
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        raise NotImplementedError

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> Answer:
    import json

    return status, headers or {}, json.dumps(payload).encode()


class _Changes:
    """Events with a version per change, so a token can ask for what changed after it."""

    def __init__(self) -> None:
        self.events: dict[str, dict[str, object]] = {}
        self.version = 0
        self.changed_at: dict[str, int] = {}
        self.deleted: set[str] = set()

    def put(self, event: dict[str, object]) -> None:
        self.version += 1
        key = str(event["id"])
        self.events[key] = event
        self.deleted.discard(key)
        self.changed_at[key] = self.version

    def delete(self, key: str) -> None:
        self.version += 1
        self.events.pop(key, None)
        self.deleted.add(key)
        self.changed_at[key] = self.version

    def since(self, version: int) -> list[str]:
        return sorted((k for k, v in self.changed_at.items() if v > version), key=str)


class GraphServer(ApiServer):
    """Microsoft Graph as learn.microsoft.com documents it, for one tenant and app.

    - `POST /{tenant}/oauth2/v2.0/token` (client credentials) → `access_token`, else 401
      `invalid_client`;
    - `GET /v1.0/users/{mailbox}/calendarView/delta?startDateTime=…&endDateTime=…`: the
      events in the window, `odata.maxpagesize` a page with `@odata.nextLink`
      ($skiptoken), the last page's `@odata.deltaLink` ($deltatoken); a delta link gives
      what changed since, deleted events as `{"id", "@removed": {"reason": "deleted"}}`;
      an unknown or expired $deltatoken is 410 `syncStateNotFound`; no token is 401, a
      mailbox the app may not read 403, an unknown one 404.
    """

    def __init__(self, *, tenant: str, client_id: str, secret: str, mailbox: str) -> None:
        self.tenant, self.client_id, self.secret, self.mailbox = tenant, client_id, secret, mailbox
        self.forbidden: set[str] = set()
        self.changes = _Changes()
        self.tokens: set[str] = set()
        self.pages: dict[str, list[dict[str, object]]] = {}
        self.deltas: dict[str, int] = {}
        self.page_size = 3
        super().__init__()

    def put(self, event: dict[str, object]) -> None:
        self.changes.put(event)

    def delete(self, key: str) -> None:
        self.changes.delete(key)

    def expire_delta_links(self) -> None:
        self.deltas.clear()

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        from urllib.parse import parse_qs, unquote, urlsplit

        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "POST" and parts.path == f"/{self.tenant}/oauth2/v2.0/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if (
                form.get("grant_type") != "client_credentials"
                or form.get("client_id") != self.client_id
                or form.get("client_secret") != self.secret
                or form.get("scope") != "https://graph.microsoft.com/.default"
            ):
                return _json(401, {"error": "invalid_client", "error_description": "AADSTS7000215"})
            token = f"graph-{len(self.tokens)}"
            self.tokens.add(token)
            return _json(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token})
        prefix = "/v1.0/users/"
        suffix = "/calendarView/delta"
        if method != "GET" or not parts.path.startswith(prefix) or not parts.path.endswith(suffix):
            return _json(404, {"error": {"code": "ResourceNotFound"}})
        if headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return _json(401, {"error": {"code": "InvalidAuthenticationToken"}})
        mailbox = unquote(parts.path[len(prefix) : -len(suffix)])
        if mailbox in self.forbidden:
            return _json(403, {"error": {"code": "ErrorAccessDenied"}})
        if mailbox != self.mailbox:
            return _json(404, {"error": {"code": "ErrorInvalidUser"}})
        size = self.page_size
        prefer = headers.get("prefer", "")
        if "odata.maxpagesize=" in prefer:
            size = min(size, int(prefer.split("odata.maxpagesize=")[1].split(",")[0]))
        if "$skiptoken" in query:
            items = self.pages.pop(query["$skiptoken"], None)
            if items is None:
                return _json(410, {"error": {"code": "syncStateNotFound"}})
        elif "$deltatoken" in query:
            version = self.deltas.get(query["$deltatoken"])
            if version is None:
                return _json(410, {"error": {"code": "syncStateNotFound", "message": "resync"}})
            items = [
                {
                    "@odata.type": "#microsoft.graph.event",
                    "id": k,
                    "@removed": {"reason": "deleted"},
                }
                if k in self.changes.deleted
                else self.changes.events[k]
                for k in self.changes.since(version)
            ]
        else:
            if "startDateTime" not in query or "endDateTime" not in query:
                return _json(400, {"error": {"code": "ErrorInvalidParameter"}})
            start, end = query["startDateTime"], query["endDateTime"]
            items = [
                e
                for _k, e in sorted(self.changes.events.items())
                if str(e["start"]["dateTime"]) < end and str(e["end"]["dateTime"]) > start  # type: ignore[index]
            ]
        link = f"{self.base}{parts.path}"
        page, rest = items[:size], items[size:]
        payload: dict[str, object] = {
            "@odata.context": f"{self.base}/v1.0/$metadata#Collection(event)",
            "value": page,
        }
        if rest:
            skip = f"skip{len(self.pages) + len(self.requests)}"
            self.pages[skip] = rest
            payload["@odata.nextLink"] = f"{link}?$skiptoken={skip}"
        else:
            delta = f"delta{self.changes.version}x{len(self.requests)}"
            self.deltas[delta] = self.changes.version
            payload["@odata.deltaLink"] = f"{link}?$deltatoken={delta}"
        return _json(200, payload)


def graph_event(
    key: str,
    start: str,
    end: str,
    subject: str,
    attendees: list[tuple[str, str]] = (),  # type: ignore[assignment]
    **extra: object,
) -> dict[str, object]:
    """An event in the shape Graph returns (learn.microsoft.com/graph/api/resources/event)."""
    return {
        "@odata.etag": f'W/"{key}{subject}"',
        "id": key,
        "changeKey": f"{key}-{abs(hash(subject)) % 10000}",
        "iCalUId": f"040000008200E00074C5B7101A82E008{key}",
        "subject": subject,
        "isAllDay": False,
        "isCancelled": False,
        "showAs": "busy",
        "sensitivity": "normal",
        "type": "singleInstance",
        "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
        "start": {"dateTime": f"{start}.0000000", "timeZone": "UTC"},
        "end": {"dateTime": f"{end}.0000000", "timeZone": "UTC"},
        "organizer": {
            "emailAddress": {"name": "Ingrid Berg", "address": "ingrid.berg@nordlys.example"}
        },
        "attendees": [
            {
                "type": "required",
                "status": {"response": "accepted", "time": "2026-11-01T08:00:00Z"},
                "emailAddress": {"name": name, "address": address},
            }
            for name, address in attendees
        ],
        **extra,
    }


class GoogleServer(ApiServer):
    """The Google Calendar API and OAuth token endpoint as developers.google.com documents them.

    - `POST /token` with a service account's RS256 JWT (`grant_type=…jwt-bearer`): the
      signature is checked with the key's public half, `aud` must be this URL, the scope
      calendar.readonly and `sub` a mailbox delegated to the account, else 401
      `unauthorized_client`;
    - `GET /calendar/v3/calendars/{id}/events` with `singleEvents=true`: `timeMin` or
      `syncToken` (both together is 400), `maxResults` a page with `nextPageToken`, the
      last page's `nextSyncToken`; with a sync token, what changed since, deleted events as
      `{"id", "status": "cancelled"}`; an unknown or expired token is 410 fullSyncRequired.
    """

    def __init__(self, *, mailbox: str) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.client_email = "krutt-sync@nordlys-krutt.iam.gserviceaccount.com"
        self.delegated = {mailbox}
        self.mailbox = mailbox
        self.changes = _Changes()
        self.tokens: set[str] = set()
        self.pages: dict[str, list[dict[str, object]]] = {}
        self.syncs: dict[str, int] = {}
        self.page_size = 3
        super().__init__()

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"

    def key_file(self) -> str:
        import json

        from cryptography.hazmat.primitives import serialization

        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return json.dumps(
            {
                "type": "service_account",
                "project_id": "nordlys-krutt",
                "private_key_id": "0123abcd",
                "private_key": pem,
                "client_email": self.client_email,
                "client_id": "104711",
                "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )

    def put(self, event: dict[str, object]) -> None:
        self.changes.put(event)

    def delete(self, key: str) -> None:
        self.changes.delete(key)

    def expire_sync_tokens(self) -> None:
        self.syncs.clear()

    def _assertion_ok(self, assertion: str) -> bool:
        import base64
        import json

        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        def unb64(text: str) -> bytes:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

        try:
            head, claims, signature = assertion.split(".")
            self.private_key.public_key().verify(
                unb64(signature), f"{head}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except (ValueError, InvalidSignature):
            return False
        header, body = json.loads(unb64(head)), json.loads(unb64(claims))
        return (
            header.get("alg") == "RS256"
            and body.get("iss") == self.client_email
            and body.get("aud") == self.token_url
            and "calendar.readonly" in str(body.get("scope"))
            and body.get("sub") in self.delegated
            and int(body.get("exp", 0)) > int(body.get("iat", 0))
        )

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        from urllib.parse import parse_qs, unquote, urlsplit

        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "POST" and parts.path == "/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or not (
                self._assertion_ok(form.get("assertion", ""))
            ):
                return _json(401, {"error": "unauthorized_client", "error_description": "no"})
            token = f"ya29.{len(self.tokens)}"
            self.tokens.add(token)
            return _json(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
        prefix, suffix = "/calendar/v3/calendars/", "/events"
        if method != "GET" or not parts.path.startswith(prefix) or not parts.path.endswith(suffix):
            return _json(404, {"error": {"code": 404, "message": "Not Found"}})
        if headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return _json(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        if unquote(parts.path[len(prefix) : -len(suffix)]) != self.mailbox:
            return _json(404, {"error": {"code": 404, "message": "Not Found"}})
        if query.get("singleEvents") != "true":
            return _json(400, {"error": {"code": 400, "message": "this server expands only"}})
        if "syncToken" in query and "timeMin" in query:
            return _json(400, {"error": {"code": 400, "message": "syncToken with timeMin"}})
        size = min(int(query.get("maxResults", "250")), self.page_size)
        if "pageToken" in query:
            items = self.pages.pop(query["pageToken"], None)
            if items is None:
                return _json(400, {"error": {"code": 400, "message": "Invalid page token"}})
        elif "syncToken" in query:
            version = self.syncs.get(query["syncToken"])
            if version is None:
                return _json(
                    410,
                    {
                        "error": {
                            "errors": [{"domain": "global", "reason": "fullSyncRequired"}],
                            "code": 410,
                            "message": "Sync token is no longer valid, a full sync is required.",
                        }
                    },
                )
            items = [
                {"kind": "calendar#event", "etag": '"0"', "id": k, "status": "cancelled"}
                if k in self.changes.deleted
                else self.changes.events[k]
                for k in self.changes.since(version)
            ]
        else:
            since = datetime.fromisoformat(query.get("timeMin", "1970-01-01T00:00:00+00:00"))
            items = [e for _k, e in sorted(self.changes.events.items()) if _end(e) > since]
        page, rest = items[:size], items[size:]
        payload: dict[str, object] = {
            "kind": "calendar#events",
            "summary": self.mailbox,
            "items": page,
        }
        if rest:
            token = f"page{len(self.requests)}"
            self.pages[token] = rest
            payload["nextPageToken"] = token
        else:
            token = f"sync{self.changes.version}x{len(self.requests)}"
            self.syncs[token] = self.changes.version
            payload["nextSyncToken"] = token
        return _json(200, payload)


def _end(event: dict[str, object]) -> datetime:
    end = event["end"]
    assert isinstance(end, dict)
    return datetime.fromisoformat(end["dateTime"])


def google_event(
    key: str,
    start: str,
    end: str,
    summary: str,
    attendees: list[tuple[str, str]] = (),  # type: ignore[assignment]
    **extra: object,
) -> dict[str, object]:
    """An event as Google returns it (developers.google.com/calendar/api/v3/reference/events)."""
    return {
        "kind": "calendar#event",
        "etag": f'"{abs(hash((key, summary, start))) % 10**12}"',
        "id": key,
        "status": "confirmed",
        "summary": summary,
        "iCalUID": f"{key}@google.com",
        "start": {"dateTime": start, "timeZone": "Europe/Oslo"},
        "end": {"dateTime": end, "timeZone": "Europe/Oslo"},
        "organizer": {"email": "ingrid.berg@nordlys.example", "self": True},
        "attendees": [
            {
                "email": "ingrid.berg@nordlys.example",
                "organizer": True,
                "self": True,
                "responseStatus": "accepted",
            },
            *[
                {"email": address, "displayName": name, "responseStatus": "accepted"}
                for name, address in attendees
            ],
        ],
        **extra,
    }
