"""/api/daily_papers: Hugging Face's parameters (date, week, month, submitter, sort, p, limit) over the store."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import F, QuerySet
from ninja import Field, Schema

from paperfeed.api.serialize import daily_items
from paperfeed.feed.periods import Period, parse_period, period_containing
from paperfeed.feed.trending import rank_period
from paperfeed.papers.models import Paper
from paperfeed.papers.records import EARLIEST_DAY
from paperfeed.papers.visible import PAPER_DAY, latest_day, on_days, visible_papers
from paperfeed.papers.votes import with_votes

USERNAME = r"^[\w.@+-]{1,150}$"  # Django's usernames


class DailyQuery(Schema):
    date: str | None = Field(None, max_length=10, description="A day, YYYY-MM-DD (default: the latest announced day)")
    week: str | None = Field(None, max_length=8, description="An ISO week, YYYY-Www")
    month: str | None = Field(None, max_length=7, description="A month, YYYY-MM")
    submitter: str | None = Field(
        None, pattern=USERNAME, description="Only papers this account submitted (every day unless a period is given)"
    )
    sort: Literal["publishedAt", "trending"] = "publishedAt"
    p: int = Field(0, ge=0, le=10_000, description="Page number, from 0 (at most 10,000)")
    limit: int = Field(50, ge=1, le=100)


def chosen_period(query: DailyQuery) -> Period | None:
    """The period asked for; without one, the latest day (every day for a submitter); None when nothing is stored."""
    given = {kind: text for kind, text in (("day", query.date), ("week", query.week), ("month", query.month)) if text}
    if len(given) > 1:
        raise ValueError("give at most one of date, week and month")
    if given:
        kind, text = next(iter(given.items()))
        return parse_period(kind, text)
    latest = latest_day()
    if latest is None:
        return None
    return Period("all", EARLIEST_DAY, latest) if query.submitter else period_containing("day", latest)


def candidates(query: DailyQuery) -> QuerySet[Paper]:
    papers = visible_papers()
    if query.submitter:
        papers = papers.filter(submission__user__username=query.submitter, submission__user__is_active=True)
    return papers


def daily_papers(query: DailyQuery) -> list[dict[str, Any]]:
    """One page of the period's papers, newest first or by trending score (ValueError for bad parameters)."""
    period = chosen_period(query)
    if period is None:
        return []
    offset = query.p * query.limit
    if query.sort == "trending":
        entries = rank_period(period.start, period.end, query.limit, offset, among=candidates(query))
        return daily_items([entry.paper for entry in entries], [{"score": entry.score} for entry in entries])
    return daily_items(list(newest_first(candidates(query), period.start, period.end)[offset : offset + query.limit]))


def newest_first(papers: QuerySet[Paper], start: dt.date, end: dt.date) -> QuerySet[Paper]:
    """The papers of the days from ``start`` to ``end``, latest day first, then latest version, then by id."""
    listed = with_votes(papers.filter(on_days(start, end))).annotate(listed_on=PAPER_DAY)
    return listed.order_by("-listed_on", F("published").desc(nulls_last=True), "arxiv_id")
