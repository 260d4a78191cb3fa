"""/api/comments: a paper's discussion as JSON, and posting, editing and deleting with a token.

Mounted by paperfeed/api/api.py with the token auth; reading needs none. The same services as
the pages, so the same rules, limits and errors (400, 403, 404, 429 with a ``detail``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from paperfeed.discussion import services
from paperfeed.discussion.counts import shown_comments
from paperfeed.discussion.models import Comment
from paperfeed.discussion.text import BadComment

router = Router(tags=["discussion"])
ERRORS: dict[type[Exception], int] = {BadComment: 400, services.NotAllowed: 403, services.NoSuchThing: 404}


class CommentOut(Schema):
    id: int
    paper: str
    parent: int | None  # the top comment a reply is under; it may be gone (deleted or hidden)
    author: str
    body: str
    html: str
    createdAt: dt.datetime  # noqa: N815 (the API's camelCase, as Hugging Face's)
    editedAt: dt.datetime | None  # noqa: N815


class CommentIn(Schema):
    paper: str
    body: str
    parent: int | None = None


class EditIn(Schema):
    body: str


def _json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "paper": comment.paper.arxiv_id,
        "parent": comment.parent_id,
        "author": comment.author.get_username(),
        "body": comment.body,
        "html": comment.html,
        "createdAt": comment.created_at,
        "editedAt": comment.edited_at,
    }


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "needs Authorization: Bearer TOKEN")
    return user


def _refused(error: Exception) -> HttpError:
    return HttpError(next(code for kind, code in ERRORS.items() if isinstance(error, kind)), str(error))


@router.get("", response=list[CommentOut], auth=None)
def list_comments(
    request: HttpRequest,
    paper: str,
    limit: int = Query(100, ge=1, le=500),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=100_000),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    """The comments every reader sees under ``paper``, oldest first; a reply names its top comment."""
    try:
        found = services.visible_paper(paper)
    except services.NoSuchThing as error:
        raise _refused(error) from None
    comments = shown_comments().filter(paper=found).select_related("author", "paper").order_by("created_at", "pk")
    return [_json(comment) for comment in comments[offset : offset + limit]]


@router.post("", response={201: CommentOut})
def post_comment(request: HttpRequest, body: CommentIn) -> Status[Any]:
    """Comment on a paper, or reply (``parent``: a comment under it; a reply to a reply joins its thread)."""
    try:
        paper = services.visible_paper(body.paper)
        comment = services.post_comment(_user(request), paper, body.body, body.parent)
    except (*ERRORS,) as error:
        raise _refused(error) from None
    return Status(201, _json(comment))


@router.patch("/{int:comment_id}", response=CommentOut)
def edit_comment(request: HttpRequest, comment_id: int, body: EditIn) -> dict[str, Any]:
    """Change the text of your own comment."""
    try:
        return _json(services.edit_comment(_user(request), comment_id, body.body))
    except (*ERRORS,) as error:
        raise _refused(error) from None


@router.delete("/{int:comment_id}", response={204: None})
def delete_comment(request: HttpRequest, comment_id: int) -> Status[Any]:
    """Delete your own comment; replies under it stay."""
    try:
        services.delete_comment(_user(request), comment_id)
    except (*ERRORS,) as error:
        raise _refused(error) from None
    return Status(204, None)
