"""The vector index: a base folder of numpy files and a small delta folder beside it.

A folder's files: ``meta.json`` (model id, size, backend), ``ids.npy`` (arxiv ids, sorted),
``vectors.npy`` (float32, memory-mapped), ``days.npy`` (days since 1970, -1 unknown),
``has_code.npy`` and ``categories.npz`` (rows per category), so that the filters of every
mode are masks over rows; plus ``ivf.faiss`` for large indexes.

The base holds the corpus as it was at its last full write; the delta holds the papers new or
changed since (searched exactly: it stays small), and its ``dead.npy`` names the base papers
that changed, were hidden or were deleted since. A search ranks the base's live rows and the
delta's together, so a day's changes cost a write of the day's papers, not of the corpus
(``search.indexing.refresh_vectors`` decides when a delta has grown enough to fold it in).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from paperfeed.lib.threads import one_thread
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
        if mask is not None and 4 * int(mask.sum()) < len(mask):
            return exact_top(self.vectors, np.flatnonzero(mask), query, k)
        return masked_top(self.vectors, mask, query, k)


def masked_top(
    vectors: Vectors, mask: Mask | None, query: Vectors, k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """The best ``k`` rows of ``mask`` from one product over every row: for masks that keep most rows,
    where gathering the kept rows first would copy most of the matrix."""
    scores = np.asarray(vectors @ query, np.float32)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    k = min(k, len(scores) if mask is None else int(mask.sum()))
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return best.astype(np.int64), scores[best]


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
    # The last mask's row count and bitmap: an index with a delta passes the same "every live row"
    # mask to every unfiltered search, so it is counted and packed once (held with the mask itself).
    _packed: tuple[Mask, int, npt.NDArray[np.uint8]] | None = None

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

        packed = self._pack(mask) if mask is not None else None
        if mask is not None and packed is not None and packed[1] < max(EXACT_BELOW, k):
            return exact_top(self.vectors, np.flatnonzero(mask), query, k)
        faiss.omp_set_num_threads(1)  # one query: threads would only wait on each other (and on torch's)
        params: Any = faiss.SearchParametersIVF()
        params.nprobe = self.nprobe
        bits = packed[2] if packed is not None else None  # alive until the search ends
        if bits is not None:
            params.sel = faiss.IDSelectorBitmap(len(bits) * 8, faiss.swig_ptr(bits))
        _, rows = self.index.search(query.reshape(1, -1), k * RERANK, params=params)
        found = rows[0][rows[0] >= 0].astype(np.int64)
        return self._reranked(found, query, k)

    def _pack(self, mask: Mask) -> tuple[Mask, int, npt.NDArray[np.uint8]]:
        packed = self._packed
        if packed is None or packed[0] is not mask:
            packed = (mask, int(mask.sum()), np.packbits(mask, bitorder="little"))
            self._packed = packed
        return packed

    def _reranked(
        self, found: npt.NDArray[np.int64], query: Vectors, k: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
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
    """A folder of ``columns`` (rows already in arxiv id order)."""
    folder.mkdir(parents=True)
    np.save(folder / "vectors.npy", columns.vectors.astype(np.float32, copy=False))
    _write_fields(columns.model_id, columns.ids, columns.days, columns.has_code, columns.categories, folder, backend)


Row = tuple[str, bytes, int, bool, Sequence[str]]  # arxiv id, float32 little-endian vector, day, has code, categories
STREAM_CHUNK = 100_000  # rows copied at a time when a streamed folder is put in arxiv id order


def write_rows(model_id: str, rows: Iterable[Row], folder: Path, backend: str | None = None) -> int:
    """A folder of ``rows`` in any order, read once: vectors go to disk as they come, so memory holds
    the ids and filter fields but never the matrix (4 GB at 2.6M papers). Returns how many rows."""
    folder.mkdir(parents=True)
    ids: list[str] = []
    days: list[int] = []
    has_code: list[bool] = []
    categories: list[Sequence[str]] = []
    raw_path = folder / ".vectors.raw"
    with raw_path.open("wb") as raw:
        for arxiv_id, vector, day, code, cats in rows:
            raw.write(vector)
            ids.append(arxiv_id)
            days.append(day)
            has_code.append(code)
            categories.append(cats)
    dims = raw_path.stat().st_size // 4 // len(ids) if ids else 0
    # Sorted here, not by the database: its collation may not order strings as numpy does.
    order = np.argsort(np.array(ids, dtype=str), kind="stable")
    vectors = np.lib.format.open_memmap(folder / "vectors.npy", mode="w+", dtype=np.float32, shape=(len(ids), dims))
    if ids:
        unsorted = np.memmap(raw_path, dtype="<f4", mode="r", shape=(len(ids), dims))
        for start in range(0, len(ids), STREAM_CHUNK):
            vectors[start : start + STREAM_CHUNK] = unsorted[order[start : start + STREAM_CHUNK]]
        del unsorted
    vectors.flush()
    del vectors
    raw_path.unlink()
    _write_fields(
        model_id,
        [ids[i] for i in order],
        np.array(days, np.int32)[order],
        np.array(has_code, bool)[order],
        [categories[i] for i in order],
        folder,
        backend,
    )
    return len(ids)


def _write_fields(
    model_id: str,
    ids: Sequence[str],
    days: npt.NDArray[np.int32],
    has_code: npt.NDArray[np.bool_],
    categories: Sequence[Sequence[str]],
    folder: Path,
    backend: str | None,
) -> None:
    """Everything of a folder but vectors.npy (written already): ids, filters, the backend's index, meta."""
    np.save(folder / "ids.npy", np.array(ids, dtype=str))
    np.save(folder / "days.npy", days)
    np.save(folder / "has_code.npy", has_code)
    rows: dict[str, list[int]] = {}
    for row, names in enumerate(categories):
        for category in names:
            rows.setdefault(category, []).append(row)
    arrays: dict[str, Any] = {category: np.array(members, np.int32) for category, members in rows.items()}
    np.savez(folder / "categories.npz", **arrays)
    backend = backend or backend_for(len(ids))
    BACKENDS[backend].build(np.load(folder / "vectors.npy", mmap_mode="r"), folder)
    meta = {"model_id": model_id, "count": len(ids), "backend": backend}
    (folder / "meta.json").write_text(json.dumps(meta))


