"""The paper store: one row per arXiv id, whatever sources it came from, with the community's
votes and submissions on it and the checkpoints of the harvests that fill it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from paperfeed.lib.arxiv_ids import abs_url, pdf_url


def paper_day(
    announced_on: dt.date | None, published: dt.datetime | None, featured: dt.datetime | None = None
) -> dt.date | None:
    """A paper's day: the day arXiv first listed it, else the UTC day of its first version, else
    the UTC day Hugging Face's Daily Papers featured it (``featured``: papers known only from there).

    The one rule; ``Paper.day`` applies it to a paper, ``paperfeed.papers.visible.PAPER_DAY`` and
    ``on_days`` in queries.
    """
    if announced_on is not None:
        return announced_on
    first = published or featured
    return first.astimezone(dt.UTC).date() if first else None


# The fields ``paper_day`` reads: a query that defers fields keeps these to know a paper's day.
DAY_FIELDS = ("announced_on", "published", "hf_submitted_at")


class Paper(models.Model):
    arxiv_id = models.CharField(max_length=64, unique=True, help_text="Without version: 2403.01234, hep-th/9901001")
    version = models.PositiveIntegerField(null=True, blank=True, help_text="Latest version seen")
    title = models.TextField()
    abstract = models.TextField(blank=True)
    authors = models.JSONField(default=list, help_text="Names in order")
    categories = models.JSONField(default=list, help_text="Primary first")
    primary_category = models.CharField(max_length=32, blank=True, db_index=True)
    published = models.DateTimeField(null=True, blank=True, db_index=True, help_text="First version")
    updated = models.DateTimeField(null=True, blank=True, help_text="Latest version")
    comment = models.TextField(blank=True)
    journal_ref = models.TextField(blank=True)
    doi = models.CharField(max_length=255, blank=True)
    license = models.CharField(max_length=255, blank=True)
    code_links = models.JSONField(default=list)
    has_code = models.BooleanField(default=False, db_index=True)
    project_page = models.URLField(max_length=500, blank=True)
    announced_on = models.DateField(null=True, blank=True, db_index=True, help_text="Day of its first listing")
    upvotes = models.PositiveIntegerField(null=True, blank=True, help_text="Hugging Face upvotes, where known")
    github_stars = models.PositiveIntegerField(null=True, blank=True)
    num_comments = models.PositiveIntegerField(null=True, blank=True, help_text="Hugging Face comments")
    ai_summary = models.TextField(blank=True, help_text="Hugging Face's generated one-line summary")
    ai_keywords = models.JSONField(default=list, blank=True)
    hf_submitted_at = models.DateTimeField(null=True, blank=True, help_text="First on Hugging Face Daily Papers")
    is_hidden = models.BooleanField(default=False, db_index=True, help_text="Hidden by a moderator: in no list or feed")
    deleted_upstream_at = models.DateTimeField(
        null=True, blank=True, help_text="When arXiv's OAI-PMH feed said the record was deleted: shown nowhere since"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(db_index=True, help_text="Last time any stored field changed")

    class Meta:
        indexes = [models.Index(fields=["announced_on", "arxiv_id"], name="paper_day_idx")]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title}"

    @property
    def day(self) -> dt.date | None:
        """The paper's day (see ``paper_day``)."""
        if self.announced_on is not None or self.published is not None:  # no load of a deferred hf_submitted_at
            return paper_day(self.announced_on, self.published)
        return paper_day(None, None, self.hf_submitted_at)

    @property
    def abs_url(self) -> str:
        return abs_url(self.arxiv_id)

    @property
    def pdf_url(self) -> str:
        return pdf_url(self.arxiv_id)


