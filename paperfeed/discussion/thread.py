"""A paper's discussion as its page shows it: top comments oldest first, each with its replies.

Readers see shown comments (counts.py). A removed comment (deleted, hidden by a moderator or by
a banned account) that has shown replies stays as a placeholder, so the thread still reads;
without replies it is left out. Moderators also see what they hid, marked, to show it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from paperfeed.discussion.models import Comment
from paperfeed.discussion.services import is_moderator
from paperfeed.papers.models import Paper

MAX_SHOWN = 500  # comments a page holds, oldest first; the rest are counted, not shown


@dataclass
class Entry:
    comment: Comment
    placeholder: str = ""  # "[deleted]" and the like instead of the comment
    mine: bool = False
    replies: list[Entry] = field(default_factory=list)


@dataclass
class Thread:
    entries: list[Entry]
    shown: int  # comments shown with their text
    more: bool  # more than MAX_SHOWN comments: the newest are not on the page
    can_post: bool
    can_moderate: bool


def paper_thread(paper: Paper, viewer: AbstractBaseUser | AnonymousUser) -> Thread:
    moderator = viewer.is_authenticated and is_moderator(viewer)
    rows = list(
        Comment.objects.filter(paper=paper).select_related("author").order_by("created_at", "pk")[: MAX_SHOWN + 1]
    )
    tops: dict[int, Entry] = {}
    for comment in rows[:MAX_SHOWN]:
        entry = Entry(comment, _placeholder(comment, moderator), mine=comment.author_id == viewer.pk)
        if comment.parent_id is None:
            tops[comment.pk] = entry
        elif comment.parent_id in tops and not entry.placeholder:
            tops[comment.parent_id].replies.append(entry)
    entries = [entry for entry in tops.values() if not entry.placeholder or entry.replies]
    shown = sum(1 for entry in entries if not entry.placeholder) + sum(len(entry.replies) for entry in entries)
    return Thread(entries, shown, len(rows) > MAX_SHOWN, viewer.is_authenticated, bool(moderator))


def _placeholder(comment: Comment, moderator: bool) -> str:
    """What stands in for a comment a reader does not see ("" when it is seen)."""
    if comment.deleted:
        return "[deleted]"
    if not comment.author.is_active:
        return "[removed]"
    if comment.hidden_by_moderator and not moderator:
        return "[hidden by a moderator]"
    return ""
