"""Upvotes: one per user per paper (a unique constraint), toggled, safe under concurrent clicks.

The one place votes are counted. A paper's count is its Hugging Face upvotes plus this site's
votes by accounts in good standing: a banned account's votes stop counting (and come back if
the ban is lifted), on every page, feed, API answer and trending score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from paperfeed.lib.ratelimit import take
from paperfeed.papers.models import Paper, Vote


def counted_votes() -> QuerySet[Vote]:
    """The votes that count: those of active accounts."""
    return Vote.objects.filter(user__is_active=True)


def _community_votes() -> Subquery:
    counts = counted_votes().filter(paper=OuterRef("pk")).order_by().values("paper").annotate(n=Count("pk")).values("n")
    return Subquery(counts, output_field=IntegerField())


def with_votes(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Annotate ``community_votes`` and ``total_votes`` (Hugging Face upvotes plus community votes)."""
    return papers.annotate(community_votes=Coalesce(_community_votes(), Value(0))).annotate(
        total_votes=Coalesce("upvotes", Value(0)) + Coalesce(_community_votes(), Value(0))
    )


def vote_counts(paper_ids: QuerySet[Paper, Any] | Iterable[int]) -> defaultdict[int, int]:
    """Community votes per paper id (0 for papers nobody upvoted), in one query."""
    counts: defaultdict[int, int] = defaultdict(int)
    rows = counted_votes().filter(paper_id__in=paper_ids).values("paper_id").annotate(n=Count("pk"))
    counts.update(dict(rows.values_list("paper_id", "n")))
    return counts


def vote_count(paper: Paper) -> int:
    """Hugging Face upvotes plus community votes."""
    return (paper.upvotes or 0) + vote_counts([paper.pk])[paper.pk]


def voted_ids(user: AbstractBaseUser | AnonymousUser, papers: Iterable[Paper]) -> set[int]:
    """Which of ``papers`` the user has upvoted (one query; none for anonymous users)."""
    if not user.is_authenticated:
        return set()
    ids = [paper.pk for paper in papers]
    return set(Vote.objects.filter(user_id=user.pk, paper_id__in=ids).values_list("paper_id", flat=True))


def set_vote(user: AbstractBaseUser, paper: Paper, on: bool) -> bool:
    """Make the user's upvote on ``paper`` exist (``on``) or not; returns whether it exists now."""
    if not on:
        Vote.objects.filter(user_id=user.pk, paper=paper).delete()
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(user_id=user.pk, paper=paper, created_at=timezone.now())
    except IntegrityError:
        pass  # already there: a second click or a concurrent request got in first
    return True


def toggle_vote(user: AbstractBaseUser, paper: Paper) -> bool:
    """Upvote, or take the upvote back; returns whether the user's upvote exists now."""
    with transaction.atomic():
        removed, _ = Vote.objects.filter(user_id=user.pk, paper=paper).delete()
    return False if removed else set_vote(user, paper, on=True)


def vote_as(user: AbstractBaseUser, paper: Paper, on: bool | None = None) -> tuple[bool, int]:
    """A rate-limited vote: toggle (``on`` None) or set; returns (voted now, the paper's count)."""
    take("vote", f"user:{user.pk}")
    voted = toggle_vote(user, paper) if on is None else set_vote(user, paper, on)
    return voted, vote_count(paper)
