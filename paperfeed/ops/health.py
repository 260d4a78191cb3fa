"""Health probes for /healthz: the database, and whatever other parts register (index age)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Probe:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


# name -> probe; other apps add theirs (e.g. the search index's age) in their AppConfig.ready().
PROBES: dict[str, Callable[[], Probe]] = {}


def probe_database() -> Probe:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure to reach the database is "unhealthy", with the reason
        return Probe(False, {"error": f"{type(error).__name__}: {error}"})
    return Probe(True, {"vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 2)})


PROBES["database"] = probe_database


def check_health() -> tuple[bool, dict[str, Any]]:
    """Run every probe; healthy only when all are."""
    results = {name: probe() for name, probe in PROBES.items()}
    healthy = all(result.ok for result in results.values())
    report = {name: {"ok": result.ok, **result.detail} for name, result in results.items()}
    return healthy, {"status": "ok" if healthy else "unhealthy", "checks": report}
