"""Embedding throughput and time to searchable, against the plain sentence-transformers loop.

Same texts for both, measured in the same run: the newest ``--papers`` papers of the daily
listings `make run` imports (../shared/data/arxiv-cs-daily-2026-dengwei), newest day first.

1. baseline: ``model.encode`` on 32 papers at a time (what the old 2,000-per-run job did);
2. paperfeed: ``Embedder.embed`` on PAPERFEED_EMBEDDING_BATCH_SIZE papers at a time (sorted by
   length inside, 32 per forward pass), torch threads = cores (as in the embed lane's own
   process), and the same on ONNX Runtime (the default runtime: search/onnxmodel.py); cosine
   to the baseline's vectors. Rounds alternate between the ways, so a busy machine slows each alike;
3. end to end on a store of those papers, on the configured runtime (ONNX): the embed lane's
   job (``embed_for_a_while``, database writes and vector refreshes included): papers/s,
   seconds until the newest day is in the node's vector index, and what one refresh_vectors
   costs (scaled to 27,081 papers);
4. the first semantic query of a fresh process, with and without the WSGI warm-up.

    .venv/bin/python bench/embedding.py [--papers 768] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DAILY = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "daily"
CORPUS = 27_081


def setup_django(folder: Path) -> None:
    os.environ.update(
        PAPERFEED_DATA_DIR=str(folder), PAPERFEED_SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="paperfeed.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def daily_papers(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt") as stream:
        return [json.loads(line) for line in stream]


def newest_files(papers: int) -> list[Path]:
    """The newest daily files holding at least ``papers`` papers."""
    chosen, count = [], 0
    for path in sorted(DAILY.glob("*.jsonl.gz"), reverse=True):
        chosen.append(path)
        count += len(daily_papers(path))
        if count >= papers:
            break
    return chosen


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def throughput(texts: list[str], batch: int, rounds: int) -> None:
    """Baseline and paperfeed's way on the same slices, alternating, so a busy machine slows both alike."""
    from django.conf import settings

    from paperfeed.search import onnxmodel
    from paperfeed.search.embedding import load_embedder, use_threads

    threads = use_threads(0)
    embedder = load_embedder("", "cpu")
    model = embedder.encoder
    started = time.perf_counter()
    folder = onnxmodel.ensure_exported(settings.DATA_DIR)
    print(f"ONNX export, checked against sentence-transformers: {time.perf_counter() - started:.1f} s")
    on_onnx = load_embedder("", "cpu", folder)
    tokens = [len(ids) for ids in model.tokenizer(texts, add_special_tokens=True)["input_ids"]]
    truncated = sum(n > model.max_seq_length for n in tokens) / len(tokens)
    model.encode(texts[:32], batch_size=32)  # warm
    ways = {
        "baseline  model.encode, 32 a call": lambda part: [
            model.encode(part[i : i + 32], batch_size=32) for i in range(0, len(part), 32)
        ],
        "paperfeed Embedder.embed, 32 a call": lambda part: [
            embedder.embed(part[i : i + 32], 32) for i in range(0, len(part), 32)
        ],
        f"paperfeed Embedder.embed, {batch} a call (length-sorted)": lambda part: [
            embedder.embed(part[i : i + batch], 32) for i in range(0, len(part), batch)
        ],
        "paperfeed Embedder.embed, 256 a call (length-sorted)": lambda part: [embedder.embed(part, 32)],
        f"paperfeed ONNX Runtime, {batch} a call (length-sorted)": lambda part: [
            on_onnx.embed(part[i : i + batch], 32) for i in range(0, len(part), batch)
        ],
    }
    size = max(1, len(texts) // rounds)
    figures: dict[str, list[float]] = {name: [] for name in ways}
    vectors: dict[str, list[np.ndarray]] = {name: [] for name in ways}
    for n in range(rounds):
        part = texts[n * size : (n + 1) * size]
        order = list(ways) if n % 2 == 0 else list(reversed(ways))
        for name in order:
            started = time.perf_counter()
            out = ways[name](part)
            figures[name].append(rate(len(part), time.perf_counter() - started))
            vectors[name].append(np.vstack(out))
    print(f"texts: {len(texts)} in {rounds} rounds, torch threads: {threads}, cores: {os.cpu_count()}")
    print(f"tokens per text: median {statistics.median(tokens)}, {truncated:.0%} cut at {model.max_seq_length}")
    base_name = next(iter(ways))
    base = np.vstack(vectors[base_name])
    base = base / np.linalg.norm(base, axis=1, keepdims=True)
    for name, rates in figures.items():
        cosine = np.sum(base * np.vstack(vectors[name]), axis=1)
        ratio = statistics.median(rates) / statistics.median(figures[base_name])
        print(
            f"{name:54} median {statistics.median(rates):6.1f} papers/s  x{ratio:.2f}  "
            f"cosine to baseline min {cosine.min():.6f}"
        )


def end_to_end(files: list[Path], papers: int) -> None:
    from django.conf import settings

    from paperfeed.papers.importing import import_file
    from paperfeed.papers.models import Paper
    from paperfeed.search.indexing import embed_for_a_while, index_papers, refresh_node_vectors
    from paperfeed.search.models import PaperVector
    from paperfeed.search.snapshot import current_generation, read_state

    for path in files:
        import_file(path)
    index_papers(embed=False)
    newest = Paper.objects.order_by("-announced_on").values_list("announced_on", flat=True).first()
    newest_count = Paper.objects.filter(announced_on=newest).count()
    total = Paper.objects.count()
    refreshes: list[tuple[float, int]] = []
    started = time.perf_counter()
    original = refresh_node_vectors

    def timed_refresh() -> bool:
        t = time.perf_counter()
        changed = original()
        generation = current_generation()
        count = read_state(generation).vector_count if generation else 0
        refreshes.append((time.perf_counter() - started, count))
        print(f"  refresh at {refreshes[-1][0]:6.1f} s: {count} vectors, took {time.perf_counter() - t:.2f} s")
        return changed

    import paperfeed.search.indexing as indexing

    indexing.refresh_node_vectors = timed_refresh
    done = embed_for_a_while(lambda: False, print, seconds=3600, refresh_seconds=settings.EMBED_REFRESH_SECONDS)
    elapsed = time.perf_counter() - started
    indexing.refresh_node_vectors = original
    searchable_at = next((at for at, count in refreshes if count >= newest_count), float("nan"))
    t = time.perf_counter()
    refresh_node_vectors()  # nothing changed: the cheap check
    check_s = time.perf_counter() - t
    from paperfeed.search.indexing import refresh_vectors

    t = time.perf_counter()
    with indexing.writer_lock():
        refresh_vectors(current_generation(), force=True)  # type: ignore[arg-type]
    full_s = time.perf_counter() - t
    from paperfeed.search.onnxmodel import configured_embedder

    runtime = type(configured_embedder().encoder).__name__
    print(f"end to end ({runtime}): {done} of {total} papers in {elapsed:.1f} s = {rate(done, elapsed):.1f} papers/s")
    print(f"  (refresh every {settings.EMBED_REFRESH_SECONDS:g} s, batches of {settings.EMBEDDING_BATCH_SIZE})")
    print(f"newest day {newest} ({newest_count} papers) searchable by meaning after {searchable_at:.1f} s")
    print(
        f"refresh_vectors: {full_s:.2f} s for {PaperVector.objects.count()} vectors "
        f"(~{full_s * CORPUS / max(total, 1):.1f} s at {CORPUS:,}); unchanged check {check_s * 1000:.0f} ms"
    )
    print(f"whole {CORPUS:,}-paper corpus at this rate: ~{CORPUS / rate(done, elapsed) / 60:.0f} minutes")


FIRST_QUERY = """
import os, time
t = time.perf_counter()
import paperfeed.wsgi
ready = time.perf_counter() - t
from paperfeed.search.service import search
t = time.perf_counter()
search("graph neural networks for molecules", mode="semantic", limit=10)
print(f"{ready:.2f} {time.perf_counter() - t:.3f}")
"""


def first_query(folder: Path) -> None:
    rows = {}
    for preload in ("false", "true"):
        env = {**os.environ, "PAPERFEED_PRELOAD_EMBEDDER": preload, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", FIRST_QUERY], env=env, capture_output=True, text=True, timeout=600)
        rows[preload] = [float(x) for x in done.stdout.split()[-2:]]
    for preload, (ready, query) in rows.items():
        warm = "on " if preload == "true" else "off"
        print(f"first semantic query, warm-up {warm}: {query:6.3f} s (app ready in {ready:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=768, help="how many of the newest papers (default 768)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the throughput part (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder))
        from django.conf import settings

        from paperfeed.search.embedding import paper_text

        files = newest_files(args.papers)
        texts = [paper_text(o["title"], o.get("summary", "")) for f in files for o in daily_papers(f)]
        throughput(texts[: args.papers], settings.EMBEDDING_BATCH_SIZE, args.rounds)
        end_to_end(files, args.papers)
        first_query(Path(folder))


if __name__ == "__main__":
    main()
