"""Periods of the feed: a day, an ISO week or a month, parsed from and written as URL text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

KINDS = ("day", "week", "month")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def slug(self) -> str:
        """The period as it appears in URLs and the API: 2026-03-06, 2026-W10, 2026-03."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return self.start.isoformat()

    @property
    def week_slug(self) -> str:
        return period_containing("week", self.start).slug

    @property
    def month_slug(self) -> str:
        return period_containing("month", self.start).slug

    @property
    def title(self) -> str:
        if self.kind == "week":
            return f"Week of {self.start:%-d %B %Y}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{self.start:%A, %-d %B %Y}"


def period_containing(kind: str, day: dt.date) -> Period:
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Period("week", start, start + dt.timedelta(days=6))
    if kind == "month":
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return Period("month", start, following - dt.timedelta(days=1))
    return Period("day", day, day)


def parse_period(kind: str, text: str) -> Period:
    """The period named by ``text``; ValueError with a message naming the expected form."""
    if kind == "day":
        try:
            return period_containing("day", dt.date.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{text!r} is not a day: use YYYY-MM-DD") from None
    pattern, form = (_WEEK, "YYYY-Www") if kind == "week" else (_MONTH, "YYYY-MM")
    match = pattern.match(text)
    try:
        if match is None:
            raise ValueError
        year, number = int(match[1]), int(match[2])
        first = dt.date.fromisocalendar(year, number, 1) if kind == "week" else dt.date(year, number, 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a {kind}: use {form}") from None
    return period_containing(kind, first)
