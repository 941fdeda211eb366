"""The Results charts, drawn on the server in the style of `ui.charts` (no script, aria-hidden:
every chart has the same numbers as a table beside it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from krutt.domain.outcome import CoachingEffect, MonthOutcome, RampRow, WearWeek
from krutt.domain.segments import SEGMENT_ORDER, Segment

WIDTH = 300


def _n(value: float) -> str:
    return f"{value:.1f}"


def _svg(height: int, body: SafeString, css: str, *, stretch: bool = False) -> SafeString:
    """`stretch`: bars that may take any width (the page sets the height), else kept in proportion."""
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}"{} aria-hidden="true" focusable="false">{}</svg>',
        css,
        WIDTH,
        height,
        SafeString(' preserveAspectRatio="none"') if stretch else "",
        body,
    )


def outcome_chart(months: Sequence[MonthOutcome], *, height: int = 150) -> SafeString:
    """Per month: a bar for the share of time on top + new (0–100 %), a line for team
    attainment (0 – the highest month or 120 %), a dot under the months within policy."""
    if not months:
        return SafeString("")
    top = max([1.2] + [float(m.attainment) for m in months if m.attainment is not None])
    slot = WIDTH / len(months)
    chart = height - 10

    def y_share(value: float) -> float:
        return chart - value * (chart - 4)

    def y_att(value: float) -> float:
        return chart - value / top * (chart - 4)

    bars = format_html_join(
        "",
        '<rect class="out-share" x="{}" y="{}" width="{}" height="{}"></rect>',
        (
            (
                _n(i * slot + slot * 0.15),
                _n(y_share(share)),
                _n(slot * 0.7),
                _n(chart - y_share(share)),
            )
            for i, m in enumerate(months)
            if m.shares is not None
            for share in (float(m.shares[Segment.TOP] + m.shares[Segment.NEW]),)
        ),
    )
    runs: list[list[str]] = [[]]
    for i, m in enumerate(months):
        if m.attainment is None:
            runs.append([])
        else:
            runs[-1].append(f"{i * slot + slot / 2:.1f},{y_att(float(m.attainment)):.1f}")
    lines = format_html_join(
        "",
        '<polyline class="out-attainment" points="{}"></polyline>',
        ((" ".join(r),) for r in runs if r),
    )
    dots = format_html_join(
        "",
        '<circle class="out-within" cx="{}" cy="{}" r="2.5"></circle>',
        (
            (_n(i * slot + slot / 2), _n(height - 4))
            for i, m in enumerate(months)
            if m.within_policy
        ),
    )
    hundred = format_html(
        '<line class="out-target" x1="0" x2="{}" y1="{}" y2="{}"></line>',
        WIDTH,
        _n(y_att(1.0)),
        _n(y_att(1.0)),
    )
    return _svg(
        height, format_html("{}{}{}{}", bars, hundred, lines, dots), "outcome-chart", stretch=True
    )


def coaching_chart(effects: Mapping[Segment, CoachingEffect], *, row: int = 26) -> SafeString:
    """Per segment with enough seller-months: the slope as a dot on its interval, around zero."""
    shown = [(s, effects[s].estimate) for s in SEGMENT_ORDER if effects[s].estimate is not None]
    if not shown:
        return SafeString("")
    reach = max(
        [0.01] + [max(abs(e.low), abs(e.high), abs(e.value)) for _, e in shown if e is not None]
    )
    height = row * len(SEGMENT_ORDER) + 6

    def x(value: float) -> float:
        return WIDTH / 2 + value / reach * (WIDTH / 2 - 8)

    parts = []
    for index, segment in enumerate(SEGMENT_ORDER):
        estimate = effects[segment].estimate
        if estimate is None:
            continue
        y = index * row + row / 2 + 3
        parts.append(
            format_html(
                '<line class="ci-line seg-{}" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                '<circle class="ci-dot seg-{}" cx="{}" cy="{}" r="4"></circle>',
                segment.value,
                _n(x(estimate.low)),
                _n(x(estimate.high)),
                _n(y),
                _n(y),
                segment.value,
                _n(x(estimate.value)),
                _n(y),
            )
        )
    zero = format_html(
        '<line class="ci-zero" x1="{}" x2="{}" y1="0" y2="{}"></line>', _n(x(0)), _n(x(0)), height
    )
    return _svg(height, format_html("{}{}", zero, SafeString("".join(parts))), "coaching-chart")


def ramp_chart(rows: Sequence[RampRow], *, months: int = 12, height: int = 120) -> SafeString:
    """One new seller: the earlier hires' middle half as a band, their median dashed, the
    seller's attainment so far as a line, by month of tenure; the 100 % line and the months
    marked, so that two months of numbers read as the start of a year."""
    if not rows:
        return SafeString("")
    values = [float(r.attainment) for r in rows] + [
        float(v) for r in rows for v in (r.cohort_q3,) if v is not None
    ]
    top = max([1.2, *values])
    left, bottom = 26, 14
    step = (WIDTH - left - 6) / max(months - 1, 1)

    def x(k: int) -> float:
        return left + (k - 1) * step

    def y(value: Fraction | float) -> float:
        return height - bottom - float(value) / top * (height - bottom - 6)

    axes = format_html(
        '<line class="ramp-axis" x1="{l}" x2="{r}" y1="{b}" y2="{b}"></line>'
        '<line class="ramp-full" x1="{l}" x2="{r}" y1="{f}" y2="{f}"></line>'
        '<text class="ramp-label" x="{t}" y="{fy}" text-anchor="end">100 %</text>'
        '<text class="ramp-label" x="{t}" y="{by}" text-anchor="end">0</text>',
        l=_n(left),
        r=_n(x(months)),
        b=_n(y(0)),
        f=_n(y(1)),
        t=_n(left - 3),
        fy=_n(y(1) + 3),
        by=_n(y(0) + 3),
    )
    ticks = format_html_join(
        "",
        '<text class="ramp-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_n(x(k)), _n(height - 2), k) for k in (1, 3, 6, 9, 12) if k <= months),
    )
    banded = [r for r in rows if r.cohort_q1 is not None and r.cohort_q3 is not None]
    band = SafeString("")
    median = SafeString("")
    if banded:
        upper = [f"{x(r.tenure_month):.1f},{y(r.cohort_q3 or 0):.1f}" for r in banded]
        lower = [f"{x(r.tenure_month):.1f},{y(r.cohort_q1 or 0):.1f}" for r in reversed(banded)]
        band = format_html(
            '<polygon class="ramp-band" points="{}"></polygon>', " ".join(upper + lower)
        )
        median = format_html(
            '<polyline class="ramp-median" points="{}"></polyline>',
            " ".join(f"{x(r.tenure_month):.1f},{y(r.cohort_median or 0):.1f}" for r in banded),
        )
    own = format_html(
        '<polyline class="ramp-own" points="{}"></polyline>',
        " ".join(f"{x(r.tenure_month):.1f},{y(r.attainment):.1f}" for r in rows),
    )
    dots = format_html_join(
        "",
        '<circle class="ramp-dot" cx="{}" cy="{}" r="2.5"></circle>',
        ((_n(x(r.tenure_month)), _n(y(r.attainment))) for r in rows),
    )
    return _svg(
        height, format_html("{}{}{}{}{}{}", axes, ticks, band, median, own, dots), "ramp-chart"
    )


def wear_chart(weeks: Sequence[WearWeek], *, height: int = 130) -> SafeString:
    """Per week two stacked columns by segment: the share of time (left) and of drained energy
    (right, hatched when nothing was rated)."""
    if not weeks:
        return SafeString("")
    slot = WIDTH / len(weeks)
    parts: list[SafeString] = []
    for i, week in enumerate(weeks):
        for offset, shares in ((0.1, week.shares_time), (0.52, week.shares_energy)):
            x = i * slot + slot * offset
            if shares is None:
                parts.append(
                    format_html(
                        '<rect class="wear-none" x="{}" y="2" width="{}" height="{}"></rect>',
                        _n(x),
                        _n(slot * 0.38),
                        height - 4,
                    )
                )
                continue
            bottom = float(height - 2)
            for segment in SEGMENT_ORDER:
                h = float(shares[segment]) * (height - 4)
                if h <= 0:
                    continue
                parts.append(
                    format_html(
                        '<rect class="wear-bar seg-{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                        segment.value,
                        _n(x),
                        _n(bottom - h),
                        _n(slot * 0.38),
                        _n(h),
                    )
                )
                bottom -= h
    return _svg(height, SafeString("".join(parts)), "wear-chart", stretch=True)


def retention_chart(leavers: float, stayers: float, *, height: int = 60) -> SafeString:
    """Two bars: hours a month for the top sellers who left and for those who stayed."""
    top = max(leavers, stayers, 0.5)
    parts = format_html(
        '<rect class="ret-bar ret-leavers" x="0" y="6" width="{}" height="18"></rect>'
        '<rect class="ret-bar ret-stayers" x="0" y="34" width="{}" height="18"></rect>',
        _n(leavers / top * (WIDTH - 4)),
        _n(stayers / top * (WIDTH - 4)),
    )
    return _svg(height, parts, "retention-chart")
