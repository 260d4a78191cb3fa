"""Periods of the feed: a day, an ISO week or a month, parsed from and written as URL text."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from paperfeed.papers.records import EARLIEST_DAY, last_allowed_day

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
    """The day, week or month holding ``day``; safe up to the calendar's last day, 9999-12-31."""
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Period("week", start, min(start, dt.date.max - dt.timedelta(days=6)) + dt.timedelta(days=6))
    if kind == "month":
        days = calendar.monthrange(day.year, day.month)[1]
        return Period("month", day.replace(day=1), day.replace(day=days))
    return Period("day", day, day)


def parse_period(kind: str, text: str) -> Period:
    """The period named by ``text``; ValueError naming the expected form, or the range of days
    papers may have (1986-01-01 to a year from today) when the period lies outside it."""
    if kind == "day":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a day: use YYYY-MM-DD") from None
        return period_containing("day", _in_range(day, text))
    pattern, form = (_WEEK, "YYYY-Www") if kind == "week" else (_MONTH, "YYYY-MM")
    match = pattern.match(text)
    try:
        if match is None:
            raise ValueError
        year, number = int(match[1]), int(match[2])
        first = dt.date.fromisocalendar(year, number, 1) if kind == "week" else dt.date(year, number, 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a {kind}: use {form}") from None
    return period_containing(kind, _in_range(first, text))


def _in_range(first: dt.date, text: str) -> dt.date:
    """``first`` (a period's first day) if the period may hold papers; ValueError otherwise."""
    last = last_allowed_day()
    if not EARLIEST_DAY - dt.timedelta(days=6) <= first <= last:  # the week of 1986-01-01 starts in 1985
        raise ValueError(f"{text!r} is outside the days papers have, {EARLIEST_DAY} to {last}")
    return first
