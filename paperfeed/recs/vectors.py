"""The one place recommendations read paper vectors: the search app's stored embeddings."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.conf import settings

from paperfeed.search.embedding import Vectors, model_id
from paperfeed.search.models import PaperVector


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


def corpus_ids() -> list[int]:
    """Every paper with a vector of the configured model (the pool of random negatives)."""
    return list(PaperVector.objects.filter(model_id=current_model()).values_list("paper_id", flat=True))
