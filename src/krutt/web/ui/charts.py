"""Small inline SVG charts, drawn on the server: no script, no chart library, CSP-clean.

Every chart is decoration for numbers that are also on the page as text (the band
meters say their numbers beside them; the trend has a table), so screen readers get
the text and the SVGs are aria-hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from krutt.domain.policy import Band
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.web.messages import format_percent

WIDTH = 300


def _n(value: float) -> str:
    """A coordinate as text (format_html escapes its arguments to strings before formatting)."""
    return f"{value:.1f}"


def band_meter(share: Fraction, band: Band, segment: Segment) -> SafeString:
    """A bar for the actual share over the shaded band it should be in."""
    low = float(band.minimum) * WIDTH
    high = float(band.maximum if band.maximum is not None else 1) * WIDTH
    actual = min(float(share), 1.0) * WIDTH
    return format_html(
        '<svg class="meter" viewBox="0 0 {w} 20" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect class="meter-track" x="0" y="4" width="{w}" height="12" rx="3"></rect>'
        '<rect class="meter-band" x="{lx}" y="0" width="{bw}" height="20" rx="2"></rect>'
        '<rect class="meter-bar seg-{seg}" x="0" y="6" width="{aw}" height="8" rx="2"></rect>'
        '<line class="meter-mark" x1="{ax}" x2="{ax}" y1="1" y2="19"></line>'
        "</svg>",
        w=WIDTH,
        lx=_n(low),
        bw=_n(max(high - low, 1.5)),
        seg=segment.value,
        aw=_n(actual),
        ax=_n(max(min(actual, WIDTH - 1), 1)),
    )


def trend_chart(
    points: Sequence[dict[Segment, Fraction]], *, height: int = 120, unfinished: bool = False
) -> SafeString:
    """Four lines, one per segment, of the share of seller time week by week.

    With `unfinished`, the last point is the running week: its stretch is dashed (and the
    legend and table say so), so a half week does not read as a sudden change.
    """
    if not points:
        return SafeString("")
    step = WIDTH / max(len(points) - 1, 1)

    def y(value: Fraction) -> float:
        return height - 4 - float(value) * (height - 8)

    def coords(segment: Segment, span: Sequence[tuple[int, dict[Segment, Fraction]]]) -> str:
        return " ".join(f"{i * step:.1f},{y(p[segment]):.1f}" for i, p in span)

    indexed = list(enumerate(points))
    done = indexed[:-1] if unfinished and len(points) > 1 else indexed
    lines = format_html_join(
        "",
        '<polyline class="trend-line seg-{}" points="{}"></polyline>',
        ((segment.value, coords(segment, done)) for segment in SEGMENT_ORDER),
    )
    if unfinished and len(points) > 1:
        lines += format_html_join(
            "",
            '<polyline class="trend-line trend-unfinished seg-{}" points="{}"></polyline>',
            ((segment.value, coords(segment, indexed[-2:])) for segment in SEGMENT_ORDER),
        )
    grid = format_html_join(
        "",
        '<line class="trend-grid" x1="0" x2="{}" y1="{}" y2="{}"></line>',
        ((WIDTH, _n(y(Fraction(v, 4))), _n(y(Fraction(v, 4)))) for v in range(5)),
    )
    return format_html(
        '<div class="trend-box"><div class="trend-axis" aria-hidden="true"><span>{p100}</span><span>{p50}</span><span>{p0}</span></div>'
        '<svg class="trend" viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        "{grid}{lines}</svg></div>",
        w=WIDTH,
        h=height,
        grid=grid,
        lines=lines,
        p100=format_percent(1),
        p50=format_percent(Fraction(1, 2)),
        p0=format_percent(0),
    )


def sparkline(
    values: Sequence[float | None], *, width: int = 80, height: int = 20, line: float = 1.0
) -> SafeString:
    """Monthly attainment as a small line, with the 100 % line dashed; gaps where a month is unknown."""
    known = [v for v in values if v is not None]
    if not known:
        return SafeString("")
    top = max(max(known), 1.2)
    step = width / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return height - 2 - min(value, top) / top * (height - 4)

    segments: list[list[str]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{i * step:.1f},{y(value):.1f}")
    paths = format_html_join(
        "",
        '<polyline class="spark-line" points="{}"></polyline>',
        ((" ".join(s),) for s in segments if s),
    )
    return format_html(
        '<svg class="spark" viewBox="0 0 {w} {h}" aria-hidden="true" focusable="false">'
        '<line class="spark-target" x1="0" x2="{w}" y1="{t}" y2="{t}"></line>{paths}</svg>',
        w=width,
        h=height,
        t=_n(y(line)),
        paths=paths,
    )


def monthly_bars(
    rows: Sequence[tuple[str, float | None, float | None]], *, height: int = 140
) -> SafeString:
    """Actual per month as bars under the target as a stepped line, with the months below.

    Each month carries its numbers as a tooltip (hover); the table beside the chart
    holds the same numbers for screen readers.
    """
    if not rows:
        return SafeString("")
    top = max([v for _, t, a in rows for v in (t, a) if v is not None] or [1.0])
    slot = WIDTH / len(rows)
    chart = height - 16  # room for the month labels

    def h(value: float | None) -> float:
        return 0.0 if value is None else value / top * (chart - 6)

    def number(value: float | None) -> str:
        return "–" if value is None else formats.number_format(round(value), 0, force_grouping=True)

    bars = format_html_join(
        "",
        "<g><title>{}: {} {}, {} {}</title>"
        '<rect class="hover-slot" x="{}" y="0" width="{}" height="{}"></rect>'
        '<rect class="bar-actual" x="{}" y="{}" width="{}" height="{}"></rect></g>',
        (
            (
                label,
                gettext("target"),
                number(target),
                gettext("actual"),
                number(actual),
                _n(i * slot),
                _n(slot),
                chart,
                _n(i * slot + slot * 0.2),
                _n(chart - h(actual)),
                _n(slot * 0.6),
                _n(h(actual)),
            )
            for i, (label, target, actual) in enumerate(rows)
        ),
    )
    # The target as steps: flat over each month, a gap where a month has none.
    steps: list[list[str]] = [[]]
    for i, (_, target, _) in enumerate(rows):
        if target is None:
            steps.append([])
            continue
        y = _n(chart - h(target))
        steps[-1] += [f"{_n(i * slot)},{y}", f"{_n((i + 1) * slot)},{y}"]
    line = format_html_join(
        "",
        '<polyline class="bar-target-line" points="{}"></polyline>',
        ((" ".join(points),) for points in steps if points),
    )
    every = max(1, round(len(rows) / 8))

    def placed(i: int) -> tuple[str, str]:
        # The outermost labels are anchored inside the chart, so none is cut at its edge.
        if i == len(rows) - 1:
            return _n(WIDTH - 1), "end"
        if i == 0:
            return "1", "start"
        return _n(i * slot + slot / 2), "middle"

    labels = format_html_join(
        "",
        '<text class="bar-label" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (x, height - 4, anchor, label)
            for i, (label, _, _) in enumerate(rows)
            for x, anchor in (placed(i),)
            if (len(rows) - 1 - i) % every == 0
        ),
    )
    return format_html(
        '<svg class="bars bars-labelled" viewBox="0 0 {w} {h}" aria-hidden="true" focusable="false">'
        "{bars}{line}{labels}</svg>",
        w=WIDTH,
        h=height,
        bars=bars,
        line=line,
        labels=labels,
    )


def share_bar(share: Fraction, segment: Segment | str) -> SafeString:
    """One seller's share of the seller time, as a bar in their segment's colour."""
    return format_html(
        '<svg class="share-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect class="meter-track" x="0" y="0" width="100" height="8"></rect>'
        '<rect class="meter-bar seg-{}" x="0" y="0" width="{}" height="8"></rect></svg>',
        Segment(segment).value,
        _n(min(float(share), 1.0) * 100),
    )
