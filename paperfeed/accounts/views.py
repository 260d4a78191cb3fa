"""Account pages: sign up, the library (with tags and exports) and API tokens."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from paperfeed.accounts.imports.formats import LABELS, Unreadable, check_size
from paperfeed.accounts.imports.service import ImportReport, import_library, recent_fetches, waiting_fetches
from paperfeed.accounts.library import entry_json, library_entries, parse_tags, remove_paper, save_paper, user_tags
from paperfeed.accounts.models import ApiToken
from paperfeed.accounts.signup import SignupForm, count_attempt, sign_up
from paperfeed.accounts.tokens import create_token, revoke_token
from paperfeed.lib.clients import client_address
from paperfeed.lib.ratelimit import RateLimited
from paperfeed.papers.bibtex import bibtex_file
from paperfeed.papers.visible import visible_papers


def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            count_attempt(client_address(request))  # before the form is read: its answers are rate-limited
        except RateLimited as error:
            return render(request, "accounts/signup.html", {"form": SignupForm(), "error": str(error)}, status=429)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = sign_up(form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}.")
        return redirect("daily")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.is_bound else 200)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: object = None) -> HttpResponse:
    """The page of a login refused by the throttle (django-axes calls this: AXES_LOCKOUT_CALLABLE)."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    context = {"failures": settings.LOGIN_FAILURES, "minutes": minutes}
    page = render(request, "accounts/locked_out.html", context, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


@login_required
def library(request: HttpRequest) -> HttpResponse:
    return _library_page(request)


def _library_page(
    request: HttpRequest, report: ImportReport | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    tag = request.GET.get("tag") or None
    user = request.user
    context = {
        "entries": library_entries(user, tag),  # type: ignore[arg-type]
        "tags": user_tags(user),  # type: ignore[arg-type]
        "tag": tag,
        "formats": LABELS,
        "max_bytes": settings.LIBRARY_IMPORT_MAX_BYTES,
        "max_entries": settings.LIBRARY_IMPORT_MAX_ENTRIES,
        "waiting": waiting_fetches(user),  # type: ignore[arg-type]
        "fetches": [row for row in recent_fetches(user, 20) if row.state in ("missing", "failed")],  # type: ignore[arg-type]
        "report": report,
        "import_error": error,
    }
    return render(request, "accounts/library.html", context, status=status)


UPLOAD_OVERHEAD = 16 * 1024  # bytes of a multipart form beside the file: boundaries, headers, the format field


@csrf_exempt  # the size is checked before anything reads the body; csrf_protect below then checks the token
def library_import(request: HttpRequest) -> HttpResponse:
    """POST a file from the library page's form: the report, or the reason the file was refused."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if request.method == "POST" and (
        not (length.isascii() and length.isdigit())  # '²'.isdigit(), and Django's own server passes it
        or int(length) > settings.LIBRARY_IMPORT_MAX_BYTES + UPLOAD_OVERHEAD
    ):
        cap = settings.LIBRARY_IMPORT_MAX_BYTES
        return HttpResponse(
            f"The upload is larger than {cap:,} bytes, the most one import may be.",
            status=413,
            content_type="text/plain",
        )
    return _library_import(request)


@csrf_protect
@login_required
@require_POST
def _library_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _library_page(request, error="Choose a file to import.", status=400)
    fmt = request.POST.get("format") or None
    try:
        check_size(upload.name or "upload", upload.size or 0)
        report = import_library(request.user, upload.name or "upload", upload.read(), fmt)  # type: ignore[arg-type]
    except Unreadable as refused:
        return _library_page(request, error=str(refused), status=refused.status)
    except RateLimited as limited:
        return _library_page(request, error=str(limited), status=429)
    return _library_page(request, report=report)


@login_required
@require_POST
def library_save(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    paper = get_object_or_404(visible_papers(), arxiv_id=arxiv_id)
    if request.POST.get("remove"):
        remove_paper(request.user, paper)  # type: ignore[arg-type]
        return redirect("paper", arxiv_id=arxiv_id)
    try:
        tags = parse_tags(request.POST.get("tags", ""))
        save_paper(request.user, paper, tags)  # type: ignore[arg-type]
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("paper", arxiv_id=arxiv_id)
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
        if "revoke" in request.POST:  # a bad number revokes nothing (and creates no token either)
            revoke = request.POST["revoke"]
            if revoke.isascii() and revoke.isdigit():  # "²".isdigit(), but int("²") fails
                revoke_token(request.user, int(revoke))  # type: ignore[arg-type]
            return redirect("tokens")
        _, created = create_token(request.user, request.POST.get("name", "").strip()[:100])  # type: ignore[arg-type]
    rows = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "created": created})
