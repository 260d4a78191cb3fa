"""Per-user models kept in their own table, and the random negatives drawn from one pool per process.

10,000 digest readers are 10,000 models: they must outlive the page cache (a few thousand
entries), and training them must not read the corpus once per user (bench/digests.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paperfeed.accounts.library import save_paper
from paperfeed.papers.models import Paper
from paperfeed.recs import model, service, vectors
from paperfeed.recs.models import TrainedModel
from paperfeed.recs.service import recommend
from paperfeed.search.models import PaperVector
from tests import recs_support
from tests.personas import make_user

corpus = recs_support.corpus  # the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def fits(monkeypatch) -> list[int]:
    counted: list[int] = []
    real_fit = model.fit
    monkeypatch.setattr(model, "fit", lambda *args: counted.append(1) or real_fit(*args))
    return counted


def library(user: User, papers) -> None:  # type: ignore[no-untyped-def]
    for paper in papers:
        save_paper(user, paper)


def test_a_kept_model_outlives_the_page_cache_and_ranks_as_the_fresh_one(corpus, fits):
    alice = make_user("alice")
    library(alice, corpus["Imitation_Learning"][:5])
    first = recommend(alice, limit=10)
    cache.clear()  # what a full page cache does to its oldest entries
    assert recommend(alice, limit=10) == first
    assert len(fits) == 1
    kept = TrainedModel.objects.get(user=alice)
    assert np.frombuffer(bytes(kept.weights), dtype="<f8").shape == (384,)


def test_a_changed_library_replaces_the_users_one_row(corpus, fits):
    alice = make_user("alice")
    library(alice, corpus["Imitation_Learning"][:5])
    recommend(alice, limit=5)
    key = TrainedModel.objects.get(user=alice).key
    save_paper(alice, corpus["Imitation_Learning"][5])
    recommend(alice, limit=5)
    assert len(fits) == 2
    assert TrainedModel.objects.filter(user=alice).count() == 1
    assert TrainedModel.objects.get(user=alice).key != key


def test_the_pool_is_random_papers_with_vectors_read_once_until_vectors_change(corpus):
    ids_with_vectors = set(PaperVector.objects.values_list("paper_id", flat=True))
    pool = vectors.random_pool(12)
    assert len(pool.ids) == len(set(pool.ids)) == 12 and set(pool.ids) <= ids_with_vectors
    vectors._pools.clear()
    assert vectors.random_pool(12).ids == pool.ids  # the same papers in every process
    assert pool.vectors.shape == (12, 384)
    assert vectors.random_pool(len(ids_with_vectors) + 50).ids.__len__() == len(ids_with_vectors)  # fewer: all
    first = vectors.random_pool(12)
    with CaptureQueriesContext(connection) as queries:
        again = vectors.random_pool(12)
    assert again is first
    assert len(queries) == 3  # the bounds only, each from its index: the pool itself comes from memory
    PaperVector.objects.filter(paper_id=min(ids_with_vectors)).delete()
    assert min(ids_with_vectors) not in vectors.random_pool(len(ids_with_vectors)).ids  # changed: read again


def test_a_users_own_papers_are_never_among_their_random_negatives(corpus, monkeypatch):
    monkeypatch.setattr(service, "RANDOM_NEGATIVES", 25)
    monkeypatch.setattr(service, "POOL_MARGIN", 5)
    own = corpus["Keyword_Spotting"][:4]
    negatives = service.random_negatives({p.pk for p in own})
    own_rows = {p.pk: row for p, row in zip(own, vectors.paper_vectors(p.pk for p in own)[1], strict=True)}
    assert len(negatives) == 25
    for row in own_rows.values():
        assert not np.any(np.all(np.isclose(negatives, row), axis=1))


def test_training_many_users_samples_the_pool_once(corpus, monkeypatch):
    samples: list[int] = []
    real = vectors._sampled
    monkeypatch.setattr(vectors, "_sampled", lambda *args: samples.append(1) or real(*args))
    vectors._pools.clear()
    users = [make_user(f"reader{n}") for n in range(3)]
    for n, user in enumerate(users):
        library(user, corpus["Medical_Image_Segmentation"][n : n + 3])
        recommend(user, limit=3)
    assert TrainedModel.objects.count() == 3
    assert samples == [1]


def test_readers_of_one_window_share_its_vectors_read_once(corpus, monkeypatch):
    window = [p.pk for topic in corpus.values() for p in topic[5:]]
    reads: list[int] = []
    real = vectors.paper_vectors
    monkeypatch.setattr(vectors, "paper_vectors", lambda ids: reads.append(1) or real(ids))
    vectors._shared.clear()
    users = [make_user(f"reader{n}") for n in range(3)]
    for n, user in enumerate(users):
        library(user, [corpus["Keyword_Spotting"][n]])
    picked = [recommend(user, limit=3, candidate_ids=window) for user in users]
    assert reads == [1]  # the window's vectors, once for all three readers
    assert all(r.paper.pk in window for recs in picked for r in recs)
    by_queryset = recommend(users[0], limit=3, candidates=Paper.objects.filter(pk__in=window))
    assert [r.paper for r in picked[0]] == [r.paper for r in by_queryset]  # the same ranking either way
