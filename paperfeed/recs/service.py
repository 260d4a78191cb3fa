"""Recommendations: the one function behind the "For you" page, the API and the digest.

    recommend(user, limit=20, candidates=None) -> list[Recommendation]

A user's library is what they saved (accounts' LibraryEntry) and upvoted (papers' Vote): the
positives; papers they turned down (ThumbsDown) are negatives. A thumbs up saves the paper to
the library (no separate row: it is then a positive like any saved paper). Everything counts
only from their last reset on. Candidates default to the papers of a window (the newest day,
week or month of papers); papers already in the library or turned down are never recommended.
The trained model is kept per user (``TrainedModel``), keyed by what it was trained on
(``model_key``); the random negatives come from one pool per process (``random_pool``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import DateTimeField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import LibraryEntry
from paperfeed.lib.ratelimit import take
from paperfeed.papers.models import Paper, Vote
from paperfeed.papers.visible import latest_day, on_days, visible_papers
from paperfeed.recs import model
from paperfeed.recs.models import RecsReset, ThumbsDown, TrainedModel
from paperfeed.recs.vectors import current_model, paper_vectors, random_pool, shared_vectors
from paperfeed.recs.words import shared_words
from paperfeed.search.embedding import Vectors

# The windows of new papers a user can ask for: days back from the newest day of papers.
WINDOWS = {"day": 1, "week": 7, "month": 30}
DEFAULT_WINDOW = "week"
RECENT_DAYS = WINDOWS["month"]
# Random corpus papers as negatives: many beat few (bench/recs.py: precision@10 0.756 with 200,
# 0.795 with 1,000, 0.793 with 2,000, 0.805 with all 4,000 of its corpus).
RANDOM_NEGATIVES = 2000
POOL_MARGIN = 500  # pool papers beyond RANDOM_NEGATIVES, so a user's own papers can be left out
# What a recommendation's papers are read with: what its reason, the For you page and the API show.
RECOMMENDED_FIELDS = ("id", "arxiv_id", "title", "authors", "abstract")


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
    why: str  # "because you saved “X”"
    words: tuple[str, ...] = ()  # words it shares with ``because``, most telling first

    @property
    def reason(self) -> str:
        """The why and the shared words, as one line (the digest's and the page's)."""
        return f"{self.why}; words in common: {', '.join(self.words)}" if self.words else self.why


SAVED, UPVOTED, DOWN = 0, 1, 2  # the kinds of library_of's rows


def library_of(user: User) -> Library:
    """What ``user`` saved, upvoted (newest first) and turned down since their last reset: one query."""
    since = _since_reset(user)
    saved = LibraryEntry.objects.filter(user=user, added_at__gte=since)
    votes = Vote.objects.filter(user=user, created_at__gte=since)
    downs = ThumbsDown.objects.filter(user=user, created_at__gte=since)
    rows = saved.values_list(Value(SAVED), "paper_id", "added_at").union(
        votes.values_list(Value(UPVOTED), "paper_id", "created_at"),
        downs.values_list(Value(DOWN), "paper_id", "created_at"),
        all=True,
    )
    by_kind: dict[int, list[int]] = {SAVED: [], UPVOTED: [], DOWN: []}
    for kind, paper_id, _ in sorted(rows, key=lambda row: (row[0], -row[2].timestamp(), -row[1])):
        by_kind[kind].append(paper_id)
    return Library(saved=by_kind[SAVED], upvoted=by_kind[UPVOTED], turned_down=by_kind[DOWN])


def _since_reset(user: User) -> Coalesce:
    """The time of the user's last reset (the dawn of time without one), as an expression for filters."""
    return Coalesce(
        Subquery(RecsReset.objects.filter(user=user).values("reset_at")[:1]),
        Value(dt.datetime.min.replace(tzinfo=dt.UTC), output_field=DateTimeField()),
    )


def recent_papers(window: str = "month") -> QuerySet[Paper]:
    """Visible papers of the newest ``window`` (a key of WINDOWS) of days."""
    newest = latest_day()
    if newest is None:
        return Paper.objects.none()
    return visible_papers().filter(on_days(newest - dt.timedelta(days=WINDOWS[window] - 1), None))


def recommend(
    user: User | AnonymousUser,
    limit: int = 20,
    candidates: QuerySet[Paper] | None = None,
    candidate_ids: Sequence[int] | None = None,
    exclude: Collection[int] = (),
) -> list[Recommendation]:
    """The best ``limit`` candidates for ``user``, each with the library paper it is most like.

    ``candidate_ids``: instead of ``candidates``, ids already drawn from ``visible_papers()``
    that many users share (a digest window's index): their vectors are read once per process.
    ``exclude``: papers never to recommend besides the library's (a digest's: already received).
    """
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    library = library_of(user)
    positive_ids, positives = paper_vectors(library.positives)
    if not positive_ids:
        return []
    known = set(library.positives) | set(library.turned_down) | set(exclude)
    candidate_ids, candidate_vectors, skipped = _candidates(candidates, candidate_ids, known)
    if len(skipped) >= len(candidate_ids):
        return []
    fitted = trained_model(user, library, positive_ids, positives)
    ranking = model.score(positives, candidate_vectors, fitted, top=limit, skip=skipped)
    top = [int(row) for row in ranking.order]
    nearest = [positive_ids[int(row)] for row in ranking.nearest]
    pairs = list(zip([candidate_ids[row] for row in top], nearest, strict=True))
    papers = Paper.objects.only(*RECOMMENDED_FIELDS).in_bulk([pk for pair in pairs for pk in pair])
    return [
        _explained(library, papers[pk], papers[because], float(ranking.scores[row]))
        for row, (pk, because) in zip(top, pairs, strict=True)
    ]


