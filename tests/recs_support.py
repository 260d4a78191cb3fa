"""Thirty real papers of three topics (arxiv-ai-topics-doosik71) with real vectors, for recommendation tests."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

import pytest
from django.utils import timezone

from paperfeed.papers.models import Paper
from paperfeed.search.indexing import embed_pending
from tests.conftest import shared
from tests.search_support import embedder

TOPICS = ("Keyword_Spotting", "Imitation_Learning", "Medical_Image_Segmentation")
PER_TOPIC = 10
DAY = dt.date(2026, 3, 2)


@cache
def topic_records() -> dict[str, list[dict[str, str]]]:
    chosen: dict[str, list[dict[str, str]]] = {topic: [] for topic in TOPICS}
    seen = set()
    with shared("arxiv-ai-topics-doosik71", "papers.jsonl").open() as lines:
        for line in lines:
            record = json.loads(line)
            arxiv_id = record["arxiv_id_versioned"].rsplit("v", 1)[0]
            if record["topic"] in chosen and len(chosen[record["topic"]]) < PER_TOPIC and arxiv_id not in seen:
                seen.add(arxiv_id)
                chosen[record["topic"]].append({**record, "arxiv_id": arxiv_id})
    return chosen


@pytest.fixture
def corpus(db: None) -> dict[str, list[Paper]]:
    """Thirty real papers announced on 2 March 2026, ten per topic, with real vectors."""
    papers: dict[str, list[Paper]] = {}
    for topic, records in topic_records().items():
        papers[topic] = [
            Paper.objects.create(
                arxiv_id=r["arxiv_id"],
                title=r["title"],
                abstract=r["abstract"],
                authors=r["authors"].split(", "),
                categories=["cs.LG"],
                announced_on=DAY,
                changed_at=timezone.now(),
            )
            for r in records
        ]
    embed_pending(embedder())
    return papers


def topic_of(corpus: dict[str, list[Paper]], paper: Paper) -> str:
    return next(topic for topic, papers in corpus.items() if paper in papers)
