"""Canonical JSON Lines out of the store; ``paperfeed import`` reads it back unchanged."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from paperfeed.papers.models import Paper
from paperfeed.papers.visible import on_days


def papers_since(since: dt.date | None) -> QuerySet[Paper]:
    """Papers announced (or, never announced, first published) on or after ``since``."""
    return Paper.objects.filter(on_days(since, None)).order_by("id")


def canonical_dict(paper: Paper) -> dict[str, Any]:
    """The canonical record of a paper (docs/formats.md), empty optional fields left out."""
    record: dict[str, Any] = {
        "id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": paper.authors,
        "categories": paper.categories,
        "published": _iso(paper.published),
        "updated": _iso(paper.updated),
        "comment": paper.comment,
        "journal_ref": paper.journal_ref,
        "doi": paper.doi,
        "license": paper.license,
        "announced_on": paper.announced_on.isoformat() if paper.announced_on else None,
        "upvotes": paper.upvotes,
        "github_stars": paper.github_stars,
        "num_comments": paper.num_comments,
        "ai_summary": paper.ai_summary,
        "ai_keywords": paper.ai_keywords,
        "hf_submitted_at": _iso(paper.hf_submitted_at),
        "code_links": paper.code_links,
        "project_page": paper.project_page,
        "abs_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
    }
    required = {"id", "title", "abstract", "authors", "categories", "published"}
    return {k: v for k, v in record.items() if k in required or v not in (None, "", [])}


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def export_lines(since: dt.date | None = None) -> Iterator[str]:
    for paper in papers_since(since).iterator(chunk_size=2000):
        yield json.dumps(canonical_dict(paper), ensure_ascii=False) + "\n"
