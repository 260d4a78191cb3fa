"""Search speed at 100k and 1M papers: build time, memory and single-threaded query latency.

    nice python bench/search.py [--sizes 100000,1000000] [--queries 200]

Texts: the 27k real abstracts of ../shared/data/arxiv-cs-daily-2026-dengwei, replicated with
new ids and perturbed words up to each size. Vectors: embedding a million texts is
impossible here (~12 texts/s), so the real MiniLM vectors of the SciFact abstracts and the
paraphrase benchmark's 8.7k cs papers (cached by bench/relevance.py) are replicated with
Gaussian noise and renormalised; texts and vectors therefore do not correspond, which is
fine for speed, not for quality.
Queries: SciFact claims, embedded on every query (the embedding is part of the latency).

Baselines measured in the same run: exact numpy dot products over all vectors (semantic) and
SQLite FTS5 bm25 (keyword), once with every word of the query ORed (what a plain FTS5 search
does) and once with only the terms tantivy looks up (stop words dropped: the fair ratio). The
search side runs in a fresh process so that its RSS is the memory a searching server needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from corpora import SHARED, cached_embeddings, load_paraphrase, load_scifact  # noqa: E402

DEDUP = SHARED / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"


def django_for(folder: Path) -> None:
    os.environ.update(
        PAPERFEED_DATA_DIR=str(folder), PAPERFEED_SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="paperfeed.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def real_papers() -> list[dict[str, object]]:
    with gzip.open(DEDUP, "rt") as lines:
        return [json.loads(line) for line in lines]


def perturbed(papers: list[dict[str, object]], size: int, rng: np.random.Generator):
    """``size`` papers: the real ones, then copies with new ids, a day shift and every 7th word swapped."""
    from paperfeed.search.keyword import PaperDoc

    vocabulary = " ".join(str(p["summary"]) for p in papers[:2000]).split()
    for n in range(size):
        paper, copy = papers[n % len(papers)], n // len(papers)
        words = str(paper["summary"]).split()
        if copy:
            for i in range(copy % 7, len(words), 7):
                words[i] = vocabulary[int(rng.integers(len(vocabulary)))]
        categories = eval_list(paper["categories"])
        day = dt.date(2026, 3, 1) + dt.timedelta(days=(n * 7919) % 120)
        yield PaperDoc(
            f"{paper['id']}.{copy}",
            str(paper["title"]),
            " ".join(words),
            eval_list(paper["authors"]),
            categories,
            day,
            n % 4 == 0,
        )


def eval_list(text: object) -> list[str]:
    return [part.strip(" '\"") for part in str(text).strip("[]").split(",") if part.strip(" '\"")]


def real_vectors() -> np.ndarray:
    from paperfeed.search.embedding import load_embedder, paper_text

    embedder = load_embedder()
    parts = []
    for corpus in (load_scifact(), load_paraphrase(8000)):
        texts = [paper_text(t, a) for t, a in zip(corpus.titles, corpus.abstracts, strict=True)]
        parts.append(cached_embeddings(corpus, embedder.model_id, texts, embedder.embed))
    return np.vstack(parts)


def noisy_vectors(base: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((size, base.shape[1]), np.float32)
    for start in range(0, size, 100_000):
        rows = np.arange(start, min(size, start + 100_000))
        block = base[rows % len(base)] + rng.normal(0, 0.02, (len(rows), base.shape[1])).astype(np.float32)
        out[rows] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def build(folder: Path, size: int, papers, base_vectors: np.ndarray) -> dict[str, float]:
    from paperfeed.search import keyword
    from paperfeed.search.embedding import model_id
    from paperfeed.search.snapshot import State, make_current, new_generation, write_state
    from paperfeed.search.vectors import VectorColumns, write_folder

    rng = np.random.default_rng(size)
    generation = new_generation()
    docs = list(perturbed(papers, size, rng))
    started = time.perf_counter()
    writer = keyword.open_index(generation / "keyword").writer(heap_size=512_000_000, num_threads=1)
    keyword.write_papers(writer, docs, replace=False)
    writer.commit()
    writer.wait_merging_threads()
    keyword_s = time.perf_counter() - started
    order = np.argsort(np.array([d.arxiv_id for d in docs]))
    vectors = noisy_vectors(base_vectors, size, rng)
    columns = VectorColumns(
        model_id(""),
        [docs[i].arxiv_id for i in order],
        vectors,
        np.array([(docs[i].day - dt.date(1970, 1, 1)).days for i in order], np.int32),
        np.array([docs[i].has_code for i in order]),
        [docs[i].categories for i in order],
    )
    started = time.perf_counter()
    write_folder(columns, generation / "vectors-bench")
    vectors_s = time.perf_counter() - started
    write_state(generation, State(vectors="vectors-bench", vector_count=size, model_id=model_id("")))
    make_current(generation)
    fts_s = build_fts(folder / "fts.sqlite3", docs)
    disk = sum(f.stat().st_size for f in generation.rglob("*") if f.is_file()) / 2**20
    return {"keyword_s": keyword_s, "vectors_s": vectors_s, "fts_s": fts_s, "disk_mib": disk, "vectors": vectors}  # type: ignore[dict-item]


def build_fts(path: Path, docs) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE papers USING fts5(arxiv_id UNINDEXED, title, abstract, tokenize='porter')")
    db.executemany("INSERT INTO papers VALUES (?, ?, ?)", ((d.arxiv_id, d.title, d.abstract) for d in docs))
    db.commit()
    db.close()
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    return tuple(float(np.percentile(samples, q) * 1000) for q in (50, 95, 99))  # type: ignore[return-value]


def serve(folder: Path, queries: list[str]) -> dict[str, object]:
    """In a fresh process: open the live index through the service and time each mode."""
    django_for(folder)
    from paperfeed.search import service
    from paperfeed.search.onnxmodel import prepare_runtime

    results: dict[str, object] = {"runtime": prepare_runtime()}  # as `paperfeed index` leaves a node
    service.search("warm up", mode="hybrid")
    for mode in ("keyword", "semantic", "hybrid"):
        samples = []
        for query in queries:
            service._embed_cached.cache_clear()  # the query's embedding is part of its latency
            started = time.perf_counter()
            service.search(query, mode=mode, limit=10)
            samples.append(time.perf_counter() - started)
        results[mode] = percentiles(samples)
    results["rss_mib"] = rss_mib()  # before the recall check, whose exact scan reads every vector
    results.update(vector_only(service, queries))
    return results


def vector_only(service, queries: list[str]) -> dict[str, object]:
    """Embedding alone, the vector index alone, and its recall@10 against an exact scan of the same vectors."""
    from paperfeed.search.snapshot import open_snapshot
    from paperfeed.search.vectors import exact_top

    started = time.perf_counter()
    embedded = [service.embed_query(query + " ") for query in queries]
    embed_ms = (time.perf_counter() - started) / len(queries) * 1000
    vectors = open_snapshot().vectors
    base = vectors.base  # the bench writes a base and no delta
    samples, recalls = [], []
    everything = np.arange(len(base))
    for query in embedded:
        started = time.perf_counter()
        found = vectors.nearest(query, 10)
        samples.append(time.perf_counter() - started)
        exact = exact_top(base.vectors, everything, query, 10)[0]
        recalls.append(len({base.row_of(p) for p, _ in found} & set(exact.tolist())) / 10)
    return {"embed_ms": embed_ms, "vectors": percentiles(samples), "recall": float(np.mean(recalls))}


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def baselines(folder: Path, vectors: np.ndarray, queries: list[str]) -> dict[str, tuple[float, float]]:
    from paperfeed.search.onnxmodel import configured_embedder, prepare_runtime

    prepare_runtime()
    embedder = configured_embedder()  # the service's own runtime, for a fair baseline
    samples, alone = [], []
    for text in queries:
        started = time.perf_counter()
        query = embedder.embed_query(text)
        middle = time.perf_counter()
        scores = vectors @ query
        np.argpartition(-scores, 10)[:10]
        samples.append(time.perf_counter() - started)
        alone.append(time.perf_counter() - middle)
    db = sqlite3.connect(folder / "fts.sqlite3")
    fts: dict[str, list[float]] = {"fts5": [], "fts5_fair": []}
    for query in queries:
        for key, words in (("fts5", query.replace('"', " ").split()), ("fts5_fair", tantivy_terms(query))):
            started = time.perf_counter()
            db.execute(
                "SELECT arxiv_id FROM papers WHERE papers MATCH ? ORDER BY bm25(papers, 2.0, 1.0) LIMIT 10",
                (" OR ".join(f'"{w}"' for w in words) or '""',),
            ).fetchall()
            fts[key].append(time.perf_counter() - started)
    return {"numpy": percentiles(samples), "numpy_alone": percentiles(alone)} | {
        key: percentiles(values) for key, values in fts.items()
    }


def tantivy_terms(query: str) -> list[str]:
    """The words paperfeed's keyword search looks up: split as tantivy's tokenizer splits, stop words dropped."""
    import re

    from paperfeed.search.keyword import analyze

    return [word for word in re.findall(r"[^\W_]+", query) if analyze(word)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000", help="comma-separated corpus sizes (default 100000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--serve", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--no-header", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    queries = list(load_scifact().queries.values())[: options.queries]
    if options.serve:
        print(json.dumps(serve(Path(options.serve), queries)))
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    if len(sizes) > 1:  # one process a size: Django reads its data directory once per process
        for n, size in enumerate(sizes):
            command = [sys.executable, __file__, "--sizes", str(size), "--queries", str(options.queries)]
            subprocess.run([*command, *([] if n == 0 else ["--no-header"])], check=True)
        return
    if not options.no_header:
        print(__doc__.split("\n\n")[2].replace("\n", " "))
    papers, base = real_papers(), real_vectors()
    header = (
        f"{'papers':>9} {'build kw s':>10} {'build vec s':>11} {'disk MiB':>9} {'RSS MiB':>8} {'mode':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  baseline p50/p95 ms, (baseline p95 / ours)"
    )
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="paperfeed-speed-") as name:
            folder = Path(name)
            django_for(folder)
            built = build(folder, size, papers, base)
            served = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--serve", name, "--queries", str(options.queries)],
                    check=True,
                    stdout=subprocess.PIPE,
                    text=True,
                ).stdout
            )
            base_line = baselines(folder, built.pop("vectors"), queries)  # type: ignore[arg-type]
            rows.append((size, built, served, base_line))
            print_rows(None if options.no_header else header, size, built, served, base_line)


def print_rows(header, size, built, served, base_line) -> None:
    if header:
        print(header)
    against = {
        "keyword": ("fts5", "SQLite FTS5"),
        "semantic": ("numpy", "numpy exact"),
        "hybrid": ("numpy", "numpy exact"),
        "vectors": ("numpy_alone", "numpy exact"),
    }
    for mode, (key, label) in against.items():
        p50, p95, p99 = served[mode]
        b50, b95, _ = base_line[key]
        print(
            f"{size:>9} {built['keyword_s']:>10.1f} {built['vectors_s']:>11.1f} {built['disk_mib']:>9.0f} "
            f"{served['rss_mib']:>8.0f} {mode:>8} {p50:>7.2f} {p95:>7.2f} {p99:>7.2f}  "
            f"{label} {b50:.2f}/{b95:.2f} (x{b95 / p95:.1f})"
        )
        if mode == "keyword":
            f50, f95, _ = base_line["fts5_fair"]
            print(f"{'':>9} {'':>75}  FTS5, the same terms as tantivy: {f50:.2f}/{f95:.2f} (x{f95 / p95:.1f})")
    print(
        f"{'':>9} semantic and hybrid include the query's embedding ({served['embed_ms']:.1f} ms mean, "
        f"{served['runtime']}), as does the "
        f"numpy row beside them; 'vectors' is the vector index alone, recall@10 {served['recall']:.3f} "
        f"against an exact scan; FTS5 build {built['fts_s']:.1f} s"
    )


if __name__ == "__main__":
    main()
