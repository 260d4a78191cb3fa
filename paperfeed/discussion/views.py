"""The discussion's pages. Every change is a POST with CSRF by a signed-in account; each
answers with a redirect back to the comment on the paper's page, or with the form again, its
text kept, and the reason it was refused (400, 403, 404, 429)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from paperfeed.discussion import services
from paperfeed.discussion.models import Comment
from paperfeed.discussion.text import MAX_CHARS, BadComment
from paperfeed.lib.ratelimit import RateLimited

STATUS: dict[type[Exception], int] = {
    BadComment: 400,
    services.NotAllowed: 403,
    services.NoSuchThing: 404,
    RateLimited: 429,
}


def _refused(request: HttpRequest, error: Exception, context: dict[str, Any]) -> HttpResponse:
    status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
    context = {"error": str(error), "max_chars": MAX_CHARS, **context}
    return render(request, "discussion/compose.html", context, status=status)


def _at(comment: Comment) -> HttpResponse:
    return redirect(f"/paper/{comment.paper.arxiv_id}/#comment-{comment.pk}")


def _reply_to(value: str) -> int | None:
    if not value.strip():
        return None
    if not re.fullmatch(r"[0-9]{1,19}", value.strip()):
        raise services.CommentRefused(f"reply_to: {value[:20]!r} is not a comment number")
    return int(value)


@login_required
@require_POST
def post(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    body, reply_to = request.POST.get("body", ""), request.POST.get("reply_to", "")
    context: dict[str, Any] = {"body": body, "reply_to": reply_to, "action": request.path, "arxiv_id": arxiv_id}
    try:
        paper = services.visible_paper(arxiv_id)
        context["paper"] = paper
        comment = services.post_comment(request.user, paper, body, _reply_to(reply_to))  # type: ignore[arg-type]
    except (*STATUS,) as error:
        return _refused(request, error, context)
    return _at(comment)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the comment in a form of its own (the paper page has one inline too); POST: save it."""
    context: dict[str, Any] = {"action": request.path, "editing": True}
    try:
        comment = services.own_comment(request.user, pk)  # type: ignore[arg-type]
        context |= {"paper": comment.paper, "body": comment.body}
        if request.method != "POST":
            return render(request, "discussion/compose.html", {**context, "max_chars": MAX_CHARS})
        context["body"] = request.POST.get("body", "")
        comment = services.edit_comment(request.user, pk, context["body"])  # type: ignore[arg-type]
    except (*STATUS,) as error:
        return _refused(request, error, context)
    return _at(comment)


def _change(change: Callable[[Any, int], Comment]) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            comment = change(request.user, pk)
        except (*STATUS,) as error:
            return _refused(request, error, {"message_only": True})
        return _at(comment)

    return view


delete = _change(services.delete_comment)
hide = _change(lambda user, pk: services.set_hidden(user, pk, hidden=True))
show = _change(lambda user, pk: services.set_hidden(user, pk, hidden=False))
