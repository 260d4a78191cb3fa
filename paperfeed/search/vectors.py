"""The vector index: a folder of numpy files, searched exactly or through a faiss IVF index.

Files: ``meta.json`` (model id, size, backend), ``ids.npy`` (arxiv ids, sorted),
``vectors.npy`` (float32, memory-mapped), ``days.npy`` (days since 1970, -1 unknown),
``has_code.npy`` and ``categories.npz`` (rows per category), so that the filters of every
mode are masks over rows; plus ``ivf.faiss`` for large indexes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from paperfeed.search.embedding import Vectors
from paperfeed.search.query import Filters

EPOCH = dt.date(1970, 1, 1)
# The IVF index is asked for RERANK times the hits wanted; their float32 vectors rank them. Its
# 8-bit scores alone mis-order near ties: recall@10 0.956 at 100k (bench/search.py), ≥ 0.98 reranked.
RERANK = 4
# One list in PROBED is searched: 1/32 gave recall@10 0.970 at 100k even reranked, 1/16 ≥ 0.98.
PROBED = 16
IVF_FROM = 50_000  # below this many vectors an exact scan takes a few milliseconds
EXACT_BELOW = 20_000  # a filter leaving fewer rows than this is searched exactly
Mask = npt.NDArray[np.bool_]


class VectorBackend(Protocol):
    def search(
        self, query: Vectors, k: int, mask: Mask | None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]: ...


@dataclass
class ExactBackend:
    """Every vector's dot product with the query: exact, O(n)."""

    vectors: Vectors

    @classmethod
    def build(cls, vectors: Vectors, folder: Path) -> None:
        pass

    @classmethod
    def load(cls, folder: Path, vectors: Vectors) -> ExactBackend:
        return cls(vectors)

    def search(
        self, query: Vectors, k: int, mask: Mask | None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        rows = np.arange(len(self.vectors)) if mask is None else np.flatnonzero(mask)
        return exact_top(self.vectors, rows, query, k)


def exact_top(
    vectors: Vectors, rows: npt.NDArray[np.int64], query: Vectors, k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    if len(rows) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    scores = (vectors if len(rows) == len(vectors) else vectors[rows]) @ query
    k = min(k, len(rows))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return rows[best].astype(np.int64), scores[best].astype(np.float32)


@dataclass
class IvfBackend:
    """faiss IVF with 8-bit scalar quantisation: ~0.25 of the memory, sub-millisecond at 1M."""

    index: Any
    vectors: Vectors
    nprobe: int

    @classmethod
    def build(cls, vectors: Vectors, folder: Path) -> None:
        import faiss

        lists = max(16, int(4 * np.sqrt(len(vectors))))
        quantizer = faiss.IndexFlatIP(vectors.shape[1])
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, vectors.shape[1], lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(0).choice(len(vectors), min(len(vectors), 64 * lists), replace=False)
        index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
        for start in range(0, len(vectors), 100_000):
            index.add(np.ascontiguousarray(vectors[start : start + 100_000]))
        faiss.write_index(index, str(folder / "ivf.faiss"))

    @classmethod
    def load(cls, folder: Path, vectors: Vectors) -> IvfBackend:
        import faiss

        index = faiss.read_index(str(folder / "ivf.faiss"))
        return cls(index, vectors, nprobe=max(8, int(faiss.extract_index_ivf(index).nlist) // PROBED))

    def search(
        self, query: Vectors, k: int, mask: Mask | None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        import faiss

        if mask is not None and int(mask.sum()) < max(EXACT_BELOW, k):
            return exact_top(self.vectors, np.flatnonzero(mask), query, k)
        faiss.omp_set_num_threads(1)  # one query: threads would only wait on each other (and on torch's)
        params: Any = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        bits = np.packbits(mask, bitorder="little") if mask is not None else None  # alive until the search ends
        if bits is not None:
            params.sel = faiss.IDSelectorBitmap(len(bits) * 8, faiss.swig_ptr(bits))
        _, rows = self.index.search(query.reshape(1, -1), k * RERANK, params=params)
        found = rows[0][rows[0] >= 0].astype(np.int64)
        exact = self.vectors[np.sort(found)] @ query.reshape(-1)  # 8-bit scores only choose; float32 ranks
        best = np.argsort(-exact, kind="stable")[:k]
        return np.sort(found)[best], exact[best].astype(np.float32)


BACKENDS: dict[str, Any] = {"exact": ExactBackend, "ivf": IvfBackend}


def backend_for(count: int) -> str:
    return "ivf" if count >= IVF_FROM else "exact"


# Writing and reading a folder ------------------------------------------------------------


@dataclass
class VectorColumns:
    """Vectors and the filter fields of their papers, in arxiv id order."""

    model_id: str
    ids: list[str]
    vectors: Vectors
    days: npt.NDArray[np.int32]
    has_code: npt.NDArray[np.bool_]
    categories: list[Sequence[str]]


def day_number(day: dt.date | None) -> int:
    return -1 if day is None else (day - EPOCH).days


def write_folder(columns: VectorColumns, folder: Path, backend: str | None = None) -> None:
    folder.mkdir(parents=True)
    np.save(folder / "ids.npy", np.array(columns.ids, dtype=str))
    np.save(folder / "vectors.npy", columns.vectors.astype(np.float32, copy=False))
    np.save(folder / "days.npy", columns.days)
    np.save(folder / "has_code.npy", columns.has_code)
    rows: dict[str, list[int]] = {}
    for row, categories in enumerate(columns.categories):
        for category in categories:
            rows.setdefault(category, []).append(row)
    arrays: dict[str, Any] = {category: np.array(members, np.int32) for category, members in rows.items()}
    np.savez(folder / "categories.npz", **arrays)
    backend = backend or backend_for(len(columns.ids))
    BACKENDS[backend].build(np.load(folder / "vectors.npy", mmap_mode="r"), folder)
    meta = {"model_id": columns.model_id, "count": len(columns.ids), "backend": backend}
    (folder / "meta.json").write_text(json.dumps(meta))


@dataclass
class VectorIndex:
    model_id: str
    ids: npt.NDArray[np.str_]
    vectors: Vectors
    days: npt.NDArray[np.int32]
    has_code: npt.NDArray[np.bool_]
    categories: dict[str, npt.NDArray[np.int32]]
    backend: VectorBackend

    @classmethod
    def load(cls, folder: Path) -> VectorIndex:
        meta = json.loads((folder / "meta.json").read_text())
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        with np.load(folder / "categories.npz") as categories:
            rows = {name: categories[name] for name in categories.files}
        return cls(
            model_id=meta["model_id"],
            ids=np.load(folder / "ids.npy"),
            vectors=vectors,
            days=np.load(folder / "days.npy"),
            has_code=np.load(folder / "has_code.npy"),
            categories=rows,
            backend=BACKENDS[meta["backend"]].load(folder, vectors),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, arxiv_id: str) -> int | None:
        row = int(np.searchsorted(self.ids, arxiv_id))
        return row if row < len(self.ids) and self.ids[row] == arxiv_id else None

    def mask(self, filters: Filters) -> Mask | None:
        """Rows that pass ``filters``; None when nothing is filtered."""
        if not filters:
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.categories:
            in_any = np.zeros(len(self.ids), dtype=bool)
            for category in filters.categories:
                in_any[self.categories.get(category, np.zeros(0, np.int32))] = True
            keep &= in_any
        if filters.date_from is not None:
            keep &= self.days >= day_number(filters.date_from)
        if filters.date_to is not None:
            keep &= (self.days <= day_number(filters.date_to)) & (self.days >= 0)
        for category in filters.excluded_categories:
            keep[self.categories.get(category, np.zeros(0, np.int32))] = False
        for start, end in filters.excluded_days:
            inside = self.days >= (day_number(start) if start else 0)
            if end is not None:
                inside &= self.days <= day_number(end)
            keep &= ~inside
        if filters.has_code is not None:
            keep &= self.has_code == filters.has_code
        return keep

    def nearest(self, query: Vectors, k: int, mask: Mask | None = None) -> list[tuple[str, float]]:
        rows, scores = self.backend.search(np.asarray(query, np.float32), k, mask)
        return [(str(self.ids[row]), float(score)) for row, score in zip(rows, scores, strict=True)]
