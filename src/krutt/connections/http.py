"""HTTP to calendar servers, safely: https only, no private networks, bounded size and time.

Every address is checked after DNS resolution, again on every redirect (redirects are
followed here, one by one, never by httpx), and the address really connected to is
checked once more before the body is read, so a name that resolves differently the
second time (DNS rebinding) still cannot reach a private network. Loopback addresses,
and plain http to them, are allowed only when the policy says so
(`KRUTT_ALLOW_LOOPBACK_CONNECTIONS=1`: tests and development).

Every failure is a `ConnectionFailed` with one plain sentence; nothing here logs.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from krutt.connections.errors import ConnectionFailed
from krutt.domain.messages import gettext_noop

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT_SECONDS = 60.0
MAX_REDIRECTS = 5
USER_AGENT = "krutt calendar sync"

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkPolicy:
    allow_loopback: bool = False
    max_bytes: int = MAX_BYTES
    timeout_seconds: float = TIMEOUT_SECONDS
    max_redirects: int = MAX_REDIRECTS


def policy_from_environment(environ: Mapping[str, str] | None = None) -> NetworkPolicy:
    """The production policy, loopback allowed only with KRUTT_ALLOW_LOOPBACK_CONNECTIONS=1."""
    env = os.environ if environ is None else environ
    return NetworkPolicy(allow_loopback=env.get("KRUTT_ALLOW_LOOPBACK_CONNECTIONS") == "1")


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ConnectionFailed(NOT_FOUND_HOST, host=host) from None
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, policy: NetworkPolicy, resolver: Resolver = system_resolver) -> None:
    """Refuse an address krutt must not connect to; resolves the host name to find out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ConnectionFailed(HTTPS_ONLY)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ConnectionFailed(HTTPS_ONLY) from None
    addresses = resolver(host, port)
    if not addresses:
        raise ConnectionFailed(NOT_FOUND_HOST, host=host)
    loopback = [check_address(address, policy, host) for address in addresses]
    if parts.scheme == "http" and not all(loopback):
        raise ConnectionFailed(HTTPS_ONLY)


