"""Papers as Hugging Face's API writes them, so existing Hugging Face clients work unchanged.

Hugging Face's own client (``huggingface_hub.PaperInfo``) reads some fields of a daily-papers
item from the item, not from its ``paper`` (githubRepo, githubStars, projectPage, ai_summary,
ai_keywords), and takes an upvote count of 0 for "unknown" unless the item has one too; so the
item repeats them beside ``paper``. A value paperfeed does not know is left out, as Hugging
Face leaves it out (thumbnail, discussionId, organization, avatars).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser

from paperfeed.discussion.counts import comments_total, count_comments
from paperfeed.papers.models import Paper, Submission

# Fields of ``paper`` that Hugging Face's client reads from the item instead.
ITEM_COPIES = ("upvotes", "githubRepo", "githubStars", "projectPage", "ai_summary", "ai_keywords")
GITHUB_HOSTS = ("github.com", "www.github.com")


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def total_upvotes(paper: Paper) -> int:
    annotated = getattr(paper, "total_votes", None)
    return int(annotated) if annotated is not None else paper.upvotes or 0


def submissions_of(papers: Iterable[Paper]) -> dict[int, Submission]:
    """The community submission of each paper that has one by an account in good standing (one query)."""
    ids = [paper.pk for paper in papers]
    found = Submission.objects.filter(paper_id__in=ids, user__is_active=True).select_related("user")
    return {submission.paper_id: submission for submission in found}


def hf_user(user: AbstractBaseUser) -> dict[str, Any]:
    """A paperfeed account as Hugging Face writes a user; only the public username is known."""
    username = user.get_username()
    return {"user": username, "name": username, "fullname": username, "type": "user"}


def _github_repo(paper: Paper) -> str | None:
    return next((link for link in paper.code_links if urlsplit(link).hostname in GITHUB_HOSTS), None)


def hf_paper(paper: Paper, submission: Submission | None = None) -> dict[str, Any]:
    """One paper, as /api/papers/{id} and the ``paper`` of a daily item.

    ``publishedAt`` is the first version's time, else the start of the paper's listing day (UTC);
    ``submittedOnDailyAt``/``By`` say when it was featured on Hugging Face, else who submitted it here.
    """
    submitted_at = paper.hf_submitted_at or (submission.submitted_at if submission else None)
    fields: dict[str, Any] = {
        "id": paper.arxiv_id,
        "title": paper.title,
        "summary": paper.abstract,
        "authors": [{"name": name, "hidden": False} for name in paper.authors],
        "publishedAt": _iso(paper.published or paper.day),
        "upvotes": total_upvotes(paper),
        "githubRepo": _github_repo(paper),
        "githubStars": paper.github_stars,
        "numComments": comments_total(paper),  # Hugging Face's plus those here (discussion/counts.py)
        "ai_summary": paper.ai_summary or None,
        "ai_keywords": list(paper.ai_keywords or []),
        "categories": list(paper.categories),
        "projectPage": paper.project_page or None,
        "submittedOnDailyAt": _iso(submitted_at),
        "url": paper.abs_url,
    }
    if submission is not None:
        fields["submittedOnDailyBy"] = hf_user(submission.user)
    return fields


def daily_paper(paper: Paper, submission: Submission | None = None, **extra: Any) -> dict[str, Any]:
    """One item of a daily-papers or search list: ``publishedAt`` is the paper's day in paperfeed's listing."""
    inner = hf_paper(paper, submission)
    item: dict[str, Any] = {
        "paper": inner,
        "title": paper.title,
        "summary": paper.abstract,
        "publishedAt": _iso(paper.day),
        "numComments": inner["numComments"],
        **{name: inner[name] for name in ITEM_COPIES},
        **extra,
    }
    if submission is not None:
        item["submittedBy"] = hf_user(submission.user)
    return item


def daily_items(papers: Sequence[Paper], extras: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Daily items for ``papers`` with their submitters (one query); ``extras[i]`` adds fields to item i."""
    submissions = submissions_of(papers)
    count_comments(papers)  # one query for every item's numComments
    added = extras if extras is not None else [{}] * len(papers)
    return [daily_paper(paper, submissions.get(paper.pk), **more) for paper, more in zip(papers, added, strict=True)]
