"""A small loopback load generator: threads, each a client sending one request after another.

Standard library only (threads + http.client), bounded in time and aimed at 127.0.0.1 only.
Latency is measured by the client, from sending the request to reading the whole body, so
under load it includes the time a request waits for a free server worker.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"
TIMEOUT_S = 30


@dataclass(frozen=True, kw_only=True)
class Target:
    """One page to request: its path, the cookies to send, and a text its body must contain."""

    path: str
    cookies: str = ""
    expect: str = ""
    authorization: str = ""  # an API request's `Bearer …` header


@dataclass(kw_only=True)
class Samples:
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    elapsed_s: float = 0.0

    def failed(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what

    def summary(self) -> dict[str, float | int | str | None]:
        """Counts, latency median and p95 in ms (None when nothing succeeded), throughput."""
        lat = sorted(self.latencies_s)
        return {
            "requests": len(lat),
            "errors": self.errors,
            "median_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
            "p95_ms": round(percentile(lat, 95) * 1000, 1) if lat else None,
            "requests_per_s": round(len(lat) / self.elapsed_s, 1) if self.elapsed_s else 0.0,
            "first_error": self.first_error,
        }


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _timed(conn: http.client.HTTPConnection, target: Target, samples: Samples) -> None:
    """One request; its latency is kept when it is a 200 with the expected page, else an error."""
    headers = {"Cookie": target.cookies} if target.cookies else {}
    if target.authorization:
        headers["Authorization"] = target.authorization
    start = time.perf_counter()
    try:
        conn.request("GET", target.path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        conn.close()  # the next request opens a new connection
        samples.failed(f"{type(error).__name__}: {error}")
        return
    took = time.perf_counter() - start
    if response.status != 200:
        samples.failed(f"HTTP {response.status} {response.getheader('Location') or ''}".strip())
    elif target.expect.encode() not in body:
        samples.failed(f"HTTP 200 without {target.expect!r}")
    else:
        samples.latencies_s.append(took)


def sequential(port: int, target: Target, *, count: int, warmup: int = 3) -> Samples:
    """`count` requests one after another on an idle server: the single-request time."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=TIMEOUT_S)
    try:
        for _ in range(warmup):
            _timed(conn, target, Samples())
        samples = Samples()
        began = time.perf_counter()
        for _ in range(count):
            _timed(conn, target, samples)
        samples.elapsed_s = time.perf_counter() - began
    finally:
        conn.close()
    return samples


def concurrent(port: int, target: Target, *, clients: int, seconds: float) -> Samples:
    """`clients` threads request `target` back to back for `seconds`; every request is timed."""
    samples = Samples()
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        mine = Samples()
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=TIMEOUT_S)
        start_gate.wait()
        try:
            while time.perf_counter() < deadline[0]:
                _timed(conn, target, mine)
        finally:
            conn.close()
            with lock:
                samples.latencies_s.extend(mine.latencies_s)
                samples.errors += mine.errors
                samples.first_error = samples.first_error or mine.first_error

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT_S + 5)
    samples.elapsed_s = time.perf_counter() - began
    return samples


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form; return the Cookie header of the signed-in session."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        page = response.read().decode()
        cookies = _cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None or "csrftoken" not in cookies:
            raise RuntimeError("the login page has no CSRF token")
        form = urlencode(
            {"csrfmiddlewaretoken": token[1], "username": email, "password": password, "next": "/"}
        )
        conn.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = conn.getresponse()
        response.read()
        cookies.update(_cookies(response))
        if response.status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"login as {email} failed: HTTP {response.status}")
        return "; ".join(f"{name}={value}" for name, value in cookies.items())
    finally:
        conn.close()