def check_address(address: str, policy: NetworkPolicy, host: str) -> bool:
    """True for an allowed loopback address, False for a public one; raises for the rest."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        raise ConnectionFailed(PRIVATE, host=host) from None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        if policy.allow_loopback:
            return True
        raise ConnectionFailed(PRIVATE, host=host)
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        raise ConnectionFailed(PRIVATE, host=host)
    return False


class SafeHttp:
    """One client per sync; `transport` and `resolver` are for tests that need them."""

    def __init__(
        self,
        *,
        policy: NetworkPolicy,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(policy.timeout_seconds),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> SafeHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        content: bytes | None = None,
        auth: tuple[str, str] | None = None,
        accept: Collection[int] = (),
    ) -> Answer:
        """The answer (2xx or 304), following redirects that pass the checks.

        404, 401/403, 410 (`resync`), 429 (`retry_after`) and 5xx raise `ConnectionFailed`,
        except the statuses in `accept`: those come back for the caller to read the body
        (an API's own error reason, such as Google's 403 rateLimitExceeded).
        """
        deadline = time.monotonic() + self.policy.timeout_seconds
        for _ in range(self.policy.max_redirects + 1):
            check_url(url, self.policy, self.resolver)
            host = urlsplit(url).hostname or ""
            answer = self._once(
                method, url, headers=headers, data=data, content=content, auth=auth,
                deadline=deadline, host=host,
            )  # fmt: skip
            if answer.status in (301, 302, 303, 307, 308) and "location" in answer.headers:
                url = urljoin(url, answer.headers["location"])
                if answer.status == 303:
                    method, data, content = "GET", None, None
                continue
            if answer.status in accept:
                return answer
            return _judge(answer, host)
        raise ConnectionFailed(TOO_MANY_REDIRECTS)

    def _once(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        content: bytes | None,
        auth: tuple[str, str] | None,
        deadline: float,
        host: str,
    ) -> Answer:
        try:
            with self.client.stream(
                method, url, headers=headers, data=data, content=content, auth=auth
            ) as response:
                stream = response.extensions.get("network_stream")
                peer = stream.get_extra_info("server_addr") if stream is not None else None
                if peer:
                    check_address(str(peer[0]), self.policy, host)
                body = bytearray()
                for chunk in response.iter_raw():
                    body += chunk
                    if len(body) > self.policy.max_bytes:
                        raise ConnectionFailed(
                            TOO_LARGE, megabytes=self.policy.max_bytes // (1024 * 1024)
                        )
                    if time.monotonic() > deadline:
                        raise ConnectionFailed(
                            TIMED_OUT, host=host, seconds=int(self.policy.timeout_seconds)
                        )
                decoded = _decode(
                    bytes(body), response.headers.get("content-encoding", ""), self.policy.max_bytes
                )
                if len(decoded) > self.policy.max_bytes:
                    raise ConnectionFailed(
                        TOO_LARGE, megabytes=self.policy.max_bytes // (1024 * 1024)
                    )
                return Answer(
                    status=response.status_code,
                    headers=response.headers,
                    body=decoded,
                    url=url,
                )
        except httpx.TimeoutException:
            raise ConnectionFailed(
                TIMED_OUT, host=host, seconds=int(self.policy.timeout_seconds)
            ) from None
        except httpx.HTTPError:
            raise ConnectionFailed(UNREACHABLE, host=host) from None


def _decode(body: bytes, encoding: str, limit: int) -> bytes:
    """The body without its content encoding, decoded here so its size stays bounded."""
    import zlib

    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "deflate"):
        window = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        decoder = zlib.decompressobj(window)
        try:
            out = decoder.decompress(body, limit + 1)
        except zlib.error:
            raise ConnectionFailed(MALFORMED) from None
        return out
    raise ConnectionFailed(MALFORMED)


def _judge(answer: Answer, host: str) -> Answer:
    status = answer.status
    if 200 <= status < 300 or status == 304:
        return answer
    if status in (401, 403):
        raise ConnectionFailed(REFUSED, status=status)
    if status == 404:
        raise ConnectionFailed(NOT_FOUND)
    if status == 410:
        raise ConnectionFailed(GONE, resync=True)
    if status == 429:
        raise ConnectionFailed(BUSY, retry_after=retry_after(answer.headers))
    raise ConnectionFailed(SERVER_ERROR, status=status, host=host)


def retry_after(headers: httpx.Headers) -> int | None:
    """Seconds from a Retry-After header given in seconds (dates are rare here: ignored)."""
    value = headers.get("retry-after", "").strip()
    return min(int(value), 24 * 3600) if value.isdigit() else None


HTTPS_ONLY = gettext_noop("The address must start with https://.")
NOT_FOUND_HOST = gettext_noop("The server {host} could not be found.")
PRIVATE = gettext_noop(
    "The address {host} points into a private network; krutt does not connect there."
)
TIMED_OUT = gettext_noop("The server {host} did not answer within {seconds} seconds.")
UNREACHABLE = gettext_noop("The server {host} could not be reached.")
REFUSED = gettext_noop("The server refused the user name or password (HTTP {status}).")
NOT_FOUND = gettext_noop("The calendar was not found at that address (HTTP 404).")
GONE = gettext_noop("The server no longer knows the last sync; krutt reads everything again.")
BUSY = gettext_noop("The server is busy and asked krutt to wait (HTTP 429).")
SERVER_ERROR = gettext_noop("The server {host} answered with an error (HTTP {status}).")
TOO_LARGE = gettext_noop("The server's answer is larger than {megabytes} MB.")
TOO_MANY_REDIRECTS = gettext_noop("The server sent krutt on too many redirects.")
MALFORMED = gettext_noop("The server's answer could not be read.")
