"""The two intervals the Results figures carry: a correlation's and a slope's.

A correlation over n months gets the Fisher z interval (atanh(r) ± z·1/√(n−3), back
through tanh). A slope gets a percentile bootstrap: the pairs are drawn again with
replacement from a `random.Random(seed)`, so the same data always gives the same
interval. Both are 90 % intervals by default. Floats here: these are estimates, not money.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter, mul

DEFAULT_LEVEL = 0.9
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 13


@dataclass(frozen=True, kw_only=True, slots=True)
class Estimate:
    """A number with its interval (`low` ≤ `high`) and how many observations it rests on."""

    value: float
    low: float
    high: float
    n: int


def correlation_interval(
    xs: Sequence[float], ys: Sequence[float], *, level: float = DEFAULT_LEVEL
) -> Estimate | None:
    """Pearson's r with its Fisher z interval; None below 4 pairs or when either side is flat."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    if n < 4 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    try:
        r = statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        # Values so close together that their spread rounds to nothing: flat, as above.
        return None
    r = max(-1.0, min(1.0, r))
    if abs(r) == 1.0:
        return Estimate(value=r, low=r, high=r, n=n)
    z = math.atanh(r)
    half = statistics.NormalDist().inv_cdf(0.5 + level / 2) / math.sqrt(n - 3)
    return Estimate(value=r, low=math.tanh(z - half), high=math.tanh(z + half), n=n)


def slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The least-squares slope of ys on xs; None when xs do not vary."""
    n = len(xs)
    if n < 2:
        return None
    mean_x = math.fsum(xs) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx <= 1e-12 * max(1.0, mean_x * mean_x) * n:
        return None
    mean_y = math.fsum(ys) / n
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx


def bootstrap_slope(
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = DEFAULT_LEVEL,
) -> Estimate | None:
    """The slope with a seeded percentile-bootstrap interval over resampled pairs.

    None when the slope itself cannot be computed. Resamples in which xs happen not to
    vary are drawn again (they have no slope), up to twice the number asked for.
    """
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    value = slope(xs, ys)
    if value is None:
        return None
    rng = random.Random(seed)  # noqa: S311 - a seeded resample, not a secret
    positions = range(n)
    xl, yl = list(xs), list(ys)
    slopes: list[float] = []
    attempts = 0
    while len(slopes) < resamples and attempts < 2 * resamples:
        attempts += 1
        pick = itemgetter(*rng.choices(positions, k=n))
        rx: tuple[float, ...] = pick(xl) if n > 1 else (pick(xl),)
        ry: tuple[float, ...] = pick(yl) if n > 1 else (pick(yl),)
        sx, sy = sum(rx), sum(ry)
        sxx = sum(map(mul, rx, rx)) - sx * sx / n
        if sxx <= 1e-9:
            continue
        slopes.append((sum(map(mul, rx, ry)) - sx * sy / n) / sxx)
    if not slopes:
        return Estimate(value=value, low=value, high=value, n=n)
    slopes.sort()
    tail = (1 - level) / 2
    return Estimate(
        value=value,
        low=_quantile(slopes, tail),
        high=_quantile(slopes, 1 - tail),
        n=n,
    )


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (the 'inclusive' method)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
