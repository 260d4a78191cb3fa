"""Ranking ideas of issue #14 measured on cached vectors: fusion weight and depth, score-adaptive fusion, dense PRF.

Each query's keyword ranking (paperfeed's tantivy BM25) and semantic ranking (its vector index)
are taken once, 1,000 deep, from the store bench/relevance.py loaded; every variant re-ranks
those in id-key space (keyword.id_key), so a variant costs a fusion, and a dense pseudo-relevance
feedback (PRF) variant one more nearest-vector search. ``default`` is what service.search does
(the settings' fusion and weights at FUSION_DEPTH): it must equal the service's own hybrid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Ranked = list[tuple[int, float]]
DEPTH = 1000


@dataclass
class Parts:
    """One query's two rankings, best first, as (id_key, score); its query vector; its judged papers by id_key."""

    lexical: Ranked
    dense: Ranked
    vector: np.ndarray
    relevant: dict[int, int]
    store: Store


class Store:
    """The loaded store's rankers, seen the way service.search sees them."""

    def __init__(self) -> None:
        from paperfeed.search import keyword, service

        self.snapshot = service._snapshot()
        vectors = service.usable_vectors(self.snapshot)
        assert vectors is not None, "the benchmark store has no vectors"
        self.vectors = vectors
        self.matrix = np.array(vectors.vectors, dtype=np.float32)  # a copy: the next corpus's index replaces the file
        self.keys = np.array([keyword.id_key(str(paper)) for paper in vectors.ids], dtype=np.uint64)
        self.row = {int(key): n for n, key in enumerate(self.keys)}

    def parts(self, text: str, relevant: dict[str, int]) -> Parts:
        from paperfeed.search import keyword, service
        from paperfeed.search.query import parse_query

        parsed = parse_query(text)
        lexical = keyword.candidates(self.snapshot.keyword, parsed, DEPTH).ranking
        vector = np.array(service.embed_query(parsed.text), dtype=np.float32)
        judged = {keyword.id_key(p): g for p, g in relevant.items()}
        return Parts(lexical, self.nearest(vector), vector, judged, self)

    def nearest(self, vector: np.ndarray, depth: int = DEPTH) -> Ranked:
        scores = self.matrix @ vector
        top = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
        top = top[np.lexsort((top, -scores[top]))]
        return [(int(self.keys[n]), float(scores[n])) for n in top]

    def mean_vector(self, keys: Sequence[int]) -> np.ndarray:
        rows = [self.row[k] for k in keys if k in self.row]
        return self.matrix[rows].mean(axis=0) if rows else np.zeros(self.matrix.shape[1], np.float32)


Variant = Callable[[Parts], list[int]]


def convex(weight: float, depth: int) -> Variant:
    from paperfeed.search.fusion import normalised_sum

    return lambda p: [k for k, _ in normalised_sum([(1.0, p.lexical[:depth]), (weight, p.dense[:depth])])]


def rrf(weight: float, depth: int) -> Variant:
    from paperfeed.search.fusion import reciprocal_rank

    return lambda p: [k for k, _ in reciprocal_rank([(1.0, p.lexical[:depth]), (weight, p.dense[:depth])])]


def zscore(weight: float, depth: int) -> Variant:
    """Scores standardised per ranker (mean 0, sd 1 over its list), then summed; a missing paper gets its minimum."""

    def run(p: Parts) -> list[int]:
        fused: dict[int, float] = {}
        for w, ranking in ((1.0, p.lexical[:depth]), (weight, p.dense[:depth])):
            if not ranking:
                continue
            scores = np.array([s for _, s in ranking])
            z = (scores - scores.mean()) / (scores.std() or 1.0)
            floor = float(z.min())  # so that a paper missing from this list gets what its last paper gets
            for (key, _), value in zip(ranking, z, strict=True):
                fused[key] = fused.get(key, 0.0) + w * (float(value) - floor)
        return [k for k, _ in sorted(fused.items(), key=lambda item: (-item[1], item[0]))]

    return run


def peaked(weight: float, depth: int, head: int = 10) -> Variant:
    """Convex fusion, each weight times how far its top stands out (1 - mean normalised score of ranks 2..head)."""
    from paperfeed.search.fusion import normalised_sum

    def peak(ranking: Ranked) -> float:
        if len(ranking) < 2:
            return 1.0
        scores = np.array([s for _, s in ranking])
        spread = (scores.max() - scores.min()) or 1.0
        return float(1.0 - ((scores[1:head] - scores.min()) / spread).mean())

    def run(p: Parts) -> list[int]:
        lexical, dense = p.lexical[:depth], p.dense[:depth]
        weights = [(peak(lexical), lexical), (weight * peak(dense), dense)]
        return [k for k, _ in normalised_sum(weights)]

    return run


def dense_prf(k: int, beta: float, source: str, weight: float = 1.0, depth: int = 200) -> Variant:
    """Dense Rocchio: q' = q + beta * mean(top-k vectors), top k of the dense or the fused list; then convex fusion."""
    from paperfeed.search.fusion import normalised_sum

    first = convex(weight, depth)

    def run(p: Parts) -> list[int]:
        top = [key for key, _ in p.dense[:k]] if source == "dense" else first(p)[:k]
        expanded = p.vector + beta * p.store.mean_vector(top)
        expanded = expanded / (np.linalg.norm(expanded) or 1.0)
        dense = p.store.nearest(expanded, depth)
        return [key for key, _ in normalised_sum([(1.0, p.lexical[:depth]), (weight, dense)])]

    return run


def variants(default_fusion: str, default_keyword: float, default_semantic: float, default_depth: int):
    fuse = {"convex": convex, "rrf": rrf}[default_fusion]
    out: list[tuple[str, Variant]] = [
        ("default", fuse(default_semantic / (default_keyword or 1.0), default_depth)),
        ("keyword only", lambda p: [k for k, _ in p.lexical]),
        ("semantic only", lambda p: [k for k, _ in p.dense]),
    ]
    for depth in (50, 200, 1000):
        for weight in (0.5, 0.75, 1.0, 1.5):
            out.append((f"convex 1:{weight:g} depth {depth}", convex(weight, depth)))
    for depth in (200, 1000):
        for weight in (0.5, 1.0):
            out.append((f"rrf 1:{weight:g} depth {depth}", rrf(weight, depth)))
    for weight in (0.5, 1.0):
        out.append((f"z-score 1:{weight:g} depth 200", zscore(weight, 200)))
        out.append((f"peaked convex 1:{weight:g} depth 200", peaked(weight, 200)))
    for source, tops in (("dense", (3, 5, 10)), ("fused", (3, 5))):
        for k in tops:
            for beta in (0.5, 1.0):
                out.append((f"dense PRF {source} top{k} b{beta:g} + convex 1:1", dense_prf(k, beta, source)))
    return out


def ndcg10(ranked: list[int], relevant: dict[int, int]) -> float:
    import math

    dcg = sum(relevant.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:10]))
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(sorted(relevant.values(), reverse=True)[:10]))
    return dcg / ideal if ideal else 0.0


def mrr10(ranked: list[int], relevant: dict[int, int]) -> float:
    for rank, doc in enumerate(ranked[:10], start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def score(parts: list[Parts], variant: Variant, metric) -> float:
    return float(np.mean([metric(variant(p), p.relevant) for p in parts])) if parts else 0.0
