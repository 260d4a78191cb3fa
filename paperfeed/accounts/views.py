"""Account pages: sign up, the library (with tags and exports) and API tokens."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from paperfeed.accounts.library import entry_json, library_entries, parse_tags, remove_paper, save_paper, user_tags
from paperfeed.accounts.models import ApiToken
from paperfeed.accounts.ratelimit import RateLimited
from paperfeed.accounts.signup import SignupForm, sign_up
from paperfeed.accounts.tokens import create_token, revoke_token
from paperfeed.feed.bibtex import bibtex_file
from paperfeed.feed.listings import visible_papers


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up(form, request.META.get("REMOTE_ADDR", ""))
        except RateLimited as error:
            return render(request, "accounts/signup.html", {"form": form, "error": str(error)}, status=429)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}.")
        return redirect("daily")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def library(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag") or None
    context = {"entries": library_entries(request.user, tag), "tags": user_tags(request.user), "tag": tag}  # type: ignore[arg-type]
    return render(request, "accounts/library.html", context)


@login_required
@require_POST
def library_save(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    paper = get_object_or_404(visible_papers(), arxiv_id=arxiv_id)
    if request.POST.get("remove"):
        remove_paper(request.user, paper)  # type: ignore[arg-type]
        return redirect("paper", arxiv_id=arxiv_id)
    try:
        tags = parse_tags(request.POST.get("tags", ""))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("paper", arxiv_id=arxiv_id)
    save_paper(request.user, paper, tags)  # type: ignore[arg-type]
    messages.success(request, f"Saved to your library{' as ' + ', '.join(tags) if tags else ''}.")
    return redirect("paper", arxiv_id=arxiv_id)


@login_required
def library_export(request: HttpRequest, fmt: str) -> HttpResponse:
    entries = list(library_entries(request.user, request.GET.get("tag") or None))  # type: ignore[arg-type]
    if fmt == "bib":
        response = HttpResponse(bibtex_file(entry.paper for entry in entries), content_type="application/x-bibtex")
    else:
        body = json.dumps([entry_json(entry) for entry in entries], indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="paperfeed-library.{fmt}"'
    return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    created = None
    if request.method == "POST":
        if request.POST.get("revoke", "").isdigit():
            revoke_token(request.user, int(request.POST["revoke"]))  # type: ignore[arg-type]
            return redirect("tokens")
        _, created = create_token(request.user, request.POST.get("name", "").strip()[:100])  # type: ignore[arg-type]
    rows = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "created": created})
