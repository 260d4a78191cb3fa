"""Recommendations: the one function behind the page, the API and the digest.

    recommend(user, limit=20, candidates=None) -> list[Recommendation]

A user's library is what they saved (accounts' LibraryEntry) and upvoted (papers' Vote): the
positives; papers they turned down (ThumbsDown) are negatives. Everything counts only from
their last reset on. Candidates default to papers announced in the last RECENT_DAYS days
before the newest one; papers already in the library or turned down are never recommended.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from paperfeed.accounts.models import LibraryEntry
from paperfeed.papers.models import Paper, Vote
from paperfeed.papers.visible import latest_day, on_days, visible_papers
from paperfeed.recs import model
from paperfeed.recs.models import RecsReset, ThumbsDown
from paperfeed.recs.vectors import corpus_ids, paper_vectors
from paperfeed.search.embedding import Vectors

RECENT_DAYS = 30
# Random corpus papers as negatives: many beat few (bench/recs.py: precision@10 0.756 with 200,
# 0.795 with 1,000, 0.793 with 2,000, 0.805 with all 4,000 of its corpus).
RANDOM_NEGATIVES = 2000


@dataclass(frozen=True)
class Library:
    saved: list[int]
    upvoted: list[int]
    turned_down: list[int]

    @property
    def positives(self) -> list[int]:
        return list(dict.fromkeys(self.saved + self.upvoted))

    def verb(self, paper_id: int) -> str:
        return "saved" if paper_id in self.saved else "upvoted"


@dataclass(frozen=True)
class Recommendation:
    paper: Paper
    score: float
    because: Paper  # the most similar paper of the library
    why: str


def library_of(user: User) -> Library:
    since = _reset_at(user)
    saved = LibraryEntry.objects.filter(user=user, added_at__gte=since).order_by("-added_at")
    votes = Vote.objects.filter(user=user, created_at__gte=since).order_by("-created_at")
    downs = ThumbsDown.objects.filter(user=user, created_at__gte=since)
    return Library(
        saved=list(saved.values_list("paper_id", flat=True)),
        upvoted=list(votes.values_list("paper_id", flat=True)),
        turned_down=list(downs.values_list("paper_id", flat=True)),
    )


def _reset_at(user: User) -> dt.datetime:
    reset = RecsReset.objects.filter(user=user).values_list("reset_at", flat=True).first()
    return reset or dt.datetime.min.replace(tzinfo=dt.UTC)


def recent_papers() -> QuerySet[Paper]:
    newest = latest_day()
    if newest is None:
        return Paper.objects.none()
    return visible_papers().filter(on_days(newest - dt.timedelta(days=RECENT_DAYS - 1), None))


def recommend(
    user: User | AnonymousUser, limit: int = 20, candidates: QuerySet[Paper] | None = None
) -> list[Recommendation]:
    """The best ``limit`` candidates for ``user``, each with the library paper it is most like."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    library = library_of(user)
    positive_ids, positives = paper_vectors(library.positives)
    if not positive_ids:
        return []
    known = set(library.positives) | set(library.turned_down)
    chosen = candidates if candidates is not None else recent_papers()
    pool = chosen.filter(pk__in=visible_papers().values("pk")).values_list("pk", flat=True)
    candidate_ids, candidate_vectors = paper_vectors(pk for pk in pool if pk not in known)
    if not candidate_ids:
        return []
    _, negatives = paper_vectors(library.turned_down)
    _, randoms = paper_vectors(random_negatives(user.pk, known, len(positive_ids)))
    ranking = model.rank(positives, _rows(negatives, positives), _rows(randoms, positives), candidate_vectors)
    top = [int(row) for row in ranking.order[:limit]]
    papers = Paper.objects.in_bulk([candidate_ids[row] for row in top] + positive_ids)
    results = []
    for row in top:
        because = positive_ids[int(ranking.nearest[row])]
        why = f"because you {library.verb(because)} “{papers[because].title}”"
        results.append(Recommendation(papers[candidate_ids[row]], float(ranking.scores[row]), papers[because], why))
    return results


def _rows(vectors: Vectors, like: Vectors) -> Vectors:
    """An empty (0, d) block when there are no rows, so shapes always line up."""
    return vectors if len(vectors) else like[:0]


def random_negatives(user_id: int, exclude: set[int], positives: int) -> list[int]:
    """Random corpus papers, the same ones for the same user and library size (stable rankings)."""
    pool = [pk for pk in corpus_ids() if pk not in exclude]
    return random.Random(f"{user_id}:{positives}").sample(sorted(pool), min(len(pool), RANDOM_NEGATIVES))


def turn_down(user: User, paper: Paper) -> None:
    ThumbsDown.objects.get_or_create(user=user, paper=paper, defaults={"created_at": timezone.now()})


def reset(user: User) -> None:
    """Start over: what was saved, upvoted or turned down before now no longer trains the model."""
    ThumbsDown.objects.filter(user=user).delete()
    RecsReset.objects.update_or_create(user=user, defaults={"reset_at": timezone.now()})
