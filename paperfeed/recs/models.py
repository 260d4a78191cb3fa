"""Recommendation state of a user: papers they marked "not for me", and when they last started over."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paperfeed.papers.models import Paper


class ThumbsDown(models.Model):
    """A paper the user does not want: a real negative for their model."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thumbs_down")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="thumbs_down_once")]

    def __str__(self) -> str:
        return f"{self.user_id} ▼ {self.paper_id}"


class RecsReset(models.Model):
    """Recommendations learn only from what the user saved, upvoted or marked after ``reset_at``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recs_reset")
    reset_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} reset {self.reset_at:%Y-%m-%d %H:%M}"
