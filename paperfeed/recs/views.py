"""The recommendations page: the user's recommendations with their reasons, thumbs down, reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from paperfeed.papers.visible import visible_papers
from paperfeed.recs import service


@login_required
def recommendations(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    recs = service.recommend(request.user, limit=50)
    library = service.library_of(request.user)
    return render(request, "recs/recommendations.html", {"recs": recs, "library_size": len(library.positives)})


@login_required
@require_POST
def thumbs_down(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    assert isinstance(request.user, User)
    service.turn_down(request.user, get_object_or_404(visible_papers(), arxiv_id=arxiv_id))
    return HttpResponseRedirect(reverse("recommendations"))


@login_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    service.reset(request.user)
    messages.info(request, "Recommendations reset: they now learn only from what you save or upvote from here on.")
    return HttpResponseRedirect(reverse("recommendations"))
