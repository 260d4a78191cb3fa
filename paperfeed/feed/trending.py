"""Trending: the one place the trending score is defined and papers are ranked by it.

score = (upvotes + votes + STAR_WEIGHT * stars_per_day) / (age_days + AGE_OFFSET) ^ GRAVITY

upvotes: Hugging Face upvotes; votes: this site's upvotes; stars_per_day: GitHub stars gained
per day between the first and last metric snapshots inside the window (0 where unknown);
age_days: days from the paper's announcement (or publication) to the window's last day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from paperfeed.papers.models import MetricSnapshot, Paper, paper_day
from paperfeed.papers.visible import latest_day, on_days, visible_papers
from paperfeed.papers.votes import vote_counts, with_votes

STAR_WEIGHT = 0.5
AGE_OFFSET = 2.0
GRAVITY = 1.5
WINDOWS = {"day": 1, "week": 7, "month": 30}
FORMULA = f"score = (upvotes + votes + {STAR_WEIGHT} * stars_per_day) / (age_days + {AGE_OFFSET:g}) ^ {GRAVITY}"


def trending_score(upvotes: int, votes: int, stars_per_day: float, age_days: int) -> float:
    """The trending score of one paper; see the module docstring."""
    decay: float = (max(age_days, 0) + AGE_OFFSET) ** GRAVITY
    return (upvotes + votes + STAR_WEIGHT * stars_per_day) / decay


@dataclass(frozen=True)
class TrendingEntry:
    paper: Paper
    score: float
    upvotes: int
    votes: int
    stars_per_day: float
    age_days: int


@dataclass(frozen=True)
class Trending:
    window: str
    start: dt.date | None
    end: dt.date | None
    entries: list[TrendingEntry]

    @property
    def unvoted(self) -> bool:
        """No paper of the window has an upvote, a vote or a star gained: the entries are newest first."""
        return bool(self.entries) and self.entries[0].score == 0


def parse_window(window: str) -> str:
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    return window


def rank_trending(window: str = "week", limit: int = 50, offset: int = 0) -> Trending:
    """Papers of the ``window`` ending on the latest announced day, highest score first."""
    end = latest_day()
    if end is None:
        return Trending(window, None, None, [])
    start = end - dt.timedelta(days=WINDOWS[parse_window(window)] - 1)
    return Trending(window, start, end, rank_period(start, end, limit, offset))


def rank_period(
    start: dt.date, end: dt.date, limit: int = 50, offset: int = 0, among: QuerySet[Paper] | None = None
) -> list[TrendingEntry]:
    """Papers announced from ``start`` to ``end``, by trending score as seen on ``end``, then newest first.

    ``among`` narrows the candidates (default: every visible paper), e.g. to one account's submissions.
    """
    candidates = (visible_papers() if among is None else among).filter(on_days(start, end))
    rows = list(candidates.values_list("pk", "upvotes", "announced_on", "published", "hf_submitted_at"))
    ids = candidates.values("pk")
    votes, stars = vote_counts(ids), _stars_per_day(ids, start, end)
    scored = []
    for pk, upvotes, announced_on, published, featured in rows:
        age = (end - (paper_day(announced_on, published, featured) or end)).days
        scored.append((trending_score(upvotes or 0, votes[pk], stars[pk], age), pk, upvotes or 0, age))
    scored.sort(key=lambda item: (-item[0], item[3], -item[1]))  # ties (no signal at all): newest first
    top = scored[offset : offset + limit]
    papers = with_votes(Paper.objects.filter(pk__in=[item[1] for item in top])).in_bulk()
    return [TrendingEntry(papers[pk], score, up, votes[pk], stars[pk], age) for score, pk, up, age in top]


def _stars_per_day(ids: QuerySet[Paper, Any], start: dt.date, end: dt.date) -> defaultdict[int, float]:
    """GitHub stars gained per day between each paper's first and last snapshot in the window."""
    seen: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    snapshots = MetricSnapshot.objects.filter(
        paper_id__in=ids, taken_on__range=(start - dt.timedelta(days=1), end), github_stars__isnull=False
    ).order_by("taken_on")
    for paper_id, taken_on, stars in snapshots.values_list("paper_id", "taken_on", "github_stars"):
        seen[paper_id].append((taken_on, stars or 0))
    velocity: defaultdict[int, float] = defaultdict(float)
    for paper_id, points in seen.items():
        (first_day, first), (last_day, last) = points[0], points[-1]
        if last_day > first_day:
            velocity[paper_id] = max(0.0, (last - first) / (last_day - first_day).days)
    return velocity
