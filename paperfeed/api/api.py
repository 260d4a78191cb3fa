"""The JSON API (django-ninja; OpenAPI document and explorer at /api/docs).

Reads are open; writes (upvote, submit, library) need ``Authorization: Bearer TOKEN`` with a
token from /accounts/tokens/ or `paperfeed token USERNAME`. Bad parameters get a 4xx with a
``detail`` message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from paperfeed.accounts import library
from paperfeed.accounts.tokens import user_for_token
from paperfeed.api import schemas
from paperfeed.api.daily import DailyQuery, daily_papers
from paperfeed.api.serialize import daily_paper, hf_paper
from paperfeed.feed import trending as trending_service
from paperfeed.feed.submissions import SubmitRefused, submit_paper
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.lib.ratelimit import RateLimited
from paperfeed.papers.models import Paper, SubmissionRequest
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import vote_as, with_votes
from paperfeed.recs.api import router as recommendations_router
from paperfeed.search.errors import IndexMissing, SearchError
from paperfeed.search.results import find_papers, similar_papers


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


api = NinjaAPI(
    title="paperfeed API",
    version="1",
    description="Trending papers by the research community; Hugging Face-compatible daily papers.",
    urls_namespace="api",
    docs_url="/docs",
)
token = TokenAuth()
api.add_router("/recommendations", recommendations_router, auth=token)  # paperfeed/recs/api.py


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, error: RateLimited) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=429)


@api.exception_handler(SearchError)
def search_refused(request: HttpRequest, error: SearchError) -> HttpResponse:
    """A query the search cannot read, an unknown mode or paper: 400 with the reason."""
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(IndexMissing)
def search_unavailable(request: HttpRequest, error: IndexMissing) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=503)


def _paper(arxiv_id: str) -> Paper:
    try:
        base = parse_arxiv_id(arxiv_id).base
    except InvalidArxivId:
        raise HttpError(400, f"{arxiv_id!r} is not an arXiv id") from None
    paper = with_votes(visible_papers().filter(arxiv_id=base)).first()
    if paper is None:
        raise HttpError(404, f"no paper {base}")
    return paper


@api.get("/daily_papers", response=list[schemas.DailyPaper], by_alias=True, tags=["papers"])
def get_daily_papers(request: HttpRequest, query: Query[DailyQuery]) -> list[dict[str, Any]]:
    """Papers of a day (default: the latest), an ISO week or a month, Hugging Face's shape."""
    try:
        return daily_papers(query)
    except ValueError as error:
        raise HttpError(400, str(error)) from None


