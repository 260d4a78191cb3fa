"""Everything the paper page shows about one paper, gathered in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from paperfeed.accounts.models import LibraryEntry
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.bibtex import bibtex
from paperfeed.papers.models import Paper, Submission
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import voted_ids, with_votes
from paperfeed.search.errors import SearchError
from paperfeed.search.results import Found, similar_and_unembedded

SIMILAR = 8


@dataclass
class PaperDetails:
    paper: Paper
    bibtex: str
    voted: set[int] = field(default_factory=set)  # {paper.pk} when the user has upvoted it
    library_tags: list[str] | None = None  # None: not in the user's library
    submission: Submission | None = None
    similar: list[Found] = field(default_factory=list)
    similar_note: str = ""
    upvote_history: list[tuple[dt.date, int]] = field(default_factory=list)  # from MetricSnapshot rows
    star_history: list[tuple[dt.date, int]] = field(default_factory=list)


def paper_details(text: str, user: AbstractBaseUser | AnonymousUser) -> PaperDetails | None:
    """The visible paper named by ``text`` (an id, with or without version) with its page's extras."""
    try:
        arxiv_id = parse_arxiv_id(text).base
    except InvalidArxivId:
        return None
    paper = with_votes(visible_papers().filter(arxiv_id=arxiv_id)).first()
    if paper is None:
        return None
    details = PaperDetails(paper, bibtex(paper), voted=voted_ids(user, [paper]))
    details.submission = Submission.objects.select_related("user").filter(paper=paper).first()
    if user.is_authenticated:
        entry = LibraryEntry.objects.filter(user_id=user.pk, paper=paper).prefetch_related("tags").first()
        details.library_tags = [tag.name for tag in entry.tags.all()] if entry else None
    details.similar, details.similar_note = _similar(arxiv_id)
    details.upvote_history, details.star_history = metric_history(paper)
    return details


def metric_history(paper: Paper) -> tuple[list[tuple[dt.date, int]], list[tuple[dt.date, int]]]:
    """The paper's Hugging Face upvotes and GitHub stars by day, oldest first, where snapshots have them."""
    rows = list(paper.snapshots.order_by("taken_on").values_list("taken_on", "upvotes", "github_stars"))
    upvotes = [(day, count) for day, count, _ in rows if count is not None]
    stars = [(day, count) for day, _, count in rows if count is not None]
    return upvotes, stars


def _similar(arxiv_id: str) -> tuple[list[Found], str]:
    try:
        found, unembedded = similar_and_unembedded(arxiv_id, SIMILAR)
    except SearchError as error:
        return [], str(error)
    if not unembedded:
        return found, ""
    return found, f"By meaning among the papers embedded so far: {unembedded:,} are not searchable by meaning yet."
