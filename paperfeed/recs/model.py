"""The per-user model, on vectors only (no Django): Scholar Inbox's recipe, small.

With enough positives: logistic regression of the library (positives) against the papers the
user turned down plus random papers of the corpus (negatives). With too few: similarity to the
library (cold start). Either way each candidate's "why" is its most similar library paper.

``fit`` returns the trained model as plain weights (a linear model on vectors), so the service
can cache it per user until their library changes; ``score`` ranks candidates with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from paperfeed.lib.threads import one_thread
from paperfeed.search.embedding import Vectors

# Below this, rank by similarity to the library. bench/recs.py: logistic regression against random
# papers beats the highest similarity from 2 library papers on (precision@10, topic and time
# splits: 2 papers 0.595/0.818 against 0.547/0.760, 4 papers 0.653/0.870 against 0.537/0.742);
# with one paper the two tie (0.535/0.710 against 0.507/0.732).
MIN_POSITIVES = 2
REGULARISATION = 1.0  # LogisticRegression's C
NEGATIVE_WEIGHT = 2.0  # a paper turned down counts more than a random one


@dataclass(frozen=True)
class LinearModel:
    """A trained model: score = vector · weights + intercept."""

    weights: npt.NDArray[np.float64]
    intercept: float


@dataclass(frozen=True)
class Ranking:
    order: npt.NDArray[np.int64]  # candidate rows, best first (only the best ``top`` when asked for)
    scores: npt.NDArray[np.float64]  # per candidate row
    nearest: npt.NDArray[np.int64]  # per row of ``order``: the most similar positive row
    trained: bool  # False: cold start


def needs_training(positives: int, negatives: int) -> bool:
    return positives >= MIN_POSITIVES and negatives > 0


def fit(positives: Vectors, negatives: Vectors, random_negatives: Vectors) -> LinearModel | None:
    """The trained model, or None for a cold start (too few positives, or no negatives at all)."""
    if not needs_training(len(positives), len(negatives) + len(random_negatives)):
        return None
    parts = [p for p in (positives, negatives, random_negatives) if len(p)]
    features = np.vstack(parts)
    labels = np.r_[np.ones(len(positives)), np.zeros(len(negatives) + len(random_negatives))]
    weights = np.r_[np.ones(len(positives)), np.full(len(negatives), NEGATIVE_WEIGHT), np.ones(len(random_negatives))]
    from sklearn.linear_model import LogisticRegression  # loaded on first use: it takes seconds

    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=1000)
    with one_thread():
        model.fit(features, labels, sample_weight=weights)
    return LinearModel(np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0]))


def score(
    positives: Vectors,
    candidates: Vectors,
    fitted: LinearModel | None,
    top: int | None = None,
    skip: Sequence[int] = (),
) -> Ranking:
    """Rank the candidate rows with ``fitted`` (None: by similarity); ``positives`` must not be empty.

    ``top``: order only the best ``top`` rows (and find their nearest positives), which is all a
    reader is shown. ``skip``: rows never to rank (their score is -inf).
    """
    with one_thread():
        similarity = candidates @ positives.T if fitted is None else None  # cold start: every row's
        if similarity is not None:
            scores = similarity.max(axis=1).astype(np.float64)
        else:
            assert fitted is not None
            scores = (candidates @ fitted.weights.astype(np.float32) + fitted.intercept).astype(np.float64)
        if len(skip):
            scores[np.asarray(skip, dtype=np.int64)] = -np.inf
        order = _best(scores, top)
        order = order[np.isfinite(scores[order])]
        shown = similarity[order] if similarity is not None else candidates[order] @ positives.T
        nearest = shown.argmax(axis=1) if len(order) else np.zeros(0, dtype=np.int64)
    return Ranking(order, scores, nearest.astype(np.int64), fitted is not None)


def _best(scores: npt.NDArray[np.float64], top: int | None) -> npt.NDArray[np.int64]:
    """Rows by descending score (ties: lower row first), all of them or the best ``top``."""
    if top is None or top >= len(scores):
        return np.argsort(-scores, kind="stable")
    if top <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(scores, len(scores) - top)[len(scores) - top]
    rows = np.flatnonzero(scores >= threshold)  # the best ``top``, plus any tied with the last
    return rows[np.argsort(-scores[rows], kind="stable")][:top]


def rank(positives: Vectors, negatives: Vectors, random_negatives: Vectors, candidates: Vectors) -> Ranking:
    """Fit and score in one step (the benchmark's way; the service caches the fit)."""
    return score(positives, candidates, fit(positives, negatives, random_negatives))
