"""The paper store: one row per arXiv id, whatever sources it came from."""

from __future__ import annotations

from django.db import models

from paperfeed.lib.arxiv_ids import abs_url, pdf_url


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
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(db_index=True, help_text="Last time any stored field changed")

    class Meta:
        indexes = [models.Index(fields=["announced_on", "arxiv_id"], name="paper_day_idx")]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title}"

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
