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
