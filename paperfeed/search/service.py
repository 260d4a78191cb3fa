"""Search and similar papers: the one service behind the CLI, the site and the API.

    search(query, mode="hybrid", limit=20, offset=0) -> SearchResults
    similar(arxiv_id, limit=10) -> SearchResults

Modes: ``keyword`` (BM25), ``semantic`` (MiniLM vectors), ``hybrid`` (both, fused; the
default). Semantic and hybrid rank only papers that already have vectors and say how many
do not yet (``papers_without_vectors``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

from paperfeed.papers.models import Paper
from paperfeed.search import keyword
from paperfeed.search.embedding import Vectors, load_embedder, model_id, paper_text
from paperfeed.search.errors import IndexMissing, QueryError, SearchError, UnknownPaper
from paperfeed.search.fusion import FUSIONS, PaperKey, Ranking, reciprocal_rank
from paperfeed.search.onnxmodel import runtime_folder
from paperfeed.search.query import Filters, ParsedQuery, check_days, parse_query
from paperfeed.search.snapshot import Snapshot, open_snapshot
from paperfeed.search.vectors import VectorIndex

MODES = ("hybrid", "keyword", "semantic")
FUSION_DEPTH = 200  # candidates each ranker hands to the fusion (chosen on SciFact train)
CONSTRAINED_DEPTH = 1000  # semantic candidates checked against phrases, authors and exclusions
SIMILAR_DEPTH = 100
SIMILAR_LEXICAL_WEIGHT = 0.5  # more-like-this beside the nearest vectors (bench/relevance.py, CSFCube)


@dataclass(frozen=True)
class Hit:
    arxiv_id: str
    title: str
    score: float
    snippet: str


@dataclass
class SearchResults:
    query: str
    mode: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    papers_without_vectors: int = 0


__all__ = ["IndexMissing", "QueryError", "SearchError", "UnknownPaper", "search", "similar"]


def search(
    query: str, mode: str = "hybrid", limit: int = 20, offset: int = 0, filters: Filters | None = None
) -> SearchResults:
    """Papers for ``query`` (syntax: docs/search.md), best first.

    ``filters`` (from a form, say) take the place of the same filters written in the query text.
    """
    if mode not in MODES:
        raise SearchError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    snapshot = _snapshot()
    parsed = parse_query(query)
    if filters:
        parsed = parsed.with_filters(filters)
    check_days(parsed.filters)
    keyword.check_categories(snapshot.keyword, parsed.filters)
    vectors = usable_vectors(snapshot)
    results = SearchResults(query, mode, papers_without_vectors=without_vectors(snapshot, vectors))
    if mode == "keyword" or vectors is None or not parsed.text:
        results.mode = "keyword"  # what ran: no vectors yet, or no words to embed
        hits, results.total = keyword.search(snapshot.keyword, parsed, limit, offset)
        results.hits = [Hit(h.arxiv_id, h.title, h.score, h.snippet) for h in hits]
        return results
    depth = max(FUSION_DEPTH, offset + limit)
    if mode == "semantic":
        ranking, results.total = semantic_ranking(snapshot, vectors, parsed, depth, embed_query(parsed.text))
    else:
        dense_soon = semantic_ranking_soon(snapshot, vectors, parsed, depth)  # on the worker while BM25 runs here
        lexical = keyword.candidates(snapshot.keyword, parsed, depth)
        dense, _ = dense_soon.result()
        ranking, fused = hybrid_ranking(lexical, dense, offset + limit)
        results.total = max(lexical.total, fused)
    results.hits = describe(snapshot, ranking[offset : offset + limit], parsed)
    return results


def similar(arxiv_id: str, limit: int = 10) -> SearchResults:
    """Papers like ``arxiv_id``: nearest vectors, fused with a lexical more-like-this."""
    snapshot = _snapshot()
    if not Paper.objects.filter(arxiv_id=arxiv_id).exists():
        raise UnknownPaper(f"no paper {arxiv_id}")
    vectors = usable_vectors(snapshot)
    results = SearchResults(arxiv_id, "similar", papers_without_vectors=without_vectors(snapshot, vectors))
    lexical = keyword.more_like_this(snapshot.keyword, arxiv_id, SIMILAR_DEPTH)
    dense: list[tuple[str, float]] = []
    if vectors is not None:
        mine = own_vector(vectors, arxiv_id)
        dense = [(p, s) for p, s in vectors.nearest(mine, SIMILAR_DEPTH + 1) if p != arxiv_id][:SIMILAR_DEPTH]
    ranking = reciprocal_rank([(SIMILAR_LEXICAL_WEIGHT, lexical), (1.0, dense)])
    results.total = len(ranking)
    results.hits = describe(snapshot, ranking[:limit], None)
    return results


def _snapshot() -> Snapshot:
    snapshot = open_snapshot()
    if snapshot is None:
        raise IndexMissing()
    return snapshot


def usable_vectors(snapshot: Snapshot) -> VectorIndex | None:
    """The vector index, if it holds vectors of the configured model (models are never mixed)."""
    vectors = snapshot.vectors
    if vectors is None or vectors.model_id != model_id(settings.EMBEDDING_MODEL):
        return None
    return vectors


def without_vectors(snapshot: Snapshot, vectors: VectorIndex | None) -> int:
    return max(0, snapshot.keyword.searcher().num_docs - (len(vectors) if vectors is not None else 0))


def fuse(rankings: Sequence[tuple[float, Ranking[PaperKey]]]) -> list[tuple[PaperKey, float]]:
    return FUSIONS[settings.HYBRID_FUSION]([(w, r) for w, r in rankings if w > 0])


def hybrid_ranking(
    lexical: keyword.Candidates, dense: Sequence[tuple[str, float]], wanted: int
) -> tuple[list[tuple[str, float]], int]:
    """The best ``wanted`` papers of both rankings fused, and how many the fusion ranked.

    The rankings are joined on id keys, so arxiv ids are read from the keyword index only for
    the papers returned (and any tied with the last of them, to break ties by arxiv id as
    ``fuse`` does).
    """
    dense_keys = [(keyword.id_key(paper), score) for paper, score in dense]
    arxiv_ids = {key: paper for (key, _), (paper, _) in zip(dense_keys, dense, strict=True)}
    fused = fuse([(settings.HYBRID_KEYWORD_WEIGHT, lexical.ranking), (settings.HYBRID_SEMANTIC_WEIGHT, dense_keys)])
    cut = min(wanted, len(fused))
    while 0 < cut < len(fused) and fused[cut][1] == fused[cut - 1][1]:
        cut += 1
    named = [(arxiv_ids.get(key) or lexical.arxiv_id(key), score) for key, score in fused[:cut]]
    return sorted(named, key=lambda item: (-item[1], item[0]))[:wanted], len(fused)


def semantic_ranking(
    snapshot: Snapshot, vectors: VectorIndex, parsed: ParsedQuery, depth: int, query_vector: Vectors
) -> tuple[list[tuple[str, float]], int]:
    """Nearest papers to the query's words that pass its filters (and its constraints, checked in the keyword index)."""
    mask = vectors.mask(parsed.filters)
    passing = len(vectors) if mask is None else int(mask.sum())
    wanted = CONSTRAINED_DEPTH if parsed.has_constraints else depth
    ranking = vectors.nearest(query_vector, wanted, mask)
    if parsed.has_constraints:
        allowed = keyword.matching(snapshot.keyword, parsed, [paper for paper, _ in ranking])
        ranking = [(paper, score) for paper, score in ranking if paper in allowed]
        passing = len(ranking)
    return ranking[:depth], passing


