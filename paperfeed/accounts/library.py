"""A user's library: saved papers, each with tags (collections), exported as BibTeX or JSON."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from paperfeed.accounts.models import LibraryEntry, Tag
from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers

TAG_LENGTH = 64  # characters in one tag name (the column's width)
TAGS_PER_PAPER = 20  # tags on one saved paper
TAGS_PER_USER = 200  # different tags in one library
_TAG = re.compile(rf"^[\w.+-]{{1,{TAG_LENGTH}}}$")


def parse_tags(text: str) -> list[str]:
    """Tag names from a comma- or space-separated list; ValueError names a bad one, or too many."""
    names = list(dict.fromkeys(name.strip().lower() for name in re.split(r"[,\s]+", text) if name.strip()))
    _check_tags_per_paper(names)
    for name in names:
        if not _TAG.match(name):
            raise ValueError(f"{name[:80]!r} is not a tag: use letters, digits, . + - or _ (at most {TAG_LENGTH})")
    return names


def save_paper(user: AbstractBaseUser, paper: Paper, tags: list[str] | None = None) -> LibraryEntry:
    """Add ``paper`` to the library (again is fine); ``tags``, when given, replace its tags.

    ValueError when the tags would take the library past TAGS_PER_USER different tags; tags no
    saved paper carries any more are deleted, so they never count.
    """
    if tags is not None:
        _check_tags_per_paper(tags)
    with transaction.atomic():
        entry, _ = LibraryEntry.objects.get_or_create(
            user_id=user.pk, paper=paper, defaults={"added_at": timezone.now()}
        )
        if tags is not None:
            _check_tag_count(user, entry, tags)
            entry.tags.set([Tag.objects.get_or_create(user_id=user.pk, name=name)[0] for name in tags])
            Tag.objects.filter(user_id=user.pk, entries__isnull=True).delete()
    return entry


def _check_tags_per_paper(names: list[str]) -> None:
    if len(names) > TAGS_PER_PAPER:
        raise ValueError(f"{len(names)} tags: a saved paper can have at most {TAGS_PER_PAPER}")


def _check_tag_count(user: AbstractBaseUser, entry: LibraryEntry, tags: list[str]) -> None:
    """ValueError when the library would have more than TAGS_PER_USER different tags with ``tags`` on ``entry``."""
    others = LibraryEntry.objects.filter(user_id=user.pk).exclude(pk=entry.pk)
    kept = Tag.objects.filter(user_id=user.pk, entries__in=others).exclude(name__in=tags).distinct().count()
    count = kept + len(tags)
    if count > TAGS_PER_USER:
        raise ValueError(f"that makes {count} different tags: a library can have at most {TAGS_PER_USER}")


def remove_paper(user: AbstractBaseUser, paper: Paper) -> bool:
    deleted, _ = LibraryEntry.objects.filter(user_id=user.pk, paper=paper).delete()
    return deleted > 0


def library_entries(user: AbstractBaseUser, tag: str | None = None) -> QuerySet[LibraryEntry]:
    """The user's saved visible papers, newest first, optionally only those tagged ``tag``."""
    entries = LibraryEntry.objects.filter(user_id=user.pk, paper__in=visible_papers())
    if tag and not _TAG.match(tag):  # no tag has that name (NUL, say, which PostgreSQL cannot even compare)
        return LibraryEntry.objects.none()
    if tag:
        entries = entries.filter(tags__name=tag)
    tags = Prefetch("tags", queryset=Tag.objects.order_by("name"))
    return entries.select_related("paper").prefetch_related(tags).order_by("-added_at", "-pk")


def user_tags(user: AbstractBaseUser) -> QuerySet[Tag]:
    return Tag.objects.filter(user_id=user.pk, entries__isnull=False).distinct().order_by("name")


def entry_json(entry: LibraryEntry) -> dict[str, Any]:
    paper = entry.paper
    return {
        "id": paper.arxiv_id,
        "title": paper.title,
        "authors": paper.authors,
        "categories": paper.categories,
        "published": paper.published.isoformat() if paper.published else None,
        "url": paper.abs_url,
        "tags": [tag.name for tag in entry.tags.all()],
        "added_at": entry.added_at.isoformat(),
    }
