from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.papers.days import day_listing


def daily(request: HttpRequest, day: str | None = None) -> HttpResponse:
    try:
        wanted = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise Http404(f"not a date: {day}") from None
    listing = day_listing(wanted)
    if wanted is not None and not listing.papers:
        raise Http404(f"no papers announced on {wanted}")
    return render(request, "papers/daily.html", {"listing": listing})
