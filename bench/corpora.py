"""The benchmark corpora (SciFact, CSFCube; non-commercial, read in place) and their cached embeddings."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SHARED = Path(os.environ.get("PAPERFEED_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
SCIFACT = SHARED / "scifact" / "beir_format"
CSFCUBE = SHARED / "csfcube"
HF_DAILY = SHARED / "hf-daily-papers-hfbot-2026-02" / "dates"
CS_DAILY = SHARED / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
CACHE = Path(os.environ.get("PAPERFEED_DATA_DIR", Path(__file__).resolve().parents[1] / "data")) / "bench-cache"


@dataclass
class Corpus:
    name: str
    ids: list[str]
    titles: list[str]
    abstracts: list[str]
    queries: dict[str, str] = field(default_factory=dict)
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)
    pools: dict[str, list[str]] = field(default_factory=dict)


def load_scifact(split: str = "test") -> Corpus:
    ids, titles, abstracts = [], [], []
    with (SCIFACT / "corpus.jsonl").open() as lines:
        for line in lines:
            doc = json.loads(line)
            ids.append(doc["_id"])
            titles.append(doc.get("title", ""))
            abstracts.append(doc.get("text", ""))
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with (SCIFACT / "qrels" / f"{split}.tsv").open() as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            qrels[row["query-id"]][row["corpus-id"]] = int(row["score"])
    with (SCIFACT / "queries.jsonl").open() as lines:
        queries = {q["_id"]: q["text"] for q in map(json.loads, lines) if q["_id"] in qrels}
    return Corpus("scifact", ids, titles, abstracts, queries, dict(qrels))


def load_csfcube() -> Corpus:
    """Facet-agnostic query by example: each query paper's pool, graded by its adjudicated relevance."""
    ids, titles, abstracts = [], [], []
    with (CSFCUBE / "derived" / "abstracts-from-readable-annotations.jsonl").open() as lines:
        for doc in map(json.loads, lines):
            ids.append(str(doc["paper_id"]))
            titles.append(doc["title"])
            abstracts.append(" ".join(doc["abstract_sentences"]))
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    pools: dict[str, list[str]] = defaultdict(list)
    for facet in ("background", "method", "result"):
        annotations = json.loads((CSFCUBE / f"test-pid2anns-csfcube-{facet}.json").read_text())
        for query, judged in annotations.items():
            for candidate, grade in zip(judged["cands"], judged["relevance_adju"], strict=True):
                qrels[query][candidate] = max(int(grade), qrels[query].get(candidate, 0))
                if candidate not in pools[query]:
                    pools[query].append(candidate)
    known = set(ids)
    pools = {q: [c for c in cands if c in known] for q, cands in pools.items() if q in known}
    return Corpus("csfcube", ids, titles, abstracts, {q: q for q in pools}, dict(qrels), pools)


def hf_abstract(abstract: str, summary: str) -> str:
    """The real abstract: the scrape prepends the HF AI summary sentence to most of them (hf SOURCE.md)."""
    abstract, summary = abstract.strip(), summary.strip()
    return abstract[len(summary) :].strip() if summary and abstract.startswith(summary) else abstract


def usable_summary(summary: str) -> bool:
    """An English one-sentence summary (a few records carry a bot notice, a title or Chinese text instead)."""
    return (
        len(summary.split()) >= 8 and "automated message" not in summary and sum(ord(c) > 0x2E7F for c in summary) < 3
    )


def load_paraphrase(distractors: int | None = None, seed: int = 14) -> Corpus:
    """HF daily papers' ``summary_en`` as queries, each paper hidden among the shared recent cs papers.

    ``distractors``: a seeded random subset of the 27k cs papers (None: all of them). Papers
    without an abstract are left out; a query's only relevant paper is its own.
    """
    hf: dict[str, tuple[str, str, str]] = {}
    for day in sorted(HF_DAILY.glob("*.json")):
        for paper in json.loads(day.read_text())["papers"]:
            abstract = hf_abstract(paper["abstract"] or "", paper["summary_en"] or "")
            if abstract:
                hf[paper["paper_id"]] = (paper["title"].strip(), abstract, (paper["summary_en"] or "").strip())
    with gzip.open(CS_DAILY, "rt") as lines:
        others = [row for row in map(json.loads, lines) if row["id"] not in hf and str(row["summary"]).strip()]
    if distractors is not None and distractors < len(others):
        picked = np.random.default_rng(seed).choice(len(others), distractors, replace=False)
        others = [others[n] for n in sorted(picked)]
    ids = list(hf) + [row["id"] for row in others]
    titles = [hf[i][0] for i in hf] + [" ".join(str(row["title"]).split()) for row in others]
    abstracts = [hf[i][1] for i in hf] + [" ".join(str(row["summary"]).split()) for row in others]
    queries = {i: summary for i, (_, _, summary) in hf.items() if usable_summary(summary)}
    name = "paraphrase" if distractors is None else f"paraphrase{distractors}"
    return Corpus(name, ids, titles, abstracts, queries, {i: {i: 1} for i in queries})


def cached_embeddings(corpus: Corpus, model_id: str, texts: list[str], embed, chunk: int = 256) -> np.ndarray:
    """Embeddings of ``texts``, computed once in resumable chunks under data/bench-cache."""
    key = hashlib.sha256(("\n".join(texts) + model_id).encode()).hexdigest()[:16]
    folder = CACHE / f"{corpus.name}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for start in range(0, len(texts), chunk):
        part = folder / f"{start:08d}.npy"
        if not part.exists():
            print(f"  embedding {corpus.name} {start}/{len(texts)}", file=sys.stderr, flush=True)
            np.save(part.with_suffix(".tmp.npy"), embed(texts[start : start + chunk]))
            part.with_suffix(".tmp.npy").replace(part)
        parts.append(np.load(part))
    return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)
