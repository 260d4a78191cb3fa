"""Moderation in Django's admin: ban accounts (is_active off), which also stops their API tokens."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from paperfeed.accounts.models import ApiToken, LibraryEntry
from paperfeed.papers.models import Paper


def ban(users: QuerySet[User]) -> int:
    """Turn accounts off: they can no longer log in, their tokens stop working, their votes and
    submissions stop counting (papers/visible.py, papers/votes.py) and their comments are hidden
    (discussion/counts.py). The papers they touched are stamped changed, so cached pages and the
    search index drop those effects at once."""
    banned = list(users.filter(is_superuser=False, is_active=True).values_list("pk", flat=True))
    count = User.objects.filter(pk__in=banned).update(is_active=False)
    touched = Q(votes__user_id__in=banned) | Q(submission__user_id__in=banned) | Q(comments__author_id__in=banned)
    Paper.objects.filter(pk__in=Paper.objects.filter(touched).values("pk")).update(changed_at=timezone.now())
    return count


admin.site.unregister(User)


@admin.register(User)
class ModeratedUserAdmin(UserAdmin):  # type: ignore[type-arg]
    actions = ("ban_users",)
    list_display = ("username", "email", "is_active", "is_staff", "date_joined")

    @admin.action(description="Ban the selected accounts")
    def ban_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self.message_user(request, f"{ban(queryset)} accounts banned.")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "name", "prefix", "created_at", "last_used_at")
    exclude = ("digest",)


@admin.register(LibraryEntry)
class LibraryEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "paper", "added_at")
    raw_id_fields = ("user", "paper")
