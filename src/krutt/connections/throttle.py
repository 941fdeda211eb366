"""Waiting as a throttled API asks: Graph's and Google's 429 (and Google's 403 rate limit).

A short wait (Retry-After up to 30 seconds, or 1, 2, 4 seconds of exponential backoff
when the server names none) is taken inside the sync, a few times; a longer one ends the
sync with the server's sentence, and the schedule waits what the server asked
(`ConnectionFailed.retry_after` feeds the backoff).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from krutt.connections.errors import ConnectionFailed
from krutt.connections.http import BUSY

T = TypeVar("T")
MAX_INLINE_WAIT = 30
RETRIES = 3

Sleep = Callable[[float], None]


def patiently(call: Callable[[], T], *, sleep: Sleep) -> T:
    for attempt in range(RETRIES + 1):
        try:
            return call()
        except ConnectionFailed as failed:
            if failed.message.text != BUSY or attempt == RETRIES:
                raise
            wait = failed.retry_after if failed.retry_after is not None else 2**attempt
            if wait > MAX_INLINE_WAIT:
                raise
            sleep(wait)
    raise AssertionError("unreachable")
