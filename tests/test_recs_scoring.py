"""The per-user model's scoring as a digest uses it: only the shown rows ordered, known rows
skipped, one BLAS thread; and a reader's library read in one query."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from threadpoolctl import threadpool_info

from paperfeed.accounts.library import save_paper
from paperfeed.lib.threads import one_thread
from paperfeed.papers.models import Paper
from paperfeed.recs import model, service
from paperfeed.recs.service import library_of, recommend
from tests import recs_support
from tests.personas import make_user

corpus = recs_support.corpus  # the fixture


def unit_rows(rng: np.random.Generator, count: int) -> np.ndarray:
    rows = rng.normal(size=(count, 384)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("trained", [True, False])
def test_the_best_rows_are_the_full_orders_first_with_their_nearest_library_paper(trained):
    rng = np.random.default_rng(7)
    positives, candidates = unit_rows(rng, 6), unit_rows(rng, 500)
    fitted = model.fit(positives, positives[:0], unit_rows(rng, 300)) if trained else None
    full = model.score(positives, candidates, fitted)
    best = model.score(positives, candidates, fitted, top=10)
    assert list(best.order) == list(full.order[:10]) and len(best.order) == 10
    assert list(best.nearest) == list((candidates[best.order] @ positives.T).argmax(axis=1))
    assert list(full.nearest) == list((candidates[full.order] @ positives.T).argmax(axis=1))


def test_skipped_rows_are_never_ranked_even_when_few_are_left():
    rng = np.random.default_rng(8)
    positives, candidates = unit_rows(rng, 3), unit_rows(rng, 40)
    full = model.score(positives, candidates, None)
    skip = [int(row) for row in full.order[:5]]  # the five best
    ranked = model.score(positives, candidates, None, top=10, skip=skip)
    assert not set(ranked.order) & set(skip)
    assert list(ranked.order) == list(full.order[5:15])
    assert len(model.score(positives, candidates, None, top=50, skip=list(range(35))).order) == 5


def test_ties_keep_the_lower_row_first_in_the_best_rows():
    positives = np.eye(384, dtype=np.float32)[:1]
    candidates = np.repeat(positives, 30, axis=0)  # thirty equal scores
    assert list(model.score(positives, candidates, None, top=4).order) == [0, 1, 2, 3]


def test_scoring_and_fitting_run_blas_and_openmp_on_one_thread():
    rng = np.random.default_rng(9)
    model.fit(unit_rows(rng, 4), unit_rows(rng, 0), unit_rows(rng, 50))  # sklearn (and its OpenMP) loaded
    with one_thread():
        inside = threadpool_info()
    assert [lib for lib in inside if lib["user_api"] == "blas"], "numpy's BLAS is among the limited libraries"
    assert {lib["num_threads"] for lib in inside if lib["user_api"] in {"blas", "openmp"}} == {1}


@pytest.mark.django_db
def test_a_readers_library_is_read_in_one_query_and_counts_from_the_last_reset(corpus):
    alice = make_user("alice")
    old, new = corpus["Imitation_Learning"][:2], corpus["Imitation_Learning"][2:5]
    for paper in old:
        save_paper(alice, paper)
    service.turn_down(alice, corpus["Keyword_Spotting"][0])
    service.reset(alice)
    for paper in new:
        save_paper(alice, paper)
    service.turn_down(alice, corpus["Keyword_Spotting"][1])
    with CaptureQueriesContext(connection) as queries:
        mine = library_of(alice)
    assert len(queries) == 1
    assert set(mine.saved) == {p.pk for p in new} and mine.upvoted == []
    assert mine.turned_down == [corpus["Keyword_Spotting"][1].pk]
    assert mine.saved[0] == new[-1].pk  # newest first


@pytest.mark.django_db
def test_papers_a_digest_leaves_out_are_never_recommended(corpus):
    alice = make_user("alice")
    for paper in corpus["Medical_Image_Segmentation"][:4]:
        save_paper(alice, paper)
    window = [p.pk for p in Paper.objects.order_by("pk")]
    first = recommend(alice, limit=3, candidate_ids=window)
    left_out = {r.paper.pk for r in first}
    again = recommend(alice, limit=3, candidate_ids=window, exclude=left_out)
    assert len(again) == 3 and not {r.paper.pk for r in again} & left_out
