"""Recommendation state of a user: papers they marked "not for me", when they last started over, their model."""

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


class TrainedModel(models.Model):
    """A user's trained model, kept until what it was trained on changes (``key``): one row per user.

    A table of its own, not the page cache: 10,000 digest readers are 10,000 models, and a
    shared cache of a few thousand entries would evict them before the next day's digests.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    key = models.CharField(max_length=64, help_text="Digest of the library, votes, thumbs and recipe it learnt from")
    weights = models.BinaryField(help_text="float64, little-endian, one per vector dimension")
    intercept = models.FloatField()
    trained_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"model of {self.user_id} ({self.trained_at:%Y-%m-%d %H:%M})"
