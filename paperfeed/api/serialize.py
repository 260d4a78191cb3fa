"""Papers as Hugging Face's API writes them, so existing Hugging Face clients work unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from paperfeed.papers.models import Paper


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def total_upvotes(paper: Paper) -> int:
    annotated = getattr(paper, "total_votes", None)
    return int(annotated) if annotated is not None else paper.upvotes or 0


def hf_paper(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.arxiv_id,
        "title": paper.title,
        "summary": paper.abstract,
        "authors": [{"name": name} for name in paper.authors],
        "publishedAt": _iso(paper.published),
        "upvotes": total_upvotes(paper),
        "githubRepo": next((link for link in paper.code_links if "github.com" in link), None),
        "githubStars": paper.github_stars,
        "numComments": paper.num_comments,
        "ai_summary": paper.ai_summary or None,
        "ai_keywords": list(paper.ai_keywords or []),
        "categories": list(paper.categories),
        "projectPage": paper.project_page or None,
        "submittedOnDailyAt": _iso(paper.hf_submitted_at),
        "url": paper.abs_url,
    }


def daily_paper(paper: Paper, **extra: Any) -> dict[str, Any]:
    return {
        "paper": hf_paper(paper),
        "title": paper.title,
        "summary": paper.abstract,
        "publishedAt": _iso(paper.day),
        "numComments": paper.num_comments or 0,
        **extra,
    }
