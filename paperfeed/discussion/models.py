"""Comments under papers: one level of replies, edited and deleted by their authors, hidden by moderators."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paperfeed.papers.models import Paper


class Comment(models.Model):
    """One comment. ``body`` is what the author wrote; ``html`` is it rendered once, at write time
    (discussion/text.py: escaped, links and TeX), so a page never renders a comment again.

    A reply's ``parent`` is a top-level comment of the same paper (services.py keeps it so). Deleting
    keeps the row, empties it and sets ``deleted``, so the replies under it keep their place.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField()
    html = models.TextField(help_text="body rendered: escaped, with links and MathML")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_by_moderator = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["paper", "created_at"], name="comment_paper_idx")]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.paper_id}: {self.body[:40]}"
