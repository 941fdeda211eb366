"""Timing helpers: medians of repeated runs, so one slow run does not decide a ratio."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(work: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def paired_medians(
    first: Callable[[], object], second: Callable[[], object], *, repeat: int = 51, warmup: int = 3
) -> tuple[float, float]:
    """Median times of two pieces of work measured in alternation.

    A ratio of two medians taken one after the other drifts with whatever else the
    machine does meanwhile (a database server's autovacuum, another process); taken in
    turns, both sides see the same conditions.
    """
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        a.append(middle - start)
        b.append(time.perf_counter() - middle)
    return statistics.median(a), statistics.median(b)
