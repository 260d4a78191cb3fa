"""The one place comments are counted: those every reader sees (not deleted, not hidden by a
moderator, not by a banned account). A paper's total adds Hugging Face's comment count, where
known, as its upvotes add Hugging Face's (papers/votes.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from paperfeed.discussion.models import Comment
from paperfeed.papers.models import Paper


def shown_comments() -> QuerySet[Comment]:
    """Comments every reader sees."""
    return Comment.objects.filter(deleted=False, hidden_by_moderator=False, author__is_active=True)


def community_counts(paper_ids: Iterable[int]) -> dict[int, int]:
    """Shown comments per paper id, for the papers that have any (one query)."""
    rows = shown_comments().filter(paper_id__in=list(paper_ids)).values("paper_id").annotate(n=Count("pk"))
    return dict(rows.values_list("paper_id", "n"))


def count_comments(papers: Iterable[Paper]) -> None:
    """Set ``community_comments`` (shown here) and ``total_comments`` (with Hugging Face's) on each paper.

    One query for all of them: list pages and the API's lists call it once per page."""
    papers = list(papers)
    counts = community_counts(paper.pk for paper in papers)
    for paper in papers:
        here = counts.get(paper.pk, 0)
        paper.community_comments = here  # type: ignore[attr-defined]
        paper.total_comments = (paper.num_comments or 0) + here  # type: ignore[attr-defined]


def comments_total(paper: Paper) -> int:
    """Hugging Face's comments on ``paper`` plus those here (counted now unless count_comments did)."""
    if not hasattr(paper, "total_comments"):
        count_comments([paper])
    return int(paper.total_comments)  # type: ignore[attr-defined]