class PaperAuthor(models.Model):
    """Authors as rows, in order, so papers can be found by author name."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="author_rows")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=500)
    name_key = models.CharField(max_length=500, db_index=True, help_text="Lower-case, accents folded")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="paper_author_position")]


class PaperCategory(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(max_length=32)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "category"], name="paper_category_unique")]
        indexes = [models.Index(fields=["category", "paper"], name="category_paper_idx")]


class MetricSnapshot(models.Model):
    """Upvotes, stars and comments as seen on one day, so trending can use their velocity."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField()
    upvotes = models.PositiveIntegerField(null=True, blank=True)
    github_stars = models.PositiveIntegerField(null=True, blank=True)
    num_comments = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "taken_on"], name="snapshot_paper_day")]


class Sighting(models.Model):
    """Which source saw a paper, and when it first did."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sightings")
    source = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "source"], name="sighting_paper_source")]


class Vote(models.Model):
    """One upvote: at most one per user per paper (a unique constraint)."""

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
    fetched = models.BooleanField(
        default=False, help_text="The paper was fetched from arXiv for this submission: it came in by it alone"
    )

    def __str__(self) -> str:
        return f"{self.paper_id} by {self.user_id}"


class SubmissionRequest(models.Model):
    """A submission of a paper the store does not have yet: the worker fetches it from arXiv.

    The web request only writes this row ("fetching 2611.00001"); the worker's
    ``fetch-submissions`` job fetches the paper with the one arXiv client (its per-host pause
    holds across every request) and completes the submission, or says why it could not.
    """

    WAITING, FETCHING, DONE, FAILED = "waiting", "fetching", "done", "failed"
    STATES = [(s, s) for s in (WAITING, FETCHING, DONE, FAILED)]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submission_requests")
    arxiv_id = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=STATES, default=WAITING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, help_text="Why it failed, in words for the user")
    requested_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_try_at"], name="submission_request_due_idx")]

    def __str__(self) -> str:
        return f"{self.arxiv_id} for {self.user_id} ({self.state})"


class HarvestCheckpoint(models.Model):
    """Where a paged harvest stands, written in the same transaction as each page's papers."""

    RUNNING, DONE, FAILED = "running", "done", "failed"
    STATUSES = [(RUNNING, RUNNING), (DONE, DONE), (FAILED, FAILED)]

    source = models.CharField(max_length=50)
    key = models.CharField(max_length=500, help_text="The request's arguments, e.g. set=cs from=2026-02-02")
    cursor = models.TextField(blank=True, help_text="Resumption token or start index of the next page; empty: first")
    status = models.CharField(max_length=20, choices=STATUSES, default=RUNNING)
    pages = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(null=True, blank=True, help_text="completeListSize or totalResults")
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="checkpoint_source_key")]

    def __str__(self) -> str:
        return f"{self.source} {self.key}: {self.status}"


class FullText(models.Model):
    """A paper's full text as markdown, from arXiv's HTML rendering: a row per paper, fetched by the worker.

    Requested (``waiting``) when people open, upvote, save a paper or it trends; the worker's
    ``fetch-full-texts`` job claims a due row (``lib/claims.py``), fetches and converts it
    (``paperfeed/papers/fulltext.py``) and records ``fetched``, ``no-html`` (arXiv has no HTML
    rendering of it) or ``failed`` with ``next_try_at`` for the next try (none after the last).
    """

    WAITING, FETCHING, FETCHED, NO_HTML, FAILED = "waiting", "fetching", "fetched", "no-html", "failed"
    STATES = [(s, s) for s in (WAITING, FETCHING, FETCHED, NO_HTML, FAILED)]

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="full_text")
    state = models.CharField(max_length=20, choices=STATES, default=WAITING)
    reason = models.CharField(
        max_length=20, blank=True, help_text="Why it was asked for: opened, upvoted, saved, trending"
    )
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True, help_text="When it is due; none: nothing more to do")
    lease_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True, help_text="The paper's version when it was fetched")
    source_url = models.URLField(max_length=500, blank=True)
    markdown = models.TextField(blank=True)
    message = models.TextField(blank=True, help_text="Why the last fetch failed")
    requested_at = models.DateTimeField()
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_try_at"], name="fulltext_due_idx")]

    def __str__(self) -> str:
        return f"{self.paper_id} ({self.state})"