@dataclass
class VectorFolder:
    """One folder's vectors and filter fields, rows in arxiv id order."""

    model_id: str
    ids: npt.NDArray[np.str_]
    vectors: Vectors
    days: npt.NDArray[np.int32]
    has_code: npt.NDArray[np.bool_]
    categories: dict[str, npt.NDArray[np.int32]]
    backend: VectorBackend

    @classmethod
    def load(cls, folder: Path) -> VectorFolder:
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


def write_delta(columns: VectorColumns, dead: Sequence[str], folder: Path) -> None:
    """A delta folder: the changed papers' vectors (searched exactly) and the base papers they retire."""
    write_folder(columns, folder, backend="exact")
    np.save(folder / "dead.npy", np.array(sorted(dead), dtype=str))


@dataclass
class VectorIndex:
    """A base folder less its dead rows, plus a delta folder: what a search reads.

    Rows are the base's rows followed by the delta's, so a filter's mask spans both; dead base
    rows are never in a mask. Without a delta it is the base alone, at no extra cost.
    """

    base: VectorFolder
    delta: VectorFolder | None = None
    dead: Mask | None = None  # base rows a delta retired
    _live: Mask | None = None  # every live row, made once: what an unfiltered search passes
    _live_base: Mask | None = None  # its base part, the same object each time (backends keep what they derive)

    @classmethod
    def load(cls, folder: Path, delta_folder: Path | None = None, base: VectorFolder | None = None) -> VectorIndex:
        """``base`` is reused when given (a reader whose base did not change keeps it open)."""
        base = base if base is not None else VectorFolder.load(folder)
        if delta_folder is None:
            return cls(base)
        delta = VectorFolder.load(delta_folder)
        dead_ids = np.load(delta_folder / "dead.npy")
        dead = np.zeros(len(base.ids), bool)
        rows = np.searchsorted(base.ids, dead_ids)
        found = rows < len(base.ids)
        found[found] = base.ids[rows[found]] == dead_ids[found]
        dead[rows[found]] = True
        return cls(base, delta if len(delta) else None, dead if dead.any() else None)

    @property
    def model_id(self) -> str:
        return self.base.model_id

    def __len__(self) -> int:
        dead = int(self.dead.sum()) if self.dead is not None else 0
        return len(self.base) - dead + (len(self.delta) if self.delta is not None else 0)

    def vector_of(self, arxiv_id: str) -> Vectors | None:
        """The paper's vector as indexed (the delta's if it changed); None when it is not indexed."""
        if self.delta is not None and (row := self.delta.row_of(arxiv_id)) is not None:
            return np.asarray(self.delta.vectors[row], np.float32)
        row = self.base.row_of(arxiv_id)
        if row is None or (self.dead is not None and self.dead[row]):
            return None
        return np.asarray(self.base.vectors[row], np.float32)

    def mask(self, filters: Filters) -> Mask | None:
        """Rows (base, then delta) that pass ``filters`` and are alive; None when every row may be returned."""
        if self.delta is None and self.dead is None:
            return self.base.mask(filters)
        if not filters:
            if self._live is None:
                live = self._masked(filters)
                self._live_base, self._live = live[: len(self.base)], live
            return self._live
        return self._masked(filters)

    def _masked(self, filters: Filters) -> Mask:
        base = self.base.mask(filters)
        if base is None:
            base = np.ones(len(self.base), bool)
        if self.dead is not None:
            base &= ~self.dead
        if self.delta is None:
            return base
        delta = self.delta.mask(filters)
        return np.concatenate([base, np.ones(len(self.delta), bool) if delta is None else delta])

    def nearest(self, query: Vectors, k: int, mask: Mask | None = None) -> list[tuple[str, float]]:
        """The ``k`` best rows of ``mask`` (from ``mask()``; None: every live row), best first, ties by arxiv id."""
        with one_thread():
            return self._nearest(np.asarray(query, np.float32), k, mask)

    def _nearest(self, query: Vectors, k: int, mask: Mask | None) -> list[tuple[str, float]]:
        if self.delta is None and self.dead is None:
            return self.base.nearest(query, k, mask)
        if mask is None:
            mask = self.mask(Filters())
        assert mask is not None
        size = len(self.base)
        base_mask = self._live_base if mask is self._live and self._live_base is not None else mask[:size]
        hits = self.base.nearest(query, k, base_mask) if base_mask.any() else []
        if self.delta is not None and mask[size:].any():
            rows, scores = exact_top(self.delta.vectors, np.flatnonzero(mask[size:]), query, k)
            hits += [(str(self.delta.ids[r]), float(s)) for r, s in zip(rows, scores, strict=True)]
        return sorted(hits, key=lambda hit: (-hit[1], hit[0]))[:k]
