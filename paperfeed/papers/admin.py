"""Moderation in Django's admin: hide or show papers; see votes and submissions."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from paperfeed.papers.models import Paper, Submission, Vote


def set_hidden(papers: QuerySet[Paper], hidden: bool) -> int:
    """Hide or show papers; changed_at moves so cached pages drop them at once."""
    return papers.exclude(is_hidden=hidden).update(is_hidden=hidden, changed_at=timezone.now())


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("arxiv_id", "title", "primary_category", "announced_on", "upvotes", "is_hidden")
    list_filter = ("is_hidden", "has_code", "announced_on")
    search_fields = ("arxiv_id", "title")
    actions = ("hide", "show")
    readonly_fields = ("created_at", "changed_at")

    @admin.action(description="Hide the selected papers from every list, feed and API")
    def hide(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        self.message_user(request, f"{set_hidden(queryset, True)} papers hidden.")

    @admin.action(description="Show the selected papers again")
    def show(self, request: HttpRequest, queryset: QuerySet[Paper]) -> None:
        self.message_user(request, f"{set_hidden(queryset, False)} papers shown.")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("paper", "user", "created_at")
    raw_id_fields = ("paper", "user")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("paper", "user", "submitted_at")
    raw_id_fields = ("paper", "user")
