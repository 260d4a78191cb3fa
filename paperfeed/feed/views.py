"""Feed pages: day, week and month listings, trending, the about page and search."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.feed import trending as trending_service
from paperfeed.feed.caching import cached_for_anonymous
from paperfeed.feed.listings import period_listing, voted_ids
from paperfeed.feed.periods import parse_period
from paperfeed.feed.searching import SearchForm, search_page


def _listing_page(request: HttpRequest, kind: str, slug: str | None) -> HttpResponse:
    try:
        period = parse_period(kind, slug) if slug else None
    except ValueError as error:
        raise Http404(str(error)) from None
    listing = period_listing(kind, period, request.GET.get("page"))
    if slug is not None and not listing.papers:
        raise Http404(f"no papers announced in {slug}")
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


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = search_page(form, request.GET.get("page"))
    papers = result.papers if result else []
    context = {"form": form, "result": result, "voted": voted_ids(request.user, papers)}
    return render(request, "feed/search.html", context, status=400 if result and result.error else 200)
