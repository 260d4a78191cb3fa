"""The site's pages of papers: day, week and month listings, trending, the about page, and one
paper, an author's papers and a category's papers. (The search page lives in search/.)"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.discussion.counts import count_comments
from paperfeed.discussion.thread import paper_thread
from paperfeed.feed import trending as trending_service
from paperfeed.feed.details import paper_details
from paperfeed.feed.listings import (
    author_papers,
    by_author,
    category_papers,
    in_category,
    paged,
    papers_per_day,
    period_listing,
)
from paperfeed.feed.periods import parse_period
from paperfeed.papers.caching import cached_for_anonymous
from paperfeed.papers.fulltext.fetching import request_full_text
from paperfeed.papers.models import Paper
from paperfeed.papers.votes import voted_ids


def _listing_page(request: HttpRequest, kind: str, slug: str | None) -> HttpResponse:
    try:
        period = parse_period(kind, slug) if slug else None
    except ValueError as error:
        raise Http404(str(error)) from None
    listing = period_listing(kind, period, request.GET.get("page") or 1)
    if slug is not None and not listing.papers:
        raise Http404(f"no papers announced in {slug}")
    count_comments(listing.papers)
    context = {"listing": listing, "kind": kind, "voted": voted_ids(request.user, listing.papers)}
    return render(request, "feed/listing.html", context)


@cached_for_anonymous
def daily(request: HttpRequest, day: str | None = None) -> HttpResponse:
    return _listing_page(request, "day", day)


@cached_for_anonymous
def week(request: HttpRequest, week: str | None = None) -> HttpResponse:
    return _listing_page(request, "week", week)


@cached_for_anonymous
def month(request: HttpRequest, month: str | None = None) -> HttpResponse:
    return _listing_page(request, "month", month)


@cached_for_anonymous
def trending(request: HttpRequest) -> HttpResponse:
    try:
        window = trending_service.parse_window(request.GET.get("window", "week"))
    except ValueError as error:
        return render(request, "feed/message.html", {"title": "Trending", "message": str(error)}, status=400)
    ranked = trending_service.rank_trending(window)
    papers = [entry.paper for entry in ranked.entries]
    count_comments(papers)
    context = {"trending": ranked, "windows": list(trending_service.WINDOWS), "voted": voted_ids(request.user, papers)}
    return render(request, "feed/trending.html", context)


@cached_for_anonymous
def about(request: HttpRequest) -> HttpResponse:
    context = {
        "formula": trending_service.FORMULA,
        "star_weight": trending_service.STAR_WEIGHT,
        "age_offset": trending_service.AGE_OFFSET,
        "gravity": trending_service.GRAVITY,
    }
    return render(request, "feed/about.html", context)


@cached_for_anonymous
def paper(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    details = paper_details(arxiv_id, request.user)
    if details is None:
        raise Http404(f"no paper {arxiv_id}")
    request_full_text(details.paper, "opened", bounded=True)  # the worker fetches it; no fetch here
    thread = paper_thread(details.paper, request.user)
    return render(request, "feed/paper.html", {"details": details, "thread": thread})


def _group_page(
    request: HttpRequest, template: str, context: dict[str, object], members: QuerySet[Paper], ordered: QuerySet[Paper]
) -> HttpResponse:
    """An author's or a category's page: ``ordered`` (its papers with votes), paged, and ``members`` per day."""
    page = paged(ordered, request.GET.get("page"))
    if not page.object_list:
        raise Http404(f"no papers for {', '.join(map(str, context.values()))}")
    count_comments(page.object_list)
    context |= {"page": page, "per_day": papers_per_day(members), "voted": voted_ids(request.user, page.object_list)}
    return render(request, template, context)


@cached_for_anonymous
def author(request: HttpRequest, name: str) -> HttpResponse:
    return _group_page(request, "feed/author.html", {"name": name}, by_author(name), author_papers(name))


@cached_for_anonymous
def category(request: HttpRequest, category: str) -> HttpResponse:
    context: dict[str, object] = {"category": category}
    return _group_page(request, "feed/category.html", context, in_category(category), category_papers(category))
