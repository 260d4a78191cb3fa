"""Fusing ranked lists into one: weighted reciprocal rank fusion, or a weighted sum of normalised scores.

Both take ``(weight, [(paper, score), ...])`` pairs, best first, and return one list, best
first (ties by paper); a paper is an arxiv id, or an ``id_key`` (keyword.py) for hybrid search.
Formulas (docs/search.md, "Hybrid"):

    rrf:    fused(d) = sum over rankers r of  w_r / (k + rank_r(d)),   k = 60, rank from 1
    convex: fused(d) = sum over rankers r of  w_r * (s_r(d) - min_r) / (max_r - min_r)

A paper missing from a ranker's list gets nothing from that ranker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

PaperKey = TypeVar("PaperKey", str, int)
Ranking = Sequence[tuple[PaperKey, float]]
RRF_K = 60


def reciprocal_rank(
    rankings: Sequence[tuple[float, Ranking[PaperKey]]], k: int = RRF_K
) -> list[tuple[PaperKey, float]]:
    fused: dict[PaperKey, float] = {}
    for weight, ranking in rankings:
        for rank, (paper, _) in enumerate(ranking, start=1):
            fused[paper] = fused.get(paper, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def normalised_sum(rankings: Sequence[tuple[float, Ranking[PaperKey]]]) -> list[tuple[PaperKey, float]]:
    fused: dict[PaperKey, float] = {}
    for weight, ranking in rankings:
        if not ranking:
            continue
        scores = [score for _, score in ranking]
        low, spread = min(scores), (max(scores) - min(scores)) or 1.0
        for paper, score in ranking:
            fused[paper] = fused.get(paper, 0.0) + weight * (score - low) / spread
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


class Fusion(Protocol):
    def __call__(self, rankings: Sequence[tuple[float, Ranking[PaperKey]]]) -> list[tuple[PaperKey, float]]: ...


FUSIONS: dict[str, Fusion] = {
    "rrf": reciprocal_rank,
    "convex": normalised_sum,
}
