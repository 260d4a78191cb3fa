"""The per-user model, on vectors only (no Django): Scholar Inbox's recipe, small.

With enough positives: logistic regression of the library (positives) against the papers the
user turned down plus random papers of the corpus (negatives). With too few: similarity to the
library (cold start). Either way each candidate's "why" is its most similar library paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from paperfeed.search.embedding import Vectors

MIN_POSITIVES = 5  # below this, rank by similarity to the library
REGULARISATION = 1.0  # LogisticRegression's C
NEGATIVE_WEIGHT = 2.0  # a paper turned down counts more than a random one


@dataclass(frozen=True)
class Ranking:
    order: npt.NDArray[np.int64]  # candidate rows, best first
    scores: npt.NDArray[np.float64]  # per candidate row
    nearest: npt.NDArray[np.int64]  # per candidate row: the most similar positive row
    trained: bool  # False: cold start


def rank(positives: Vectors, negatives: Vectors, random_negatives: Vectors, candidates: Vectors) -> Ranking:
    """Score every candidate row; ``positives`` must not be empty."""
    similarity = candidates @ positives.T
    nearest = similarity.argmax(axis=1)
    if len(positives) < MIN_POSITIVES or len(negatives) + len(random_negatives) == 0:
        scores = similarity.max(axis=1).astype(np.float64)
        trained = False
    else:
        scores = _logistic_scores(positives, negatives, random_negatives, candidates)
        trained = True
    order = np.argsort(-scores, kind="stable")
    return Ranking(order, scores, nearest, trained)


def _logistic_scores(
    positives: Vectors, negatives: Vectors, random_negatives: Vectors, candidates: Vectors
) -> npt.NDArray[np.float64]:
    parts = [p for p in (positives, negatives, random_negatives) if len(p)]
    features = np.vstack(parts)
    labels = np.r_[np.ones(len(positives)), np.zeros(len(negatives) + len(random_negatives))]
    weights = np.r_[np.ones(len(positives)), np.full(len(negatives), NEGATIVE_WEIGHT), np.ones(len(random_negatives))]
    from sklearn.linear_model import LogisticRegression  # loaded on first use: it takes seconds

    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=1000)
    model.fit(features, labels, sample_weight=weights)
    return np.asarray(model.decision_function(candidates), dtype=np.float64)