# One persistent worker thread per process embeds hybrid queries and searches their vectors:
# torch, faiss and tantivy release the GIL, so on two cores the query's embedding (~15 ms of
# MiniLM) runs beside its BM25 search instead of before it.
_semantic_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="semantic-search")


def _new_semantic_worker() -> None:
    """A forked child (a web server's worker process, say) gets its own: threads do not survive a fork."""
    global _semantic_worker
    _semantic_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="semantic-search")


os.register_at_fork(after_in_child=_new_semantic_worker)


def semantic_ranking_soon(
    snapshot: Snapshot, vectors: VectorIndex, parsed: ParsedQuery, depth: int
) -> Future[tuple[list[tuple[str, float]], int]]:
    """``semantic_ranking`` of the query's embedding, on the worker; settings are read here, on the caller's thread."""
    model, device, folder = settings.EMBEDDING_MODEL, settings.EMBEDDING_DEVICE, runtime_folder()

    def rank() -> tuple[list[tuple[str, float]], int]:
        query_vector = np.frombuffer(_embed_cached(model, device, folder, parsed.text), dtype=np.float32)
        return semantic_ranking(snapshot, vectors, parsed, depth, query_vector)

    return _semantic_worker.submit(rank)


@functools.lru_cache(maxsize=1024)
def _embed_cached(model: str, device: str, folder: Path | None, text: str) -> bytes:
    return bytes(load_embedder(model, device, folder).embed_query(text).tobytes())


def embed_query(text: str) -> Vectors:
    model, device = settings.EMBEDDING_MODEL, settings.EMBEDDING_DEVICE
    return np.frombuffer(_embed_cached(model, device, runtime_folder(), text), dtype=np.float32)


def own_vector(vectors: VectorIndex, arxiv_id: str) -> Vectors:
    """The paper's stored vector; computed on the spot for a paper not embedded yet."""
    indexed = vectors.vector_of(arxiv_id)
    if indexed is not None:
        return indexed
    paper = Paper.objects.filter(arxiv_id=arxiv_id).values("title", "abstract").first()
    if paper is None:
        raise UnknownPaper(f"no paper {arxiv_id}")
    return embed_query(paper_text(paper["title"], paper["abstract"]))


def describe(snapshot: Snapshot, ranking: Sequence[tuple[str, float]], parsed: ParsedQuery | None) -> list[Hit]:
    found = keyword.describe(snapshot.keyword, [paper for paper, _ in ranking], parsed)
    return [Hit(paper, found[paper][0], score, found[paper][1]) for paper, score in ranking if paper in found]
