"""A helper for the discussion's tests: one comment posted through the real page."""

from __future__ import annotations

from django.contrib.auth.models import User

from paperfeed.discussion.models import Comment
from paperfeed.papers.models import Paper
from tests.personas import signed_in


def comment_by(user: User, paper: Paper, body: str = "A comment", reply_to: int | None = None) -> Comment:
    """``user`` posts ``body`` under ``paper`` (a reply to ``reply_to`` if given) on the site; the new comment."""
    data = {"body": body} if reply_to is None else {"body": body, "reply_to": str(reply_to)}
    response = signed_in(user).post(f"/comment/{paper.arxiv_id}/", data)
    assert response.status_code == 302, response.content.decode()
    return Comment.objects.latest("pk")
