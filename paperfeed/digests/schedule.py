"""When a subscription's next digest is due, in the subscriber's own time zone, DST-safe.

A slot is ``send_hour:00`` local time on a day (weekly: on ``send_weekday``). On a
spring-forward day an hour that does not exist becomes the first hour after the gap; on a
fall-back day an hour that happens twice is taken the first time. The period a slot belongs
to is its local day (daily) or ISO week (weekly): one digest per period, by a unique key.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

from paperfeed.digests.models import Subscription


def is_timezone(name: str) -> bool:
    return name in _zones()


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


_ZONES: set[str] | None = None


def local_slot(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    """``hour``:00 on ``day`` in ``zone`` as an aware UTC datetime."""
    # fold=0 (PEP 495): in a gap the offset from before it applies, which lands after the gap;
    # a repeated hour is taken the first time.
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def next_slot(subscription: Subscription, after: dt.datetime) -> dt.datetime:
    """The first slot of ``subscription`` strictly after ``after``."""
    zone = ZoneInfo(subscription.timezone)
    day = after.astimezone(zone).date()
    for offset in range(9):
        candidate_day = day + dt.timedelta(days=offset)
        if subscription.frequency == Subscription.WEEKLY and candidate_day.weekday() != subscription.send_weekday:
            continue
        slot = local_slot(candidate_day, subscription.send_hour, zone)
        if slot > after:
            return slot
    raise AssertionError("a slot exists within nine days")  # pragma: no cover


def period_of(subscription: Subscription, slot: dt.datetime) -> str:
    """The local day (2026-03-06) or ISO week (2026-W10) that ``slot`` belongs to."""
    local_day = slot.astimezone(ZoneInfo(subscription.timezone)).date()
    if subscription.frequency == Subscription.WEEKLY:
        year, week, _ = local_day.isocalendar()
        return f"{year}-W{week:02d}"
    return local_day.isoformat()


def period_length(subscription: Subscription) -> dt.timedelta:
    return dt.timedelta(days=7 if subscription.frequency == Subscription.WEEKLY else 1)
