"""Upvotes: one per user per paper (a unique constraint), toggled, safe under concurrent clicks."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from paperfeed.accounts.ratelimit import take
from paperfeed.feed.models import Vote
from paperfeed.papers.models import Paper


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


def vote_count(paper: Paper) -> int:
    """Hugging Face upvotes plus community votes."""
    return (paper.upvotes or 0) + Vote.objects.filter(paper=paper).count()


def vote_as(user: AbstractBaseUser, paper: Paper, on: bool | None = None) -> tuple[bool, int]:
    """A rate-limited vote: toggle (``on`` None) or set; returns (voted now, the paper's count)."""
    take("vote", f"user:{user.pk}")
    voted = toggle_vote(user, paper) if on is None else set_vote(user, paper, on)
    return voted, vote_count(paper)
