"""Onboarding: papers to mark "relevant" or "not for me" until a new library can rank on its own.

Semantic Scholar's feeds ask for five relevant papers and three that are not; paperfeed asks the
same, but the feed is personal from the first relevant paper (cold start: similarity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User

from paperfeed.papers.models import Paper
from paperfeed.recs.service import library_of, recent_papers
from paperfeed.search.errors import SearchError
from paperfeed.search.results import find_papers

GOAL = {"relevant": 5, "not_for_me": 3}
OFFERED = 30  # papers on the page
QUERY_LENGTH = 200  # characters of a search


@dataclass
class Offer:
    papers: list[Paper] = field(default_factory=list)
    relevant: int = 0
    not_for_me: int = 0
    error: str = ""

    @property
    def done(self) -> bool:
        return self.relevant >= GOAL["relevant"] and self.not_for_me >= GOAL["not_for_me"]


def offer(user: User, query: str = "") -> Offer:
    """The newest day's papers (or ``query``'s hits) that ``user`` has not marked yet, with their counts."""
    library = library_of(user)
    known = set(library.positives) | set(library.turned_down)
    result = Offer(relevant=len(library.positives), not_for_me=len(library.turned_down))
    if query:
        try:
            found = find_papers(query, limit=OFFERED + len(known))
        except SearchError as error:
            result.error = str(error)
            return result
        result.papers = [hit.paper for hit in found.found if hit.paper.pk not in known][:OFFERED]
    else:
        result.papers = list(recent_papers("day").exclude(pk__in=known).order_by("-pk")[:OFFERED])
    return result
