"""The one place recommendations read paper vectors: the search app's stored embeddings."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max, Min

from paperfeed.lib.batch import checked
from paperfeed.search.embedding import Vectors, model_id
from paperfeed.search.models import PaperVector

POOL_TRIES = 8  # rounds of random ids before a sparse id range settles for fewer papers


def current_model() -> str:
    return model_id(settings.EMBEDDING_MODEL)


def paper_vectors(paper_ids: Iterable[int]) -> tuple[list[int], Vectors]:
    """(ids that have a vector, one L2-normalised row per id) for the configured model."""
    wanted = list(dict.fromkeys(paper_ids))
    rows = PaperVector.objects.filter(model_id=current_model(), paper_id__in=wanted).values_list("paper_id", "vector")
    found = dict(rows)
    ids = [pk for pk in wanted if pk in found]
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return ids, np.vstack([np.frombuffer(bytes(found[pk]), dtype="<f4") for pk in ids]).astype(np.float32)


@dataclass(frozen=True)
class Pool:
    """Random papers with a vector: every user's random negatives are drawn from these."""

    ids: list[int]
    vectors: Vectors


_pools: dict[tuple[object, ...], Pool] = {}


def random_pool(size: int) -> Pool:
    """``size`` papers with a vector (or all, when fewer), the same in every process for the same store.

    Sampled by random ids between the lowest and highest paper id that has a vector, so no
    corpus-sized read is needed at a million papers; kept in this process until the vectors
    change (their newest ``computed_at``), so a digest run reads them once, not once a user.
    """
    low, high, newest = checked(("vector bounds", current_model()), _bounds)
    key = (current_model(), size, low, high, newest)
    if key not in _pools:
        _pools.clear()
        _pools[key] = _sampled(size, low, high)
    return _pools[key]


@dataclass(frozen=True)
class Shared:
    """A candidate set's vectors, with each paper's row."""

    ids: list[int]
    vectors: Vectors
    row_of: dict[int, int]


_shared: dict[tuple[object, ...], Shared] = {}
SHARED_KEPT = 8  # candidate sets kept: a digest run has a few windows (daily, weekly, time zones)


def shared_vectors(paper_ids: Sequence[int]) -> Shared:
    """``paper_vectors`` of a candidate set many users share (a digest's window), read once per process.

    Read again when any vector changes (their newest ``computed_at``; checked at most every
    few seconds inside a batch of digests, ``lib.batch``).
    """
    newest = checked(("newest vector", current_model()), lambda: _bound(Max("computed_at")))
    key = (current_model(), len(paper_ids), hash(tuple(paper_ids)), newest)
    if key not in _shared:
        while len(_shared) >= SHARED_KEPT:
            _shared.pop(next(iter(_shared)))
        ids, vectors = paper_vectors(paper_ids)
        _shared[key] = Shared(ids, vectors, {pk: row for row, pk in enumerate(ids)})
    return _shared[key]


def _bounds() -> tuple[Any, Any, Any]:
    """The lowest and highest paper id with a vector, and the newest vector's time."""
    return _bound(Min("paper_id")), _bound(Max("paper_id")), _bound(Max("computed_at"))


def _bound(aggregate: Min | Max) -> Any:
    """One aggregate a query, so that each is read from its index (together they scan the table)."""
    return PaperVector.objects.aggregate(value=aggregate)["value"]


def _sampled(wanted: int, low: int | None, high: int | None) -> Pool:
    if low is None or high is None:
        return Pool([], np.zeros((0, 0), dtype=np.float32))
    vectors = PaperVector.objects.filter(model_id=current_model())
    rng = random.Random(f"negatives:{low}:{high}")
    found: list[int] = []
    seen: set[int] = set()
    for _ in range(POOL_TRIES):
        guesses = [pk for pk in rng.sample(range(low, high + 1), min(high - low + 1, 2 * wanted)) if pk not in seen]
        seen.update(guesses)
        present = set(vectors.filter(paper_id__in=guesses).values_list("paper_id", flat=True))
        found += [pk for pk in guesses if pk in present]
        if len(found) >= wanted or len(seen) > high - low:
            break
    ids, rows = paper_vectors(found[:wanted])
    return Pool(ids, rows)
