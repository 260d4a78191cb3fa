"""Finding a paper from a description in other words: the paraphrase benchmark of bench/relevance.py.

Queries: the one-sentence AI summaries (``summary_en``) of the Hugging Face daily papers of
February 2026 (../shared/data/hf-daily-papers-hfbot-2026-02), written independently of the
abstracts. Target: the summarised paper, hidden among the shared recent cs papers
(../shared/data/arxiv-cs-daily-2026-dengwei; all 27k, or a seeded random subset). The scrape
prepends the summary sentence to most abstracts: it is stripped first (bench/corpora.py,
``hf_abstract``), or the task would be trivial. Queries are split in a seeded tuning half and a
test half; figures for the test half are the ones to quote.
"""

from __future__ import annotations

import numpy as np
from corpora import Corpus

SPLIT_SEED = 14


def without_title_words(corpus: Corpus) -> Corpus:
    """The same task with every query word whose stem is in its paper's title dropped (the harder variant).

    The AI summaries name the paper's system ("PaperBanana is an agentic framework ..."), which
    keyword search finds at once; a person describing a paper they have not read by name does not
    have those words. Stems as paperfeed's keyword index makes them (keyword.analyze).
    """
    import re

    from paperfeed.search.keyword import analyze

    title = dict(zip(corpus.ids, corpus.titles, strict=True))
    queries = {}
    for paper, summary in corpus.queries.items():
        named = set(analyze(title[paper]))
        words = [w for w in re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", summary) if not set(analyze(w)) & named]
        queries[paper] = " ".join(words)
    return Corpus(corpus.name, corpus.ids, corpus.titles, corpus.abstracts, queries, corpus.qrels, corpus.pools)


def halves(corpus: Corpus, seed: int = SPLIT_SEED) -> tuple[list[str], list[str]]:
    """The query ids in a seeded tuning half and a test half."""
    ids = sorted(corpus.queries)
    order = np.random.default_rng(seed).permutation(len(ids))
    cut = len(ids) // 2
    return sorted(ids[n] for n in order[:cut]), sorted(ids[n] for n in order[cut:])


def reciprocal_rank(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    for rank, doc in enumerate(ranked[:k], start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def hit_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    return float(any(relevant.get(doc, 0) > 0 for doc in ranked[:k]))


def paraphrase_rows(corpus: Corpus, queries: list[str], plain) -> list[tuple[str, float, float]]:
    """MRR@10 and Recall@10 of each mode through ``service.search`` (the default settings)."""
    from paperfeed.search.service import search

    rows = []
    for label, mode in [
        ("keyword (BM25, tantivy)", "keyword"),
        ("semantic (MiniLM-L6 fp32)", "semantic"),
        ("hybrid (paperfeed's default)", "hybrid"),
    ]:
        runs = [[h.arxiv_id for h in search(plain(corpus.queries[q]), mode=mode, limit=10).hits] for q in queries]
        grades = [corpus.qrels[q] for q in queries]
        rows.append(
            (
                label,
                float(np.mean([reciprocal_rank(r, g) for r, g in zip(runs, grades, strict=True)])),
                float(np.mean([hit_at(r, g) for r, g in zip(runs, grades, strict=True)])),
            )
        )
    return rows
