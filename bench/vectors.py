"""The vector index after a day of changes: a delta refresh against a full write of the base.

    nice python bench/vectors.py [--sizes 100000,1000000] [--day 1000] [--queries 200]

For each size, a fresh process with a fresh SQLite database (DATABASE_URL, when set, names
another one: give it one size per run) gets that many papers with stored unit vectors
(random: speed only, not quality), and the node's vector index is written once. Then a day:
``--day`` new papers embedded, a fifth as many changed (new categories) and a twentieth hidden. Timed, in the same run:

- baseline: ``refresh_vectors(force=True)``, a full write of the base, which is what every
  change cost before the delta (and what a delta past its limit still costs);
- the day's refresh (a delta folder), and a refresh with nothing new (the cheap check);
- semantic search latency, p50/p95 of single-threaded queries (precomputed query vectors),
  over the base alone and over the base with the day's delta, unfiltered and by category.

It ends with ok / not ok: the delta refresh is at least 10x faster than the full write at every
size, and the delta costs a search at most 2 ms at p50.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DIMENSIONS = 384
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "cs.RO", "stat.ML", "cs.IR", "cs.CR"]


def django_for(folder: Path) -> None:
    os.environ.update(
        PAPERFEED_DATA_DIR=str(folder), PAPERFEED_SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="paperfeed.settings"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    rows = rng.normal(size=(count, DIMENSIONS)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def add_papers(first: int, count: int, rng: np.random.Generator, computed_at: dt.datetime) -> None:
    """``count`` papers with vectors of the configured model, in chunks of 5,000 (two bulk inserts each)."""
    from django.conf import settings

    from paperfeed.papers.models import Paper
    from paperfeed.search.embedding import model_id
    from paperfeed.search.models import PaperVector

    model = model_id(settings.EMBEDDING_MODEL)
    day = dt.date(2026, 3, 1)
    for start in range(first, first + count, 5000):
        numbers = range(start, min(first + count, start + 5000))
        papers = [
            Paper(
                arxiv_id=f"{2600 + n // 100_000}.{n % 100_000:05d}",
                title=f"Paper {n}",
                categories=[CATEGORIES[n % len(CATEGORIES)]],
                announced_on=day + dt.timedelta(days=n % 120),
                has_code=n % 4 == 0,
                changed_at=computed_at,
            )
            for n in numbers
        ]
        Paper.objects.bulk_create(papers, batch_size=1000)
        ids = dict(Paper.objects.filter(arxiv_id__in=[p.arxiv_id for p in papers]).values_list("arxiv_id", "pk"))
        vectors = unit_vectors(rng, len(papers))
        PaperVector.objects.bulk_create(
            [
                PaperVector(
                    paper_id=ids[p.arxiv_id],
                    model_id=model,
                    vector=vectors[i].astype("<f4").tobytes(),
                    text_sha1="0" * 40,
                    paper_changed_at=computed_at,
                    computed_at=computed_at,
                )
                for i, p in enumerate(papers)
            ],
            batch_size=1000,
        )


def a_day(size: int, day: int, rng: np.random.Generator) -> None:
    """``day`` new papers embedded, ``day // 5`` changed (categories), ``day // 20`` hidden."""
    from django.utils import timezone

    from paperfeed.papers.models import Paper

    now = timezone.now()
    add_papers(size, day, rng, now)
    picked = rng.choice(size, day // 5 + day // 20, replace=False)
    ids = [f"{2600 + n // 100_000}.{n % 100_000:05d}" for n in picked]
    Paper.objects.filter(arxiv_id__in=ids[: day // 5]).update(categories=["math.OC"], changed_at=now)
    Paper.objects.filter(arxiv_id__in=ids[day // 5 :]).update(is_hidden=True, changed_at=now)


def timed(call) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def latencies(index, queries: np.ndarray, categories: tuple[str, ...]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from paperfeed.search.query import Filters

    filters = Filters(categories=categories)
    times = []
    for query in queries:
        started = time.perf_counter()
        index.nearest(query, 50, index.mask(filters))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def measure(size: int, day: int, queries: int) -> dict[str, float]:
    from django.db import connection
    from django.utils import timezone

    from paperfeed.search.indexing import refresh_vectors
    from paperfeed.search.snapshot import State, make_current, new_generation, open_snapshot, read_state, write_state

    rng = np.random.default_rng(size)
    started = time.perf_counter()
    add_papers(0, size, rng, timezone.now() - dt.timedelta(days=1))
    print(f"{size:,} papers with vectors stored in {time.perf_counter() - started:.0f} s ({connection.vendor})")
    generation = new_generation()
    write_state(generation, State())
    make_current(generation)
    full_s, _ = timed(lambda: refresh_vectors(generation))
    again_s, _ = timed(lambda: refresh_vectors(generation, force=True))
    base = open_snapshot().vectors  # type: ignore[union-attr]
    query_vectors = unit_vectors(rng, queries)
    base_p50, base_p95 = latencies(base, query_vectors, ())
    base_cat50, _ = latencies(base, query_vectors, ("cs.CL",))
    a_day(size, day, rng)
    delta_s, wrote = timed(lambda: refresh_vectors(generation))
    state = read_state(generation)
    assert wrote and state.vector_delta is not None, "the day's changes did not go into a delta"
    check_s, _ = timed(lambda: refresh_vectors(generation))
    layered = open_snapshot().vectors  # type: ignore[union-attr]
    delta_p50, delta_p95 = latencies(layered, query_vectors, ())
    delta_cat50, _ = latencies(layered, query_vectors, ("cs.CL",))
    full = statistics.median([full_s, again_s])
    print(
        f"  full write of the base (baseline): {full_s:.2f} s, again {again_s:.2f} s ({state.vector_count:,} vectors)"
    )
    rows = len(layered.delta or [])
    print(f"  the day's refresh: {delta_s:.2f} s (delta of {rows:,} rows) = {full / delta_s:.0f}x faster")
    print(f"  refresh with nothing new: {check_s * 1000:.0f} ms")
    print(f"  search p50/p95, base alone: {base_p50:.2f}/{base_p95:.2f} ms", end="; ")
    print(f"with the delta: {delta_p50:.2f}/{delta_p95:.2f} ms")
    print(f"  search by category p50, base alone: {base_cat50:.2f} ms; with the delta: {delta_cat50:.2f} ms")
    return {"speedup": full / delta_s, "search_cost": delta_p50 - base_p50}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--day", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", action="store_true", help="measure the one size given, in this process")
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory(prefix="bench-vectors-") as folder:
            django_for(Path(folder))
            result = measure(int(args.sizes), args.day, args.queries)
        print(f"RESULT {result['speedup']} {result['search_cost']}")
        return
    results = []
    for size in args.sizes.split(","):
        command = [
            sys.executable,
            __file__,
            "--one",
            "--sizes",
            size,
            "--day",
            str(args.day),
            "--queries",
            str(args.queries),
        ]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print("\n".join(line for line in out.splitlines() if not line.startswith("RESULT")), flush=True)
        speedup, cost = out.split("RESULT ")[1].split()
        results.append((float(speedup), float(cost)))
    speed = all(speedup >= 10 for speedup, _ in results)
    cost = all(cost <= 2 for _, cost in results)
    print(f"{'ok' if speed else 'not ok'}: a day's refresh at least 10x faster than a full write at every size")
    print(f"{'ok' if cost else 'not ok'}: the delta adds at most 2 ms to a search at p50")


if __name__ == "__main__":
    main()