def _candidates(
    candidates: QuerySet[Paper] | None, shared_ids: Sequence[int] | None, known: set[int]
) -> tuple[list[int], Vectors, list[int]]:
    """The candidates' ids and vectors, and the rows of the user's ``known`` papers among them.

    A shared set is scored whole with its known rows skipped: copying a window's vectors for
    every reader would cost more than scoring them.
    """
    if shared_ids is not None:
        shared = shared_vectors(shared_ids)
        return shared.ids, shared.vectors, sorted(shared.row_of[pk] for pk in known if pk in shared.row_of)
    chosen = candidates if candidates is not None else recent_papers(DEFAULT_WINDOW)
    pool = chosen.filter(pk__in=visible_papers().values("pk")).values_list("pk", flat=True)
    ids, vectors = paper_vectors(pk for pk in pool if pk not in known)
    return ids, vectors, []


def _explained(library: Library, paper: Paper, because: Paper, score: float) -> Recommendation:
    why = f"because you {library.verb(because.pk)} “{because.title}”"
    words = shared_words(paper.title, paper.abstract, f"{because.title} {because.abstract}")
    return Recommendation(paper, score, because, why, tuple(words))


def model_key(user_id: int, library: Library, positive_ids: list[int]) -> str:
    """The key of a user's kept model: a digest of everything it is trained on."""
    recipe = (RANDOM_NEGATIVES, POOL_MARGIN, model.REGULARISATION, model.NEGATIVE_WEIGHT, model.MIN_POSITIVES)
    parts = (user_id, current_model(), sorted(positive_ids), sorted(library.turned_down), recipe)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def trained_model(
    user: User, library: Library, positive_ids: list[int], positives: Vectors
) -> model.LinearModel | None:
    """The user's trained model (None: cold start), kept while what it learns from is unchanged."""
    if not model.needs_training(len(positive_ids), 1):
        return None
    key = model_key(user.pk, library, positive_ids)
    kept = TrainedModel.objects.filter(user=user, key=key).first()
    if kept is not None:
        return model.LinearModel(np.frombuffer(bytes(kept.weights), dtype="<f8"), kept.intercept)
    known = set(library.positives) | set(library.turned_down)
    _, negatives = paper_vectors(library.turned_down)
    fitted = model.fit(positives, _rows(negatives, positives), _rows(random_negatives(known), positives))
    if fitted is not None:
        weights = fitted.weights.astype("<f8").tobytes()
        values = {"key": key, "weights": weights, "intercept": fitted.intercept, "trained_at": timezone.now()}
        TrainedModel.objects.update_or_create(user=user, defaults=values)
    return fitted


def _rows(vectors: Vectors, like: Vectors) -> Vectors:
    """An empty (0, d) block when there are no rows, so shapes always line up."""
    return vectors if len(vectors) else like[:0]


def random_negatives(exclude: set[int]) -> Vectors:
    """Up to RANDOM_NEGATIVES random corpus papers not in ``exclude``: the same pool for every user."""
    pool = random_pool(RANDOM_NEGATIVES + POOL_MARGIN)
    rows = [row for row, pk in enumerate(pool.ids) if pk not in exclude][:RANDOM_NEGATIVES]
    return pool.vectors[rows] if rows else pool.vectors[:0]


def turn_down(user: User, paper: Paper) -> None:
    """Thumbs down (rate-limited like votes): a negative from now on, and never recommended."""
    take("vote", f"user:{user.pk}")
    ThumbsDown.objects.get_or_create(user=user, paper=paper, defaults={"created_at": timezone.now()})


def thumbs_up(user: User, paper: Paper) -> None:
    """Thumbs up (rate-limited like votes): save the paper to the library, taking back a thumbs down."""
    take("vote", f"user:{user.pk}")
    with transaction.atomic():
        ThumbsDown.objects.filter(user=user, paper=paper).delete()
        save_paper(user, paper)
        saved_before_reset = LibraryEntry.objects.filter(user=user, paper=paper, added_at__lt=_since_reset(user))
        saved_before_reset.update(added_at=timezone.now())  # counts again, as a fresh save


def reset(user: User) -> None:
    """Start over: what was saved, upvoted or turned down before now no longer trains the model."""
    ThumbsDown.objects.filter(user=user).delete()
    RecsReset.objects.update_or_create(user=user, defaults={"reset_at": timezone.now()})
