"""Claiming one row of a work queue kept in the database: the outbox, submissions to fetch.

A queue row has ``state``, ``attempts``, ``next_try_at`` and ``lease_until``. A row is due when
it waits and its time has come, or when the worker that took it let its lease run out (it died).
A worker takes a due row with a conditional UPDATE that also counts the attempt: only the worker
whose UPDATE changed the row goes on, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Model, Q
from django.utils import timezone

Row = TypeVar("Row", bound=Model)


def due(waiting: str, working: str, now: dt.datetime) -> Q:
    """Rows waiting whose time has come, and rows whose worker's lease ran out."""
    return Q(state=waiting, next_try_at__lte=now) | Q(state=working, lease_until__lt=now)


def claim_one(model: type[Row], waiting: str, working: str, lease: dt.timedelta) -> Row | None:
    """Move one due row of ``model`` to ``working`` under a lease, oldest first; None when none is due."""
    now = timezone.now()
    rows = model._default_manager.filter(due(waiting, working, now))
    for row in rows.order_by("next_try_at", "pk")[:10]:
        attempts: int = row.attempts  # type: ignore[attr-defined]
        still = rows.filter(pk=row.pk, attempts=attempts)
        if still.update(state=working, lease_until=now + lease, attempts=attempts + 1) == 1:
            row.refresh_from_db()
            return row
    return None


def finish(row: Row, state: str, message: str) -> Row:
    """End a claimed row in ``state`` (done, failed...) with ``message`` for the user; its lease let go."""
    now = timezone.now()
    type(row)._default_manager.filter(pk=row.pk).update(state=state, message=message, lease_until=None, finished_at=now)
    row.refresh_from_db()
    return row


def retry_later(row: Row, waiting: str, delay: dt.timedelta, message: str) -> Row:
    """Put a claimed row back to ``waiting``, due again after ``delay``, saying why in ``message``."""
    later = timezone.now() + delay
    type(row)._default_manager.filter(pk=row.pk).update(
        state=waiting, next_try_at=later, lease_until=None, message=message
    )
    row.refresh_from_db()
    return row
