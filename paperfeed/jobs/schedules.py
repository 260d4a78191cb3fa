"""When jobs run next: after arXiv's announcement on announcement days, or every N seconds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """A schedule setting that cannot be used."""


def harvest_clock() -> tuple[dt.time, ZoneInfo, set[int]]:
    """PAPERFEED_HARVEST_TIME, _TIMEZONE and _WEEKDAYS, checked."""
    try:
        at = dt.time.fromisoformat(str(settings.HARVEST_TIME))
    except ValueError:
        raise ScheduleError(f"PAPERFEED_HARVEST_TIME={settings.HARVEST_TIME!r} is not a time like 20:30") from None
    try:
        zone = ZoneInfo(str(settings.HARVEST_TIMEZONE))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"PAPERFEED_HARVEST_TIMEZONE={settings.HARVEST_TIMEZONE!r} is not a time zone") from None
    unknown = [day for day in settings.HARVEST_WEEKDAYS if day.lower()[:3] not in WEEKDAYS]
    if unknown:
        raise ScheduleError(f"PAPERFEED_HARVEST_WEEKDAYS: unknown days {unknown} (use mon,tue,...)")
    return at, zone, {WEEKDAYS.index(day.lower()[:3]) for day in settings.HARVEST_WEEKDAYS}


def next_harvest_at(after: dt.datetime) -> dt.datetime:
    """The first harvest time strictly after ``after`` on a harvest weekday, in the harvest time zone."""
    at, zone, weekdays = harvest_clock()
    local = after.astimezone(zone)
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        candidate = dt.datetime.combine(day, at, tzinfo=zone)
        if day.weekday() in weekdays and candidate > local:
            return candidate.astimezone(dt.UTC)
    raise ScheduleError("PAPERFEED_HARVEST_WEEKDAYS names no day")


def next_pull_at(after: dt.datetime) -> dt.datetime:
    return after + dt.timedelta(seconds=settings.HF_PULL_INTERVAL)
