"""Pages that change state, all POST with CSRF: upvoting and submitting papers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from paperfeed.feed.submissions import SubmitRefused, recent_requests, submit_paper
from paperfeed.lib.paging import page_of
from paperfeed.lib.ratelimit import RateLimited
from paperfeed.papers.models import Submission, SubmissionRequest
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import vote_as


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and safe else fallback


@login_required
@require_POST
def vote(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    paper = get_object_or_404(visible_papers(), arxiv_id=arxiv_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        voted, count = vote_as(request.user, paper)  # type: ignore[arg-type]
    except RateLimited as error:
        if wants_json:
            return JsonResponse({"detail": str(error)}, status=429)
        return render(request, "feed/message.html", {"title": "Slow down", "message": str(error)}, status=429)
    if wants_json:
        return JsonResponse({"id": paper.arxiv_id, "voted": voted, "upvotes": count})
    return redirect(_back(request, f"/paper/{paper.arxiv_id}/"))


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    requests = recent_requests(request.user)  # type: ignore[arg-type]
    if request.method != "POST":
        return render(request, "feed/submit.html", {"text": request.GET.get("id", ""), "requests": requests})
    text = request.POST.get("id", "")
    try:
        submission = submit_paper(request.user, text)  # type: ignore[arg-type]
    except (SubmitRefused, RateLimited) as error:
        status = 429 if isinstance(error, RateLimited) else 400
        context = {"text": text, "error": str(error), "requests": requests}
        return render(request, "feed/submit.html", context, status=status)
    if isinstance(submission, SubmissionRequest):
        messages.info(request, f"Fetching {submission.arxiv_id} from arXiv; it appears here when arXiv answers.")
        return redirect("submit")
    messages.success(request, f"Thanks: {submission.paper.arxiv_id} is submitted, with your upvote.")
    return redirect("paper", arxiv_id=submission.paper.arxiv_id)


def submitted(request: HttpRequest) -> HttpResponse:
    submissions = Submission.objects.filter(paper__in=visible_papers(), user__is_active=True).select_related(
        "paper", "user"
    )
    page = page_of(Paginator(submissions.order_by("-submitted_at", "-pk"), 50), request.GET.get("page"))
    return render(request, "feed/submitted.html", {"page": page})
