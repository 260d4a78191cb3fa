"""The IVF vector backend (large indexes): its hits carry exact float32 scores and match an exact scan.

faiss's 8-bit scalar quantisation only chooses candidates; their float32 vectors rank them
(``RERANK``). Real MiniLM vectors of real papers (SciFact abstracts, tests/search_support.py's
embedder) with small Gaussian offsets stand in for a large corpus: near ties are exactly what 8-bit scores mis-order.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

import numpy as np
import pytest

from paperfeed.search.vectors import VectorColumns, VectorFolder, write_folder
from tests.conftest import shared
from tests.search_support import embedder


@cache
def real_texts(count: int) -> list[str]:
    """The first ``count`` SciFact abstracts (title and text)."""
    with shared("scifact", "beir_format", "corpus.jsonl").open() as lines:
        docs = [json.loads(next(lines)) for _ in range(count)]
    return [f"{doc['title']}. {doc['text']}" for doc in docs]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> VectorFolder:
    texts = real_texts(120)
    base = embedder().embed(texts)
    rng = np.random.default_rng(7)
    rows = base[np.arange(6000) % len(base)] + rng.normal(0, 0.02, (6000, base.shape[1])).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    columns = VectorColumns(
        "test-model",
        [f"2601.{n:05d}" for n in range(len(rows))],
        rows.astype(np.float32),
        np.full(len(rows), (dt.date(2026, 1, 5) - dt.date(1970, 1, 1)).days, np.int32),
        np.zeros(len(rows), bool),
        [["cs.LG"]] * len(rows),
    )
    folder = tmp_path_factory.mktemp("vectors") / "ivf"
    write_folder(columns, folder, backend="ivf")
    return VectorFolder.load(folder)


def test_ivf_hits_carry_the_exact_cosine_of_their_vectors(index):
    query = embedder().embed_query("reinforcement learning for robot manipulation")
    hits = index.nearest(query, 10)
    assert len(hits) == 10
    for arxiv_id, score in hits:
        row = index.row_of(arxiv_id)
        assert score == pytest.approx(float(index.vectors[row] @ query), abs=1e-6)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_ivf_recall_at_10_against_an_exact_scan(index):
    recalls = []
    for text in real_texts(140)[120:]:  # queries: other real abstracts
        query = embedder().embed_query(text[:300])
        exact = set(np.argsort(-(index.vectors @ query))[:10].tolist())
        found = {index.row_of(arxiv_id) for arxiv_id, _ in index.nearest(query, 10)}
        recalls.append(len(found & exact) / 10)
    assert np.mean(recalls) >= 0.98, recalls
