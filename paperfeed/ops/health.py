"""Health probes for /healthz: the database, how far this node's search index lags it, and how
many papers are searchable by meaning (informational: it never makes the node unhealthy)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max

from paperfeed.papers.models import Paper
from paperfeed.search.progress import embedding_progress
from paperfeed.search.snapshot import current_generation, read_state


@dataclass(frozen=True)
class Probe:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def probe_database() -> Probe:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure to reach the database is "unhealthy", with the reason
        return Probe(False, {"error": f"{type(error).__name__}: {error}"})
    return Probe(True, {"vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 2)})


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


def probe_embeddings() -> Probe:
    """ "12,345 of 27,081 searchable by meaning, about 14 minutes left"; healthy either way."""
    return Probe(True, embedding_progress().as_dict())


PROBES: dict[str, Callable[[], Probe]] = {
    "database": probe_database,
    "search_index": probe_index,
    "semantic_search": probe_embeddings,
}


def check_health() -> tuple[bool, dict[str, Any]]:
    """Run every probe; healthy only when all are."""
    results = {name: probe() for name, probe in PROBES.items()}
    healthy = all(result.ok for result in results.values())
    report = {name: {"ok": result.ok, **result.detail} for name, result in results.items()}
    return healthy, {"status": "ok" if healthy else "unhealthy", "checks": report}
