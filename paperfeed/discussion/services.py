"""Writing comments: post, reply, edit, delete (their authors) and hide (moderators).

The web pages and the JSON API both call these. Posts and edits are rate-limited per account
(PAPERFEED_COMMENTS_PER_HOUR); bodies are checked by text.clean_body. A reply to a reply joins
the thread of the top comment, so threads are one level deep.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from paperfeed.discussion.models import Comment
from paperfeed.discussion.text import BadComment, clean_body, comment_html
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.lib.ratelimit import take
from paperfeed.papers.caching import forget_pages
from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers

BIGGEST_ID = 2**63 - 1  # ids past the database's 64-bit integers are no comment's (not an overflow)


class CommentRefused(BadComment):
    """A comment that cannot be posted or changed as asked (400); the message says why."""


class NoSuchThing(LookupError):
    """No visible paper, or no comment, of that id (404)."""


class NotAllowed(PermissionError):
    """Someone else's comment, or a moderator's action by a non-moderator (403)."""


def visible_paper(arxiv_id: str) -> Paper:
    """The paper readers may see and comment on, by id (with or without version)."""
    try:
        base = parse_arxiv_id(arxiv_id).base
    except InvalidArxivId:
        raise NoSuchThing(f"no paper {arxiv_id}") from None
    paper = visible_papers().filter(arxiv_id=base).first()
    if paper is None:
        raise NoSuchThing(f"no paper {base}")
    return paper


def is_moderator(user: AbstractBaseUser) -> bool:
    return bool(user.is_active and getattr(user, "is_staff", False))


def post_comment(author: AbstractBaseUser, paper: Paper, body: str, reply_to: int | None = None) -> Comment:
    """A new comment on ``paper``, or a reply under the thread of comment ``reply_to``."""
    text = clean_body(body)
    parent = _thread_of(paper, reply_to) if reply_to is not None else None
    take("comment", f"user:{author.pk}")
    comment = Comment.objects.create(
        paper=paper, author_id=author.pk, parent=parent, body=text, html=comment_html(text), created_at=timezone.now()
    )
    _changed(paper)
    return comment


def _thread_of(paper: Paper, reply_to: int) -> Comment:
    """The top comment a reply to ``reply_to`` goes under; refused unless that comment is shown under ``paper``."""
    in_range = 0 < reply_to <= BIGGEST_ID
    target = Comment.objects.select_related("parent", "author").filter(pk=reply_to).first() if in_range else None
    if target is None or target.paper_id != paper.pk:
        raise CommentRefused(f"there is no comment {reply_to} under {paper.arxiv_id} to reply to")
    if target.deleted or target.hidden_by_moderator or not target.author.is_active:
        raise CommentRefused(f"comment {reply_to} was removed; it takes no replies")
    return target.parent or target


def own_comment(user: AbstractBaseUser, comment_id: int) -> Comment:
    """The user's own live comment of that id, on a visible paper."""
    comment = _comment(comment_id)
    if comment.author_id != user.pk:
        raise NotAllowed("only its author can change a comment")
    if comment.deleted:
        raise CommentRefused("that comment was deleted")
    if comment.hidden_by_moderator:
        raise CommentRefused("a moderator hid that comment; it cannot be edited")
    return comment


def edit_comment(user: AbstractBaseUser, comment_id: int, body: str) -> Comment:
    comment = own_comment(user, comment_id)
    text = clean_body(body)
    take("comment", f"user:{user.pk}")
    comment.body, comment.html, comment.edited_at = text, comment_html(text), timezone.now()
    comment.save(update_fields=["body", "html", "edited_at"])
    _changed(comment.paper)
    return comment


def delete_comment(user: AbstractBaseUser, comment_id: int) -> Comment:
    """Empty the user's comment and mark it deleted; its replies stay, under "[deleted]"."""
    comment = _comment(comment_id)
    if comment.author_id != user.pk:
        raise NotAllowed("only its author can delete a comment")
    Comment.objects.filter(pk=comment.pk).update(deleted=True, body="", html="")
    _changed(comment.paper)
    return comment


def set_hidden(moderator: AbstractBaseUser, comment_id: int, hidden: bool) -> Comment:
    """A moderator hides a comment from readers, or shows it again."""
    if not is_moderator(moderator):
        raise NotAllowed("only moderators can hide or show comments")
    comment = _comment(comment_id)
    Comment.objects.filter(pk=comment.pk).update(hidden_by_moderator=hidden)
    _changed(comment.paper)
    return comment


def _comment(comment_id: int) -> Comment:
    """A comment on a visible paper (a hidden paper's comments cannot be changed either)."""
    if not 0 < comment_id <= BIGGEST_ID:
        raise NoSuchThing(f"no comment {comment_id}")
    comment = Comment.objects.select_related("paper").filter(pk=comment_id, paper__in=visible_papers()).first()
    if comment is None:
        raise NoSuchThing(f"no comment {comment_id}")
    return comment


def _changed(paper: Paper) -> None:
    """Anonymous readers' cached copy of the paper's page goes, so the change shows at once."""
    forget_pages(f"/paper/{paper.arxiv_id}/")
