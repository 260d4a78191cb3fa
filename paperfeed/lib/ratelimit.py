"""Rate limits kept in the database, so they hold across processes and machines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from paperfeed.lib.models import RateEvent

# action -> (setting holding the allowed count, window)
LIMITS: dict[str, tuple[str, dt.timedelta]] = {
    "vote": ("VOTES_PER_MINUTE", dt.timedelta(minutes=1)),
    "submit": ("SUBMISSIONS_PER_HOUR", dt.timedelta(hours=1)),
    "signup": ("SIGNUPS_PER_HOUR", dt.timedelta(hours=1)),
    "mail": ("MAIL_PER_CLIENT", dt.timedelta(hours=1)),
    "comment": ("COMMENTS_PER_HOUR", dt.timedelta(hours=1)),  # posts and edits (discussion/services.py)
    "library-import": ("LIBRARY_IMPORTS_PER_HOUR", dt.timedelta(hours=1)),  # accounts/imports/service.py
}


class RateLimited(Exception):
    """Too many of one action by one key; the message says how many are allowed."""


def take(action: str, key: str) -> None:
    """Record one ``action`` by ``key``, or raise RateLimited when its window is full."""
    setting, window = LIMITS[action]
    allowed: int = getattr(settings, setting)
    with transaction.atomic():  # count and record as one step, or concurrent requests all see room
        lock_key(action, key)
        now = timezone.now()
        recent = RateEvent.objects.filter(action=action, key=key, at__gt=now - window)
        if recent.count() >= allowed:
            raise RateLimited(f"too many {action}s: at most {allowed} per {_describe(window)}; try again later")
        RateEvent.objects.create(action=action, key=key, at=now)
    if now.second == 0:  # now and then, forget events older than every window
        RateEvent.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()


def lock_key(action: str, key: str) -> None:
    """Make takes of one (action, key) wait for each other until the transaction ends.

    SQLite's IMMEDIATE transactions (paperfeed/settings.py) already take the write lock at BEGIN;
    PostgreSQL needs a transaction-scoped advisory lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ratelimit:{action}:{key}"])


def _describe(window: dt.timedelta) -> str:
    return "minute" if window <= dt.timedelta(minutes=1) else "hour"
