"""Community state: one upvote per user per paper, and who submitted which paper."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paperfeed.papers.models import Paper


class Vote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="vote_one_per_user_paper")]
        indexes = [models.Index(fields=["paper", "created_at"], name="vote_paper_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ▲ {self.paper_id}"


class Submission(models.Model):
    """A paper put forward by a user; each paper can be submitted once."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="submission")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.paper_id} by {self.user_id}"
