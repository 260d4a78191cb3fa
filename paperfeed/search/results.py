"""Search results as papers a reader may see: the service's hits, for the page, the API and the feeds.

The ranking is paperfeed.search.service's; this module keeps only the hits of
``visible_papers()`` (hidden papers and a banned account's submissions out), with their votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import with_votes
from paperfeed.search import service
from paperfeed.search.query import Filters


@dataclass(frozen=True)
class Found:
    paper: Paper
    score: float
    snippet: str  # HTML from the search service: escaped text with <mark> around matched words


@dataclass
class FoundPapers:
    query: str
    mode: str  # the mode that ran (keyword while no vectors exist, whatever was asked)
    found: list[Found] = field(default_factory=list)
    total: int = 0
    papers_without_vectors: int = 0


def find_papers(
    query: str, mode: str = "hybrid", limit: int = 20, offset: int = 0, filters: Filters | None = None
) -> FoundPapers:
    """Visible papers for ``query``, best first; QueryError/SearchError (IndexMissing without an index) otherwise."""
    results = service.search(query, mode=mode, limit=limit, offset=offset, filters=filters)
    found = visible_hits(results.hits)
    return FoundPapers(query, results.mode, found, results.total, results.papers_without_vectors)


def similar_papers(arxiv_id: str, limit: int = 10) -> list[Found]:
    return visible_hits(service.similar(arxiv_id, limit=limit).hits)


def similar_and_unembedded(arxiv_id: str, limit: int = 10) -> tuple[list[Found], int]:
    """Similar papers, and how many papers are not searchable by meaning yet (their neighbours may be among them)."""
    results = service.similar(arxiv_id, limit=limit)
    return visible_hits(results.hits), results.papers_without_vectors


def visible_hits(hits: list[service.Hit]) -> list[Found]:
    papers = with_votes(visible_papers().filter(arxiv_id__in=[hit.arxiv_id for hit in hits]))
    by_id = {paper.arxiv_id: paper for paper in papers}
    return [Found(by_id[hit.arxiv_id], hit.score, hit.snippet) for hit in hits if hit.arxiv_id in by_id]
