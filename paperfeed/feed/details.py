"""Everything the paper page shows about one paper, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from paperfeed.accounts.models import LibraryEntry
from paperfeed.feed.bibtex import bibtex
from paperfeed.feed.listings import visible_papers, voted_ids, with_votes
from paperfeed.feed.models import Submission
from paperfeed.feed.searching import Found, SearchUnavailable, similar_papers
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.models import Paper

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
    return details


def _similar(arxiv_id: str) -> tuple[list[Found], str]:
    try:
        return similar_papers(arxiv_id, SIMILAR), ""
    except SearchUnavailable as error:
        return [], str(error)
    except ValueError as error:
        return [], str(error)
