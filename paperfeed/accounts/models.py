"""Accounts' own rows: API tokens and the library with its tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from paperfeed.papers.models import Paper


class ApiToken(models.Model):
    """A bearer token for the JSON API's writes; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Tag(models.Model):
    """A user's collection in their library."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="tag_unique_per_user")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LibraryEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="library_entries")
    added_at = models.DateTimeField()
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="library_one_entry_per_paper")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.paper_id}"
