"""Moderation in Django's admin: ban accounts (is_active off), which also stops their API tokens."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from paperfeed.accounts.models import ApiToken, LibraryEntry


def ban(users: QuerySet[User]) -> int:
    """Turn accounts off: they can no longer log in, and their tokens stop working."""
    return users.filter(is_superuser=False).update(is_active=False)


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
