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


class LibraryFetch(models.Model):
    """A paper an imported library names that the store lacks: the worker fetches it, then saves it.

    The import only writes this row (one per account and id); the ``fetch-library-papers`` job
    fetches waiting ids from the arXiv API in batches through the one client, stores the papers
    and adds each to its account's library (paperfeed/accounts/imports/fetching.py).
    """

    WAITING, FETCHING, DONE, MISSING, FAILED = "waiting", "fetching", "done", "missing", "failed"
    STATES = [(s, s) for s in (WAITING, FETCHING, DONE, MISSING, FAILED)]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_fetches")
    arxiv_id = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=STATES, default=WAITING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, help_text="Why it is missing or failed, in words for the user")
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "arxiv_id"], name="library_fetch_one_per_id")]
        indexes = [models.Index(fields=["state", "next_try_at"], name="library_fetch_due_idx")]

    def __str__(self) -> str:
        return f"{self.arxiv_id} for {self.user_id} ({self.state})"
