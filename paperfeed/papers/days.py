"""Announcement days: which day to show, and its neighbours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from paperfeed.papers.models import Paper


@dataclass(frozen=True)
class DayListing:
    day: dt.date | None
    previous_day: dt.date | None
    next_day: dt.date | None
    papers: list[Paper]


def latest_day() -> dt.date | None:
    day: dt.date | None = Paper.objects.aggregate(day=Max("announced_on"))["day"]
    return day


def papers_on(day: dt.date) -> QuerySet[Paper]:
    return Paper.objects.filter(announced_on=day).order_by("arxiv_id")


def day_listing(day: dt.date | None = None) -> DayListing:
    """The papers announced on ``day`` (default: the latest announced day) with prev/next days."""
    day = day or latest_day()
    if day is None:
        return DayListing(None, None, None, [])
    previous_day = (
        Paper.objects.filter(announced_on__lt=day)
        .order_by("-announced_on")
        .values_list("announced_on", flat=True)
        .first()
    )
    next_day = (
        Paper.objects.filter(announced_on__gt=day)
        .order_by("announced_on")
        .values_list("announced_on", flat=True)
        .first()
    )
    return DayListing(day, previous_day, next_day, list(papers_on(day)))
