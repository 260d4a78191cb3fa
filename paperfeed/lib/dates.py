"""Parsing the dates that upstream formats write, always to aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_DAY_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def parse_datetime(value: str) -> dt.datetime:
    """ISO 8601 date or datetime (``Z`` allowed) or RFC 2822; naive values are taken as UTC."""
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            raise ValueError(f"not an ISO 8601 or RFC 2822 date: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+05:00 falls before year 1 in UTC
        raise ValueError(f"date out of range: {value!r}") from None


def parse_day(value: str) -> dt.date:
    """An ISO date (``2026-03-01``), or the day of an ISO datetime."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return parse_datetime(text).date()


def day_in_filename(name: str) -> dt.date | None:
    """The ``YYYY-MM-DD`` a daily listing file is named after, if any."""
    match = _DAY_IN_NAME.search(name)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
