"""/api/daily_papers: Hugging Face's parameters (date, week, month, sort, p, limit) over the store."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema

from paperfeed.api.serialize import daily_paper
from paperfeed.feed.periods import Period, parse_period, period_containing
from paperfeed.feed.trending import rank_period
from paperfeed.papers.visible import latest_day, on_days, visible_papers
from paperfeed.papers.votes import with_votes


class DailyQuery(Schema):
    date: str | None = Field(None, description="A day, YYYY-MM-DD (default: the latest announced day)")
    week: str | None = Field(None, description="An ISO week, YYYY-Www")
    month: str | None = Field(None, description="A month, YYYY-MM")
    sort: Literal["publishedAt", "trending"] = "publishedAt"
    p: int = Field(0, ge=0, le=10_000, description="Page number, from 0 (at most 10,000)")
    limit: int = Field(50, ge=1, le=100)


def chosen_period(query: DailyQuery) -> Period | None:
    given = {kind: text for kind, text in (("day", query.date), ("week", query.week), ("month", query.month)) if text}
    if len(given) > 1:
        raise ValueError("give at most one of date, week and month")
    if given:
        kind, text = next(iter(given.items()))
        return parse_period(kind, text)
    latest = latest_day()
    return period_containing("day", latest) if latest else None


def daily_papers(query: DailyQuery) -> list[dict[str, Any]]:
    """One page of the period's papers, newest first or by trending score (ValueError for bad parameters)."""
    period = chosen_period(query)
    if period is None:
        return []
    offset = query.p * query.limit
    if query.sort == "trending":
        entries = rank_period(period.start, period.end, query.limit, offset)
        return [daily_paper(entry.paper, score=entry.score) for entry in entries]
    papers = with_votes(visible_papers().filter(on_days(period.start, period.end)))
    page = papers.order_by("-published", "arxiv_id")[offset : offset + query.limit]
    return [daily_paper(paper) for paper in page]
