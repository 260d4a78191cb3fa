"""Recommendation quality: precision@10 on topic libraries, against arxiv-sanity-lite's baseline.

Run with `make bench` (or `.venv/bin/python bench/recs.py`). The corpus is
../shared/data/arxiv-ai-topics-doosik71: 4,082 papers filed under about 60 AI topics. For each
topic with at least 10 papers, half its papers (seeded) are a user's library; the other half
must be found among the whole corpus (minus the library). Printed: mean precision@10 over
topics for

- paperfeed's model (paperfeed/recs/model.py: logistic regression over MiniLM vectors, random
  corpus papers as negatives; the cold-start similarity ranking is printed too), and
- the baseline measured in the same run: arxiv-sanity-lite's recipe, tf-idf of title and
  abstract (1-2-grams, sublinear tf) and a LinearSVC (C=0.01, balanced classes) trained on the
  library against every other paper.

Target: paperfeed above the baseline. Embedding the corpus takes about 6 minutes on 2 cores the
first time; the vectors are cached under PAPERFEED_DATA_DIR/bench/ (never in the repository).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "arxiv-ai-topics-doosik71" / "papers.jsonl"
DATA_DIR = Path(os.environ.get("PAPERFEED_DATA_DIR", ROOT / "data"))
MIN_TOPIC = 10
K = 10


def load_corpus() -> tuple[list[str], list[str], dict[str, set[int]]]:
    """(arxiv ids, texts, topic -> paper rows); a paper filed under several topics is one row."""
    ids: list[str] = []
    texts: list[str] = []
    topics: dict[str, set[int]] = {}
    row_of: dict[str, int] = {}
    with CORPUS.open() as lines:
        for line in lines:
            record = json.loads(line)
            arxiv_id = record["arxiv_id_versioned"].rsplit("v", 1)[0]
            if arxiv_id not in row_of:
                row_of[arxiv_id] = len(ids)
                ids.append(arxiv_id)
                texts.append(f"{record['title']}. {record['abstract']}")
            topics.setdefault(record["topic"], set()).add(row_of[arxiv_id])
    return ids, texts, {t: rows for t, rows in topics.items() if len(rows) >= MIN_TOPIC}


def vectors_for(texts: list[str]) -> np.ndarray:
    from paperfeed.search.embedding import load_embedder, model_id, paper_text  # noqa: F401 (same text as the store)

    digest = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:12]
    cache = DATA_DIR / "bench" / f"ai-topics-{model_id('').replace('/', '_').replace(':', '_')}-{digest}.npy"
    if cache.exists():
        return np.load(cache)
    started = time.perf_counter()
    embedder = load_embedder("", "cpu")
    vectors = embedder.embed(texts, batch_size=32)
    print(f"embedded {len(texts):,} papers in {time.perf_counter() - started:.0f} s (cached in {cache})")
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def precision(ranked: np.ndarray, relevant: set[int]) -> float:
    return sum(1 for row in ranked[:K] if int(row) in relevant) / K


def top_rows(scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    return candidates[np.argsort(-scores[candidates], kind="stable")[:K]]


def baseline_scores(tfidf: Any, library: list[int]) -> np.ndarray:
    """arxiv-sanity-lite: tf-idf + LinearSVC(C=0.01, balanced) over the whole corpus."""
    from sklearn.svm import LinearSVC

    labels = np.zeros(tfidf.shape[0])
    labels[library] = 1
    svm = LinearSVC(class_weight="balanced", C=0.01, max_iter=10000, tol=1e-6)
    svm.fit(tfidf, labels)
    return np.asarray(svm.decision_function(tfidf))


def ours_scores(vectors: np.ndarray, library: list[int], seed: int, cold: bool) -> np.ndarray:
    from paperfeed.recs import model
    from paperfeed.recs.service import RANDOM_NEGATIVES

    others = np.setdiff1d(np.arange(len(vectors)), library)
    count = min(len(others), RANDOM_NEGATIVES)
    randoms = np.random.default_rng(seed).choice(others, count, replace=False)
    positives = vectors[library] if not cold else vectors[library[: model.MIN_POSITIVES - 1]]
    ranking = model.rank(positives, vectors[:0], vectors[randoms], vectors)
    return ranking.scores


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    os.environ.setdefault("PAPERFEED_SECRET_KEY", "bench")
    import django

    django.setup()
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids, texts, topics = load_corpus()
    print(f"corpus: {len(ids):,} papers, {len(topics)} topics with >= {MIN_TOPIC} papers")
    vectors = vectors_for(texts)
    started = time.perf_counter()
    tfidf = TfidfVectorizer(
        strip_accents="unicode", stop_words="english", ngram_range=(1, 2), sublinear_tf=True,
        max_features=20000, max_df=0.10, min_df=5, token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
    ).fit_transform(texts)  # fmt: skip
    results: dict[str, list[float]] = {"paperfeed": [], "paperfeed cold start (4 papers)": [], "baseline": []}
    timings = {name: 0.0 for name in results}
    for number, (topic, rows) in enumerate(sorted(topics.items())):
        members = sorted(rows)
        random.Random(f"{topic}").shuffle(members)
        library, held_out = sorted(members[: len(members) // 2]), set(members[len(members) // 2 :])
        candidates = np.setdiff1d(np.arange(len(ids)), library)
        for name in results:
            tick = time.perf_counter()
            if name == "baseline":
                scores = baseline_scores(tfidf, library)
            else:
                scores = ours_scores(vectors, library, number, cold=name != "paperfeed")
            results[name].append(precision(top_rows(scores, candidates), held_out))
            timings[name] += time.perf_counter() - tick
    print(f"ranked {len(topics)} topic libraries in {time.perf_counter() - started:.0f} s")
    base = float(np.mean(results["baseline"]))
    for name, values in results.items():
        mean = float(np.mean(values))
        print(
            f"{name:34s} precision@{K} {mean:.3f}  ({mean / base:.2f}x baseline)  "
            f"{timings[name] / len(values) * 1000:.0f} ms per library"
        )
    print("target: paperfeed above the baseline:", "met" if np.mean(results["paperfeed"]) > base else "NOT met")


if __name__ == "__main__":
    main()
