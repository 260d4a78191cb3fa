"""What the feed pages list: visible papers with their vote counts, by period, author or category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Subquery

from paperfeed.feed.periods import Period, period_containing
from paperfeed.lib.paging import page_of
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory
from paperfeed.papers.store import author_key
from paperfeed.papers.visible import PAPER_DAY, latest_day, on_days, visible_papers
from paperfeed.papers.votes import with_votes

PAGE_SIZE = 50
CHART_DAYS = 30  # the papers-per-day chart shows this many of the latest days with papers
NEWEST_FIRST = ("-announced_on", "-published", "-arxiv_id")
# By a paper's day (papers.visible's rule), newest first, papers without a day last on every database.
BY_DAY = (PAPER_DAY.desc(nulls_last=True), F("published").desc(nulls_last=True), "-arxiv_id")


@dataclass(frozen=True)
class PeriodListing:
    period: Period | None
    previous: Period | None
    next: Period | None
    papers: list[Paper]
    page: Page[Paper] | None  # None: a whole day (feeds ask for one)
    unvoted: bool = False  # a week or month where no paper has an upvote: newest first


def period_listing(kind: str, period: Period | None = None, page_number: int | str | None = None) -> PeriodListing:
    """A day (in announcement order) or a week or month (most upvoted first, newest first on ties).

    Pages of PAGE_SIZE; a day asked for without ``page_number`` comes whole (the Atom feed).
    """
    if period is None:
        latest = latest_day()
        if latest is None:
            return PeriodListing(None, None, None, [], None)
        period = period_containing(kind, latest)
    previous, following = neighbours(period)
    papers = with_votes(visible_papers().filter(on_days(period.start, period.end)))
    if kind == "day" and page_number is None:
        return PeriodListing(period, previous, following, list(papers.order_by("arxiv_id")), None)
    if kind == "day":
        page = paged(papers.order_by("arxiv_id"), page_number)
        return PeriodListing(period, previous, following, list(page), page)
    page = paged(papers.order_by("-total_votes", *NEWEST_FIRST), page_number)
    return PeriodListing(period, previous, following, list(page), page, _unvoted(page, papers))


def _unvoted(page: Page[Paper], papers: QuerySet[Paper]) -> bool:
    """Whether no paper of ``papers`` has a vote (the page, sorted by votes, mostly tells alone)."""
    first = next(iter(page.object_list), None)
    if first is None or first.total_votes:
        return False
    return page.number == 1 or not papers.filter(Q(total_votes__gt=0)).exists()  # total_votes: with_votes


def neighbours(period: Period) -> tuple[Period | None, Period | None]:
    """The periods of the same kind just before and after ``period`` that have papers (one query)."""
    papers = visible_papers()
    announced = papers.exclude(announced_on=None).values("announced_on")
    unannounced = papers.filter(announced_on=None).exclude(published=None).annotate(its_day=PAPER_DAY).values("its_day")
    only_featured = papers.filter(announced_on=None, published=None).exclude(hf_submitted_at=None)
    featured = only_featured.annotate(its_day=PAPER_DAY).values("its_day")
    sides = {
        "before_announced": announced.filter(announced_on__lt=period.start).order_by("-announced_on")[:1],
        "after_announced": announced.filter(announced_on__gt=period.end).order_by("announced_on")[:1],
        "before_published": unannounced.filter(published__date__lt=period.start).order_by("-published")[:1],
        "after_published": unannounced.filter(published__date__gt=period.end).order_by("published")[:1],
        "before_featured": featured.filter(hf_submitted_at__date__lt=period.start).order_by("-hf_submitted_at")[:1],
        "after_featured": featured.filter(hf_submitted_at__date__gt=period.end).order_by("hf_submitted_at")[:1],
    }
    found = Paper.objects.annotate(**{k: Subquery(q) for k, q in sides.items()}).values(*sides).first() or {}
    before = max((found[k] for k in sides if k.startswith("before") and found.get(k)), default=None)
    after = min((found[k] for k in sides if k.startswith("after") and found.get(k)), default=None)
    return (
        period_containing(period.kind, before) if before else None,
        period_containing(period.kind, after) if after else None,
    )


def by_author(name: str) -> QuerySet[Paper]:
    """Visible papers with an author whose folded name is ``name``'s."""
    return visible_papers().filter(pk__in=PaperAuthor.objects.filter(name_key=author_key(name)).values("paper_id"))


def in_category(category: str) -> QuerySet[Paper]:
    return visible_papers().filter(pk__in=PaperCategory.objects.filter(category=category).values("paper_id"))


def author_papers(name: str) -> QuerySet[Paper]:
    """Papers with an author whose folded name is ``name``'s, newest day first."""
    return with_votes(by_author(name)).order_by(*BY_DAY)


def category_papers(category: str) -> QuerySet[Paper]:
    """Papers of ``category``, newest day first."""
    return with_votes(in_category(category)).order_by(*BY_DAY)


def papers_per_day(papers: QuerySet[Paper], days: int = CHART_DAYS) -> list[tuple[dt.date, int]]:
    """How many of ``papers`` each of the latest ``days`` days with papers has, oldest first (one query)."""
    rows = papers.order_by().annotate(its_day=PAPER_DAY).values("its_day").annotate(n=Count("pk"))
    latest = rows.exclude(its_day=None).order_by("-its_day").values_list("its_day", "n")[:days]
    return sorted(latest)


def paged(papers: QuerySet[Paper], page_number: int | str | None) -> Page[Paper]:
    """Page ``page_number`` of ``papers``; PageNotFound (a 404 that says how many pages there are) if none."""
    return page_of(Paginator(papers, PAGE_SIZE), page_number)
