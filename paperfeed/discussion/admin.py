"""Comments in the admin: moderators find them by paper or author and hide or show them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from paperfeed.discussion.models import Comment
from paperfeed.discussion.services import set_hidden


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("pk", "paper", "author", "created_at", "hidden_by_moderator", "deleted")
    list_filter = ("hidden_by_moderator", "deleted")
    search_fields = ("paper__arxiv_id", "author__username", "body")
    # Authors write comments, not the admin; moderators hide and show them with the actions below.
    readonly_fields = (
        *("paper", "author", "parent", "body", "html"),
        *("created_at", "edited_at", "hidden_by_moderator", "deleted"),
    )
    actions = ("hide", "show")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Hide the selected comments")
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset:
            set_hidden(request.user, comment.pk, hidden=True)  # type: ignore[arg-type]
        self.message_user(request, f"{len(queryset)} comments hidden.")

    @admin.action(description="Show the selected comments again")
    def show(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset:
            set_hidden(request.user, comment.pk, hidden=False)  # type: ignore[arg-type]
        self.message_user(request, f"{len(queryset)} comments shown again.")