@api.get("/papers/search", response=schemas.SearchOut, by_alias=True, tags=["papers"])
def search_papers(
    request: HttpRequest,
    q: str,
    mode: str = "hybrid",
    limit: int = Query(20, ge=1, le=100),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=10_000),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Search by keyword, meaning or both (docs/search.md has the query syntax)."""
    found = find_papers(q, mode, limit, offset)  # SearchError: 400, IndexMissing: 503 (the handlers above)
    results = [daily_paper(item.paper, score=item.score, snippet=item.snippet) for item in found.found]
    return {
        "query": q,
        "mode": found.mode,
        "total": found.total,
        "papersWithoutVectors": found.papers_without_vectors,
        "results": results,
    }


@api.get("/papers/{path:arxiv_id}/similar", response=list[schemas.DailyPaper], by_alias=True, tags=["papers"])
def similar(request: HttpRequest, arxiv_id: str, limit: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    paper = _paper(arxiv_id)
    found = similar_papers(paper.arxiv_id, limit)
    return [daily_paper(item.paper, score=item.score) for item in found]


@api.post("/papers/{path:arxiv_id}/upvote", response=schemas.VoteOut, auth=token, tags=["community"])
def upvote(request: HttpRequest, arxiv_id: str) -> dict[str, Any]:
    paper = _paper(arxiv_id)
    voted, count = vote_as(request.auth, paper, on=True)  # type: ignore[attr-defined]
    return {"id": paper.arxiv_id, "voted": voted, "upvotes": count}


@api.delete("/papers/{path:arxiv_id}/upvote", response=schemas.VoteOut, auth=token, tags=["community"])
def remove_upvote(request: HttpRequest, arxiv_id: str) -> dict[str, Any]:
    paper = _paper(arxiv_id)
    voted, count = vote_as(request.auth, paper, on=False)  # type: ignore[attr-defined]
    return {"id": paper.arxiv_id, "voted": voted, "upvotes": count}


@api.get("/papers/{path:arxiv_id}", response=schemas.HfPaper, by_alias=True, tags=["papers"])
def get_paper(request: HttpRequest, arxiv_id: str) -> dict[str, Any]:
    return hf_paper(_paper(arxiv_id))


@api.get("/trending", response=schemas.TrendingOut, by_alias=True, tags=["papers"])
def get_trending(
    request: HttpRequest,
    window: str = "week",
    limit: int = Query(50, ge=1, le=100),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=10_000),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Papers ranked by the trending score; the formula and its constants come with them."""
    try:
        ranked = trending_service.rank_trending(trending_service.parse_window(window), limit, offset)
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    papers = [
        daily_paper(
            entry.paper,
            score=entry.score,
            votes=entry.votes,
            hfUpvotes=entry.upvotes,
            starsPerDay=entry.stars_per_day,
            ageDays=entry.age_days,
        )
        for entry in ranked.entries
    ]
    return {
        "window": ranked.window,
        "start": ranked.start.isoformat() if ranked.start else None,
        "end": ranked.end.isoformat() if ranked.end else None,
        "formula": trending_service.FORMULA,
        "constants": {
            "star_weight": trending_service.STAR_WEIGHT,
            "age_offset": trending_service.AGE_OFFSET,
            "gravity": trending_service.GRAVITY,
        },
        "papers": papers,
    }


@api.post(
    "/submit",
    response={201: schemas.SubmitOut, 202: schemas.SubmitPendingOut},
    by_alias=True,
    auth=token,
    tags=["community"],
)
def submit(request: HttpRequest, body: schemas.SubmitIn) -> Status[Any]:
    """Submit a paper: 201 when it is in the store; 202 while the worker fetches it from arXiv."""
    try:
        submission = submit_paper(request.auth, body.id)  # type: ignore[attr-defined]
    except SubmitRefused as error:
        raise HttpError(400, str(error)) from None
    if isinstance(submission, SubmissionRequest):
        return Status(202, {"id": submission.arxiv_id, "status": submission.state})
    return Status(201, {"id": submission.paper.arxiv_id, "submittedAt": submission.submitted_at.isoformat()})


@api.get("/library", response=list[schemas.LibraryEntryOut], auth=token, tags=["library"])
def get_library(request: HttpRequest, tag: str | None = None) -> list[dict[str, Any]]:
    return [library.entry_json(entry) for entry in library.library_entries(request.auth, tag)]  # type: ignore[attr-defined]


@api.post("/library", response=schemas.LibraryEntryOut, auth=token, tags=["library"])
def save_to_library(request: HttpRequest, body: schemas.LibraryIn) -> dict[str, Any]:
    paper = _paper(body.id)
    try:
        tags = library.parse_tags(",".join(body.tags))
        library.save_paper(request.auth, paper, tags)  # type: ignore[attr-defined]
    except ValueError as error:  # a bad tag, or too many (accounts/library.py)
        raise HttpError(400, str(error)) from None
    entry = library.library_entries(request.auth).get(paper=paper)  # type: ignore[attr-defined]
    return library.entry_json(entry)


@api.delete("/library/{path:arxiv_id}", response={204: None}, auth=token, tags=["library"])
def remove_from_library(request: HttpRequest, arxiv_id: str) -> Status[Any]:
    if not library.remove_paper(request.auth, _paper(arxiv_id)):  # type: ignore[attr-defined]
        raise HttpError(404, f"{arxiv_id} is not in your library")
    return Status(204, None)
