"""The JSON API (django-ninja; OpenAPI document and explorer at /api/docs).

Reads are open; writes (upvote, submit, library) need ``Authorization: Bearer TOKEN`` with a
token from /accounts/tokens/ or `paperfeed token USERNAME`. Bad parameters get a 4xx with a
``detail`` message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from paperfeed.accounts import library
from paperfeed.accounts.api import router as library_import_router
from paperfeed.accounts.tokens import user_for_token
from paperfeed.api import schemas
from paperfeed.api.daily import DailyQuery, daily_papers, newest_first
from paperfeed.api.errors import HfCompatibleApi
from paperfeed.api.serialize import daily_items, hf_paper, submissions_of
from paperfeed.discussion.api import router as comments_router
from paperfeed.feed import trending as trending_service
from paperfeed.feed.submissions import SubmitRefused, submit_paper
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.lib.ratelimit import RateLimited
from paperfeed.papers.models import Paper, SubmissionRequest
from paperfeed.papers.visible import latest_day, visible_papers
from paperfeed.papers.votes import vote_as, with_votes
from paperfeed.recs.api import router as recommendations_router
from paperfeed.search.errors import IndexMissing, SearchError
from paperfeed.search.results import Found, find_papers, similar_papers

MAX_QUERY = 500  # characters, as the search page's form


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


api = HfCompatibleApi(
    title="paperfeed API",
    version="1",
    description="Trending papers by the research community; Hugging Face-compatible daily papers.",
    urls_namespace="api",
    docs_url="/docs",
)
token = TokenAuth()
api.add_router("/recommendations", recommendations_router, auth=token)  # paperfeed/recs/api.py
api.add_router("/comments", comments_router, auth=token)  # paperfeed/discussion/api.py (reading needs no token)
api.add_router("/library-import", library_import_router, auth=token)  # paperfeed/accounts/api.py


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
        raise HttpError(400, f"{arxiv_id[:80]!r} is not an arXiv id") from None
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


QUERY = Query(..., min_length=1, max_length=MAX_QUERY, description="The query (docs/search.md has the syntax)")  # type: ignore[type-arg]


@api.get("/papers/search", response=list[schemas.DailyPaper], by_alias=True, tags=["papers"])
def search_papers_hf(
    request: HttpRequest,
    response: HttpResponse,
    q: str | None = Query(None, max_length=MAX_QUERY, description="The query; none: the latest day's papers"),  # type: ignore[type-arg]
    mode: str = "hybrid",
    limit: int = Query(20, ge=1, le=100),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=10_000),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    """Hugging Face's search URL and shape (a list of daily-paper items, with score and snippet);
    the total, the mode that ran and the papers without vectors are in X-Total-Count,
    X-Search-Mode and X-Papers-Without-Vectors. /api/search answers the same as one object."""
    if not q:
        return latest_papers(limit, offset)
    found = find_papers(q, mode, limit, offset)  # SearchError: 400, IndexMissing: 503 (the handlers above)
    response["X-Total-Count"] = str(found.total)
    response["X-Search-Mode"] = found.mode
    response["X-Papers-Without-Vectors"] = str(found.papers_without_vectors)
    return found_items(found.found)


@api.get("/search", response=schemas.SearchOut, by_alias=True, tags=["papers"])
def search_papers(
    request: HttpRequest,
    q: str = QUERY,
    mode: str = "hybrid",
    limit: int = Query(20, ge=1, le=100),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=10_000),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Search by keyword, meaning or both, with the total, the mode that ran and the papers without vectors."""
    found = find_papers(q, mode, limit, offset)
    return {
        "query": q,
        "mode": found.mode,
        "total": found.total,
        "papersWithoutVectors": found.papers_without_vectors,
        "results": found_items(found.found),
    }


def found_items(found: list[Found]) -> list[dict[str, Any]]:
    extras = [{"score": item.score, "snippet": item.snippet} for item in found]
    return daily_items([item.paper for item in found], extras)


def latest_papers(limit: int, offset: int) -> list[dict[str, Any]]:
    latest = latest_day()
    if latest is None:
        return []
    return daily_items(list(newest_first(visible_papers(), latest, latest)[offset : offset + limit]))


@api.get("/papers/{path:arxiv_id}/similar", response=list[schemas.DailyPaper], by_alias=True, tags=["papers"])
def similar(request: HttpRequest, arxiv_id: str, limit: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    paper = _paper(arxiv_id)
    found = similar_papers(paper.arxiv_id, limit)
    return daily_items([item.paper for item in found], [{"score": item.score} for item in found])


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
    """One paper, Hugging Face's shape (a version suffix such as v2 names the same paper)."""
    paper = _paper(arxiv_id)
    return hf_paper(paper, submissions_of([paper]).get(paper.pk))


@api.get("/agent-harnesses", tags=["papers"])
def agent_harnesses(request: HttpRequest) -> dict[str, Any]:
    """The list of AI-agent harnesses that huggingface_hub 2.4 fetches from its endpoint once a day to
    describe itself in its User-Agent: paperfeed names none (without it the client asks again every run)."""
    return {"standardEnvVars": [], "harnesses": {}}


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
    extras = [
        {
            "score": entry.score,
            "votes": entry.votes,
            "hfUpvotes": entry.upvotes,
            "starsPerDay": entry.stars_per_day,
            "ageDays": entry.age_days,
        }
        for entry in ranked.entries
    ]
    papers = daily_items([entry.paper for entry in ranked.entries], extras)
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
    if tag:
        try:
            library.parse_tags(tag)
        except ValueError as error:
            raise HttpError(400, str(error)) from None
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
