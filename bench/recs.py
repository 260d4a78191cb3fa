"""Recommendation quality: precision@10 of paperfeed's rankings against two baselines, in one run.

Run with `make bench` (or `.venv/bin/python bench/recs.py`). The corpus is
../shared/data/arxiv-ai-topics-doosik71: 4,082 papers filed under about 60 AI topics; every
topic with at least 30 papers is one user. Two ways to split a topic into library and targets:

- **topic**: 20 of its papers (seeded) are the library, the others are to be found among the
  whole corpus (minus the library);
- **time**: its 20 oldest papers (by arXiv id) are the library, its newer papers the targets,
  to be found among the corpus papers newer than the library (a real "what came out since").

Each split also runs as a cold start, a library of 5 papers, and with 2 (a new account's first
saves). Printed: mean precision@10 over users for

- the baselines: **arxiv-sanity-lite** (tf-idf of title and abstract, 1-2-grams, sublinear tf,
  and a LinearSVC with C=0.01, balanced classes, trained on the library against every other
  paper) and **zotero-arxiv-daily** (cosine similarity of each candidate to every library
  paper, weighted by how recently each was added: weight 1 / (1 + log10(rank + 1)), newest
  first, with arXiv id order standing in for the order of addition), and random in the window;
- paperfeed's model (paperfeed/recs/model.py: logistic regression over MiniLM vectors against
  random corpus papers; its cold-start ranking, the highest similarity to a library paper);
- a linear discriminant (the library's mean against the random papers', whitened by their
  shrunk covariance): a fit with no iterations, tried for the 10,000-reader digest;
- combinations: z-scored sums of the model with the tf-idf SVM and/or the recency-weighted
  similarity;
- thumbs down: the misses of the model's first top 10 become explicit negatives (weight 2) and
  the model is trained again, against the same first ranking with the misses merely removed.

Targets (issue 15): a 20-paper library >= 1.15x the better baseline; the 5-paper cold start
>= 1.3x random in the window. Embedding the corpus runs once on ONNX Runtime (about 15 minutes
on 2 busy cores); the vectors are cached under PAPERFEED_DATA_DIR/bench-cache.
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
MIN_TOPIC = 30
LIBRARY, COLD, TINY = 20, 5, 2  # library sizes: the 20 papers, a cold start, a first few saves
K = 10
SHRINKAGE = 3.0  # of the linear discriminant row (whitened_scores)
CHUNK = 256  # papers per cached block of vectors


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
    """MiniLM vectors of ``texts`` on ONNX Runtime, computed once in resumable chunks under data/bench-cache."""
    from paperfeed.search.embedding import load_embedder, model_id
    from paperfeed.search.onnxmodel import ensure_exported

    digest = hashlib.sha1(("\n".join(texts) + model_id("")).encode()).hexdigest()[:12]
    folder = DATA_DIR / "bench-cache" / f"recs-ai-topics-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    embedder = None
    parts = []
    for start in range(0, len(texts), CHUNK):
        part = folder / f"{start:06d}.npy"
        if not part.exists():
            embedder = embedder or load_embedder("", "cpu", ensure_exported(DATA_DIR))
            print(f"  embedding {start:,}/{len(texts):,}", file=sys.stderr, flush=True)
            np.save(part.with_suffix(".tmp.npy"), embedder.embed(texts[start : start + CHUNK], batch_size=32))
            part.with_suffix(".tmp.npy").replace(part)
        parts.append(np.load(part))
    return np.concatenate(parts)


def precision(ranked: np.ndarray, relevant: set[int]) -> float:
    return sum(1 for row in ranked[:K] if int(row) in relevant) / K


def top_rows(scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    return candidates[np.argsort(-scores[candidates], kind="stable")[:K]]


def zscore(scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    part = scores[candidates]
    return (scores - part.mean()) / (part.std() or 1.0)


def arxiv_sanity_scores(tfidf: Any, library: list[int]) -> np.ndarray:
    """arxiv-sanity-lite: tf-idf + LinearSVC(C=0.01, balanced) over the whole corpus."""
    from sklearn.svm import LinearSVC

    labels = np.zeros(tfidf.shape[0])
    labels[library] = 1
    svm = LinearSVC(class_weight="balanced", C=0.01, max_iter=10000, tol=1e-6)
    svm.fit(tfidf, labels)
    return np.asarray(svm.decision_function(tfidf))


def zotero_scores(vectors: np.ndarray, library: list[int]) -> np.ndarray:
    """zotero-arxiv-daily: similarity to each library paper, weighted by recency of addition (newest first)."""
    newest_first = library[::-1]  # libraries come in arXiv id order: the order of addition, here
    weights = 1 / (1 + np.log10(np.arange(len(newest_first)) + 1))
    return np.asarray((vectors @ vectors[newest_first].T) @ (weights / weights.sum()))


def random_rows(vectors: np.ndarray, exclude: list[int], seed: int) -> np.ndarray:
    from paperfeed.recs.service import RANDOM_NEGATIVES

    others = np.setdiff1d(np.arange(len(vectors)), exclude)
    return np.random.default_rng(seed).choice(others, min(len(others), RANDOM_NEGATIVES), replace=False)


def model_scores(vectors: np.ndarray, library: list[int], seed: int, negatives: list[int] | None = None) -> np.ndarray:
    from paperfeed.recs import model

    turned_down = vectors[negatives or []]
    randoms = vectors[random_rows(vectors, library + (negatives or []), seed)]
    return model.rank(vectors[library], turned_down, randoms, vectors).scores


def whitened_scores(vectors: np.ndarray, library: list[int], seed: int) -> np.ndarray:
    """Linear discriminant of the library against the random papers' shrunk covariance (no iterations).

    Tried as a fit 100x cheaper than logistic regression: shrinkage 0.1, 0.3, 1 and 3 x the mean
    variance were measured; 3 was best, the row printed. With thumbs down (the negatives' mean
    moved halfway to the misses') it lost 0.05-0.2 against removing the misses, so it is not kept.
    """
    randoms = vectors[random_rows(vectors, library, seed)].astype(np.float64)
    covariance = np.cov(randoms, rowvar=False)
    ridge = SHRINKAGE * np.trace(covariance) / len(covariance)
    weights = np.linalg.solve(covariance + ridge * np.eye(len(covariance)), vectors[library].mean(0) - randoms.mean(0))
    return vectors @ weights


def similarity_scores(vectors: np.ndarray, library: list[int]) -> np.ndarray:
    from paperfeed.recs import model

    return model.score(vectors[library], vectors, None).scores


def split(topic: str, rows: set[int], ids: list[str], how: str, size: int) -> tuple[list[int], set[int], np.ndarray]:
    """(library rows, target rows, candidate rows) of one topic."""
    members = sorted(rows, key=lambda row: ids[row])
    if how == "topic":
        random.Random(topic).shuffle(members)
        library, targets = sorted(members[:LIBRARY][:size], key=lambda row: ids[row]), set(members[LIBRARY:])
        return library, targets, np.setdiff1d(np.arange(len(ids)), library)
    library, targets = members[:LIBRARY][-size:], set(members[LIBRARY:])  # the newest of the 20 oldest
    newest = ids[members[LIBRARY - 1]]
    return library, targets, np.array([row for row, arxiv_id in enumerate(ids) if arxiv_id > newest])


def run_user(
    vectors: np.ndarray, tfidf: Any, library: list[int], targets: set[int], candidates: np.ndarray, seed: int
) -> dict[str, float]:
    """precision@10 of every ranking for one library."""
    scores = {
        "arxiv-sanity-lite (tf-idf SVM)": arxiv_sanity_scores(tfidf, library),
        "zotero-arxiv-daily (recency-weighted sim)": zotero_scores(vectors, library),
        "paperfeed LR (the service)": model_scores(vectors, library, seed),
        "paperfeed max similarity (cold-start rule)": similarity_scores(vectors, library),
    }
    scores[f"whitened (LDA), shrinkage {SHRINKAGE}"] = whitened_scores(vectors, library, seed)
    z = {name: zscore(values, candidates) for name, values in scores.items()}
    lr, svm, zot = (
        z["paperfeed LR (the service)"],
        z["arxiv-sanity-lite (tf-idf SVM)"],
        z["zotero-arxiv-daily (recency-weighted sim)"],
    )
    scores["LR + tf-idf SVM"] = lr + svm
    scores["LR + recency-weighted sim"] = lr + zot
    scores["LR + tf-idf SVM + recency-weighted sim"] = lr + svm + zot
    result = {name: precision(top_rows(values, candidates), targets) for name, values in scores.items()}
    result["random in the window"] = len(targets & set(candidates.tolist())) / len(candidates)
    first = top_rows(scores["paperfeed LR (the service)"], candidates)
    misses = [int(row) for row in first if int(row) not in targets]
    kept = np.setdiff1d(candidates, misses)
    result["LR, first misses removed"] = precision(top_rows(scores["paperfeed LR (the service)"], kept), targets)
    retrained = model_scores(vectors, library, seed, negatives=misses)
    result["LR + first misses as thumbs down"] = precision(top_rows(retrained, kept), targets)
    return result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    os.environ.setdefault("PAPERFEED_SECRET_KEY", "bench")
    import django

    django.setup()
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids, texts, topics = load_corpus()
    print(f"corpus: {len(ids):,} papers, {len(topics)} topics with >= {MIN_TOPIC} papers (one user each)")
    vectors = vectors_for(texts)
    tfidf = TfidfVectorizer(
        strip_accents="unicode", stop_words="english", ngram_range=(1, 2), sublinear_tf=True,
        max_features=20000, max_df=0.10, min_df=5, token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
    ).fit_transform(texts)  # fmt: skip
    for how in ("topic", "time"):
        for size in (LIBRARY, COLD, TINY):
            started = time.perf_counter()
            results: dict[str, list[float]] = {}
            for seed, (topic, rows) in enumerate(sorted(topics.items())):
                library, targets, candidates = split(topic, rows, ids, how, size)
                for name, value in run_user(vectors, tfidf, library, targets, candidates, seed).items():
                    results.setdefault(name, []).append(value)
            report(f"{how} split, {size}-paper library", results, time.perf_counter() - started)


def report(title: str, results: dict[str, list[float]], seconds: float) -> None:
    means = {name: float(np.mean(values)) for name, values in results.items()}
    best_baseline = max(means["arxiv-sanity-lite (tf-idf SVM)"], means["zotero-arxiv-daily (recency-weighted sim)"])
    print(f"\n{title} ({len(next(iter(results.values())))} users, {seconds:.0f} s)")
    for name, mean in means.items():
        print(f"  {name:44s} precision@{K} {mean:.3f}  {mean / best_baseline:5.2f}x better baseline  "
              f"{mean / means['random in the window']:6.1f}x random")  # fmt: skip


if __name__ == "__main__":
    main()
