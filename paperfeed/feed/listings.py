"""What the feed pages list: visible papers with their vote counts, by period, author or category."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from paperfeed.feed.models import Vote
from paperfeed.feed.periods import Period, period_containing
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory
from paperfeed.papers.store import author_key

PAGE_SIZE = 50


def visible_papers() -> QuerySet[Paper]:
    """Every paper a moderator has not hidden: the one starting point of every list."""
    return Paper.objects.filter(is_hidden=False)


def community_votes() -> Subquery:
    counts = Vote.objects.filter(paper=OuterRef("pk")).order_by().values("paper").annotate(n=Count("pk")).values("n")
    return Subquery(counts, output_field=IntegerField())


def with_votes(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Annotate ``community_votes`` and ``total_votes`` (Hugging Face upvotes plus community votes)."""
    return papers.annotate(community_votes=Coalesce(community_votes(), Value(0))).annotate(
        total_votes=Coalesce("upvotes", Value(0)) + Coalesce(community_votes(), Value(0))
    )


def voted_ids(user: AbstractBaseUser | AnonymousUser, papers: Iterable[Paper]) -> set[int]:
    """Which of ``papers`` the user has upvoted (one query; none for anonymous users)."""
    if not user.is_authenticated:
        return set()
    ids = [paper.pk for paper in papers]
    return set(Vote.objects.filter(user_id=user.pk, paper_id__in=ids).values_list("paper_id", flat=True))


def latest_day() -> dt.date | None:
    day: dt.date | None = visible_papers().aggregate(day=Max("announced_on"))["day"]
    return day


@dataclass(frozen=True)
class PeriodListing:
    period: Period | None
    previous: Period | None
    next: Period | None
    papers: list[Paper]
    page: Page[Paper] | None  # weeks and months are paged; a day shows all its papers


def period_listing(kind: str, period: Period | None = None, page_number: int | str | None = 1) -> PeriodListing:
    """A day (all its papers, in announcement order) or a week or month (most upvoted first, paged)."""
    if period is None:
        latest = latest_day()
        if latest is None:
            return PeriodListing(None, None, None, [], None)
        period = period_containing(kind, latest)
    previous, following = neighbours(period)
    papers = with_votes(visible_papers().filter(announced_on__range=(period.start, period.end)))
    if kind == "day":
        return PeriodListing(period, previous, following, list(papers.order_by("arxiv_id")), None)
    page = paged(papers.order_by("-total_votes", "arxiv_id"), page_number)
    return PeriodListing(period, previous, following, list(page), page)


def neighbours(period: Period) -> tuple[Period | None, Period | None]:
    """The periods of the same kind just before and after ``period`` that have papers (one query)."""
    days = visible_papers().exclude(announced_on=None).values("announced_on")
    before = days.filter(announced_on__lt=period.start).order_by("-announced_on")[:1]
    after = days.filter(announced_on__gt=period.end).order_by("announced_on")[:1]
    found = Paper.objects.annotate(before=Subquery(before), after=Subquery(after)).values("before", "after").first()
    found = found or {"before": None, "after": None}
    return (
        period_containing(period.kind, found["before"]) if found["before"] else None,
        period_containing(period.kind, found["after"]) if found["after"] else None,
    )


def author_papers(name: str) -> QuerySet[Paper]:
    """Papers with an author whose folded name is ``name``'s, newest first."""
    ids = PaperAuthor.objects.filter(name_key=author_key(name)).values("paper_id")
    return with_votes(visible_papers().filter(pk__in=ids)).order_by("-published", "arxiv_id")


def category_papers(category: str) -> QuerySet[Paper]:
    ids = PaperCategory.objects.filter(category=category).values("paper_id")
    return with_votes(visible_papers().filter(pk__in=ids)).order_by("-announced_on", "-published", "arxiv_id")


def paged(papers: QuerySet[Paper], page_number: int | str | None) -> Page[Paper]:
    return Paginator(papers, PAGE_SIZE).get_page(page_number)
