"""Helpers for the search tests: small real subsets, and embeddings computed once per session.

Embedding runs at about a dozen texts a second here, so every test shares one cache of
vectors by text: the real model computes each text once per session (well under 150 texts).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
from django.conf import settings

from paperfeed.papers.records import PaperRecord
from paperfeed.papers.store import upsert_records
from paperfeed.search.embedding import Embedder, load_embedder
from paperfeed.search.indexing import embed_pending, index_papers
from tests.conftest import shared

_VECTORS: dict[str, np.ndarray] = {}


@dataclass(frozen=True)
class CachingEmbedder(Embedder):
    """The real model, remembering each text's vector for the whole test session."""

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in _VECTORS]
        if missing:
            _VECTORS.update(zip(missing, super().embed(missing, batch_size), strict=True))
        return np.vstack([_VECTORS[text] for text in texts]).astype(np.float32)


def embedder() -> CachingEmbedder:
    real = load_embedder(settings.EMBEDDING_MODEL, "cpu")
    return CachingEmbedder(real.model_id, real.dimensions, real.encoder)


def index_with_vectors(limit: int | None = None) -> None:
    """Keyword index, vectors for the first ``limit`` pending papers, then the vector index."""
    index_papers(embed=False)
    embed_pending(embedder(), limit=limit)
    index_papers(embed=False)


@dataclass(frozen=True)
class SciFactSubset:
    queries: dict[str, str]
    relevant: dict[str, set[str]]
    records: list[PaperRecord]


@cache
def scifact_subset(queries: int = 10, distractors: int = 50) -> SciFactSubset:
    """The first ``queries`` SciFact test claims, their cited abstracts, and ``distractors`` other abstracts."""
    folder = shared("scifact", "beir_format")
    relevant: dict[str, set[str]] = {}
    with (folder / "qrels" / "test.tsv").open() as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["query-id"] in relevant or len(relevant) < queries:
                relevant.setdefault(row["query-id"], set()).add(row["corpus-id"])
    wanted = set().union(*relevant.values())
    with (folder / "queries.jsonl").open() as lines:
        texts = {q["_id"]: q["text"] for q in map(json.loads, lines) if q["_id"] in relevant}
    records, others = [], 0
    with (folder / "corpus.jsonl").open() as lines:
        for doc in map(json.loads, lines):
            if doc["_id"] in wanted or others < distractors:
                others += doc["_id"] not in wanted
                records.append(PaperRecord(arxiv_id=doc["_id"], title=doc["title"], abstract=doc["text"]))
    return SciFactSubset(texts, relevant, records)


def add_scifact(subset: SciFactSubset) -> None:
    """The subset's abstracts, with made-up filter fields by position: categories, day, code."""
    for n, paper in enumerate(subset.records):
        paper.categories = ["q-bio.QM" if n % 2 else "q-bio.GN"]
        paper.announced_on = dt.date(2026, 3, 1 + n % 3)
        paper.code_links = ["https://github.com/example/repo"] if n % 5 == 0 else []
    upsert_records(subset.records, source="scifact")


def record(arxiv_id: str, title: str, **fields: object) -> PaperRecord:
    return PaperRecord(arxiv_id=arxiv_id, title=title, **fields)  # type: ignore[arg-type]


@pytest.fixture
def scifact(db):  # type: ignore[no-untyped-def]
    """A small real SciFact subset stored, keyword-indexed and embedded (vectors shared per session)."""
    subset = scifact_subset()
    add_scifact(subset)
    index_with_vectors()
    return subset
