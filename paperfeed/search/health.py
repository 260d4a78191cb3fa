"""The search index's entry in /healthz: how far this node's keyword index lags the database."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max

from paperfeed.ops.health import Probe
from paperfeed.papers.models import Paper
from paperfeed.search.snapshot import current_generation, read_state


def probe_index() -> Probe:
    """Healthy when the index has every change older than PAPERFEED_HEALTH_MAX_INDEX_LAG seconds."""
    newest: dt.datetime | None = Paper.objects.aggregate(newest=Max("changed_at"))["newest"]
    generation = current_generation()
    if generation is None:
        return Probe(newest is None, {"index": "not built", "papers": newest is not None})
    watermark = read_state(generation).keyword_watermark
    indexed = dt.datetime.fromisoformat(watermark) if watermark else None
    lag = 0.0 if newest is None or (indexed and indexed >= newest) else _seconds(newest, indexed)
    detail = {"generation": generation.name, "indexed_until": watermark, "lag_seconds": round(lag)}
    return Probe(lag <= settings.HEALTH_MAX_INDEX_LAG, detail)


def _seconds(newest: dt.datetime, indexed: dt.datetime | None) -> float:
    return float("inf") if indexed is None else (newest - indexed).total_seconds()
