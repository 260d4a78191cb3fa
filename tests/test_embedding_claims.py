"""Embedding work is claimed in batches as rows (search/indexing.py claim_batch): embed lanes on
several nodes share a backfill, no paper is embedded or written twice, and a dead lane's batch
is taken over once its claim runs out. On SQLite and PostgreSQL alike (threads stand for nodes:
each has its own database connection)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from paperfeed.papers.models import Paper
from paperfeed.search.embedding import Embedder, model_id
from paperfeed.search.indexing import claim_batch, embed_next_batch, pending_papers
from paperfeed.search.models import EmbeddingClaim, PaperVector
from tests.conftest import import_day, race

MODEL = model_id("")


class CountingEncoder:
    """Stands in for the model (the claims are what is tested): unit vectors, and a count of every text embedded."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        with self.lock:
            self.seen.update(texts)
        time.sleep(0.02)  # long enough for the lanes to interleave
        vectors = np.random.default_rng(len(texts)).normal(size=(len(texts), 384)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.django_db(transaction=True)
def test_three_lanes_share_a_backfill_and_embed_each_paper_once() -> None:
    import_day()  # 220 real papers of 2 March 2026
    encoder = CountingEncoder()
    embedder = Embedder(MODEL, 384, encoder)

    def lane(_: int) -> int:
        done = 0
        while handled := embed_next_batch(embedder, 16):
            done += handled
        return done

    done = race(lane, 3)
    assert all(isinstance(count, int) for count in done), done
    papers = Paper.objects.count()
    assert sum(done) == papers == PaperVector.objects.filter(model_id=MODEL).count()  # type: ignore[arg-type]
    assert len(encoder.seen) == papers and set(encoder.seen.values()) == {1}  # no text embedded twice
    assert not pending_papers(MODEL).exists() and not EmbeddingClaim.objects.exists()


@pytest.mark.django_db
def test_a_live_claim_is_left_alone_and_a_dead_lanes_claim_is_taken_over(settings) -> None:  # type: ignore[no-untyped-def]
    import_day()
    first, second = Paper.objects.order_by("arxiv_id")[:2]
    now = timezone.now()
    EmbeddingClaim.objects.create(paper=first, batch="live-lane", claimed_until=now + dt.timedelta(minutes=5))
    EmbeddingClaim.objects.create(paper=second, batch="dead-lane", claimed_until=now - dt.timedelta(seconds=1))
    batch, papers = claim_batch(MODEL, 500)
    ids = {paper["pk"] for paper in papers}
    assert first.pk not in ids and second.pk in ids and len(ids) == Paper.objects.count() - 1
    assert set(EmbeddingClaim.objects.filter(paper=second).values_list("batch", flat=True)) == {batch}


@pytest.mark.django_db
def test_a_claim_of_a_killed_process_on_this_host_is_taken_at_once() -> None:
    """`paperfeed index` killed mid-batch and run again on the same machine: its batch is not left for 10 minutes."""
    import socket
    import subprocess

    import_day()
    first, second = Paper.objects.order_by("arxiv_id")[:2]
    dead = subprocess.Popen(["true"])  # a process that has ended
    dead.wait()
    later = timezone.now() + dt.timedelta(minutes=10)
    host = socket.gethostname()
    EmbeddingClaim.objects.create(paper=first, batch=f"{host}:{dead.pid}:abc", claimed_until=later)
    EmbeddingClaim.objects.create(paper=second, batch=f"other-host:{dead.pid}:abc", claimed_until=later)
    _, papers = claim_batch(MODEL, 500)
    ids = {paper["pk"] for paper in papers}
    assert first.pk in ids and second.pk not in ids  # another host's lane may be alive: its claim stands
