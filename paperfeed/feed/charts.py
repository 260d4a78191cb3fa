"""Small pictures drawn on the server as inline SVG: papers per day, and a count over time.

No script and no style attributes (the CSP forbids inline styles): shapes carry classes that
site.css colours, and each mark has a <title> a browser shows on hover and a screen reader reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 300, 64, 4
SLOTS = 30  # bar_chart's width holds this many days


def bar_chart(counts: Sequence[tuple[dt.date, int]], label: str) -> SafeString:
    """One bar per day of ``counts`` (oldest first), as tall as its count, the tallest full height."""
    if not counts:
        return SafeString("")
    top = max(count for _, count in counts) or 1
    slots = max(len(counts), SLOTS)  # a few days draw narrow bars at the right, the latest last
    step, first = (WIDTH - 2 * PAD) / slots, slots - len(counts)
    bars = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (_n(PAD + (first + i) * step), _n(y), _n(max(step - 1, 1)), _n(HEIGHT - PAD - y), day, count)
            for i, (day, count, y) in enumerate((day, count, _y(count, top)) for day, count in counts)
        ),
    )
    return _svg("bars", label, bars)


def line_chart(points: Sequence[tuple[dt.date, int]], label: str) -> SafeString:
    """A line through ``points`` (oldest first), a dot on each; x by date, y by value."""
    if not points:
        return SafeString("")
    top = max(value for _, value in points) or 1
    first, span = points[0][0], max((points[-1][0] - points[0][0]).days, 1)
    xy = [(PAD + (day - first).days / span * (WIDTH - 2 * PAD), _y(value, top)) for day, value in points]
    line = format_html('<polyline class="line" points="{}"></polyline>', " ".join(f"{_n(x)},{_n(y)}" for x, y in xy))
    dots = format_html_join(
        "",
        '<circle class="dot" cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
        ((_n(x), _n(y), day, value) for (x, y), (day, value) in zip(xy, points, strict=True)),
    )
    return _svg("line", label, SafeString(line + dots))


def _n(number: float) -> str:
    return f"{number:.1f}"


def _y(value: int, top: int) -> float:
    return HEIGHT - PAD - value / top * (HEIGHT - 2 * PAD)


def _svg(kind: str, label: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        kind,
        WIDTH,
        HEIGHT,
        label,
        label,
        body,
    )
