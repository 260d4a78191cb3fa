"""The "For you" page, its thumbs up/down and reset (no-JS forms: POST, then redirect), and onboarding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from paperfeed.lib.ratelimit import RateLimited
from paperfeed.papers.visible import visible_papers
from paperfeed.recs import onboarding, service

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


@login_required
def for_you(request: HttpRequest) -> HttpResponse:
    window = request.GET.get("window", service.DEFAULT_WINDOW)
    if window not in service.WINDOWS:
        message = f"window must be one of {', '.join(service.WINDOWS)}, not {window[:20]!r}"
        return render(request, "feed/message.html", {"title": "Unknown window", "message": message}, status=400)
    library = service.library_of(_user(request))
    if not library.positives:
        return redirect("for-you-start")
    recs = service.recommend(_user(request), limit=PAGE_SIZE, candidates=service.recent_papers(window))
    context = {"recs": recs, "window": window, "windows": list(service.WINDOWS), "library_size": len(library.positives)}
    return render(request, "recs/for_you.html", context)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Onboarding: mark a few papers of the newest day (or of a search) relevant or not for you."""
    query = request.GET.get("q", "").strip()[: onboarding.QUERY_LENGTH]
    offered = onboarding.offer(_user(request), query)
    return render(request, "recs/start.html", {"offered": offered, "query": query, "goal": onboarding.GOAL})


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and safe else reverse("for-you")


def _thumb(request: HttpRequest, arxiv_id: str, up: bool) -> HttpResponse:
    paper = get_object_or_404(visible_papers(), arxiv_id=arxiv_id)
    try:
        (service.thumbs_up if up else service.turn_down)(_user(request), paper)
    except RateLimited as error:
        return render(request, "feed/message.html", {"title": "Slow down", "message": str(error)}, status=429)
    return HttpResponseRedirect(_back(request))


@login_required
@require_POST
def thumbs_up(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    return _thumb(request, arxiv_id, up=True)


@login_required
@require_POST
def thumbs_down(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    return _thumb(request, arxiv_id, up=False)


@login_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    service.reset(_user(request))
    messages.info(request, "Recommendations reset: they now learn only from what you save or upvote from here on.")
    return HttpResponseRedirect(reverse("for-you"))
