"""/api/recommendations: the same recommendations as the "For you" page and the digest, as JSON."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers
from paperfeed.recs import service

router = Router(tags=["recommendations"])


class RecommendationOut(Schema):
    id: str
    title: str
    score: float
    why: str
    because: str  # arXiv id of the library paper it is most like
    words: list[str]  # words it shares with that paper


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "needs Authorization: Bearer TOKEN")
    return user


@router.get("", response=list[RecommendationOut])
def get_recommendations(
    request: HttpRequest, limit: int = 20, window: str = service.DEFAULT_WINDOW
) -> list[dict[str, Any]]:
    """New papers of the ``window`` (day, week or month) for you, best first (``limit`` 1 to 100), with reasons."""
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be from 1 to 100")
    if window not in service.WINDOWS:
        raise HttpError(400, f"window must be one of {', '.join(service.WINDOWS)}")
    recs = service.recommend(_user(request), limit=limit, candidates=service.recent_papers(window))
    return [
        {
            "id": r.paper.arxiv_id,
            "title": r.paper.title,
            "score": r.score,
            "why": r.why,
            "because": r.because.arxiv_id,
            "words": list(r.words),
        }
        for r in recs
    ]


@router.post("/reset", response={204: None})
def reset_recommendations(request: HttpRequest) -> tuple[int, None]:
    """Start over: only what you save, upvote or turn down from now on trains your recommendations."""
    service.reset(_user(request))
    return 204, None


def _paper(arxiv_id: str) -> Paper:
    paper = visible_papers().filter(arxiv_id=arxiv_id).first()
    if paper is None:
        raise HttpError(404, f"no paper {arxiv_id}")
    return paper


@router.post("/not-for-me/{path:arxiv_id}", response={204: None})
def thumbs_down(request: HttpRequest, arxiv_id: str) -> tuple[int, None]:
    """Thumbs down: a negative example for your model, never recommended again (rate-limited like votes)."""
    service.turn_down(_user(request), _paper(arxiv_id))
    return 204, None


@router.post("/relevant/{path:arxiv_id}", response={204: None})
def thumbs_up(request: HttpRequest, arxiv_id: str) -> tuple[int, None]:
    """Thumbs up: saves the paper to your library, a positive for your model (rate-limited like votes)."""
    service.thumbs_up(_user(request), _paper(arxiv_id))
    return 204, None
