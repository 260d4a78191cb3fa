"""Recommendations: cold start, the trained model, the "why", thumbs down, reset; page, API, digest.

Papers are real (three topics of arxiv-ai-topics-doosik71) and their vectors come from the real
embedding model, computed once per session (tests/search_support.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.tokens import create_token
from paperfeed.digests.compose import compose_digest
from paperfeed.papers.models import Vote
from paperfeed.recs import model
from paperfeed.recs.service import recommend, reset, turn_down
from tests import recs_support
from tests.digest_support import SLOT, subscriber
from tests.recs_support import topic_of

corpus = recs_support.corpus  # the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", "alice@example.org", "pw")


def test_a_small_library_ranks_its_topic_first_and_says_why(corpus, alice):
    spotting = corpus["Keyword_Spotting"]
    save_paper(alice, spotting[0])
    Vote.objects.create(user=alice, paper=spotting[1], created_at=timezone.now())
    recs = recommend(alice, limit=5)
    assert [topic_of(corpus, r.paper) for r in recs] == ["Keyword_Spotting"] * 5
    assert not {spotting[0], spotting[1]} & {r.paper for r in recs}
    for rec in recs:
        assert rec.because in (spotting[0], spotting[1])
        verb = "saved" if rec.because == spotting[0] else "upvoted"
        assert rec.why == f"because you {verb} “{rec.because.title}”"


def test_with_enough_positives_a_trained_model_ranks_the_topic_first(corpus, alice):
    imitation = corpus["Imitation_Learning"]
    for paper in imitation[:6]:
        save_paper(alice, paper)
    recs = recommend(alice, limit=4)
    assert {topic_of(corpus, r.paper) for r in recs} == {"Imitation_Learning"}
    assert set(imitation[6:]) == {r.paper for r in recs}


def test_a_paper_turned_down_is_never_recommended_and_pushes_its_kind_down(corpus, alice):
    for paper in corpus["Keyword_Spotting"][:6]:
        save_paper(alice, paper)
    before = [r.paper for r in recommend(alice, limit=30)]
    turn_down(alice, before[0])
    after = [r.paper for r in recommend(alice, limit=30)]
    assert before[0] not in after
    assert len(after) == len(before) - 1


def test_reset_forgets_the_library_until_new_papers_are_saved(corpus, alice):
    save_paper(alice, corpus["Keyword_Spotting"][0])
    assert recommend(alice)
    reset(alice)
    assert recommend(alice) == []
    save_paper(alice, corpus["Medical_Image_Segmentation"][0])
    assert topic_of(corpus, recommend(alice, limit=1)[0].paper) == "Medical_Image_Segmentation"


def test_the_model_uses_logistic_regression_only_past_the_cold_start_threshold():
    rng = np.random.default_rng(7)
    unit = lambda m: (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)  # noqa: E731
    positives, randoms = unit(rng.normal(size=(model.MIN_POSITIVES, 8))), unit(rng.normal(size=(20, 8)))
    candidates = unit(np.vstack([positives + 0.01, randoms[:3]]))
    cold = model.rank(positives[:1], positives[:0], randoms, candidates)
    trained = model.rank(positives, positives[:0], randoms, candidates)
    assert (cold.trained, trained.trained) == (False, True)
    assert set(trained.order[: model.MIN_POSITIVES]) == set(range(model.MIN_POSITIVES))
    assert list(trained.nearest[: model.MIN_POSITIVES]) == list(range(model.MIN_POSITIVES))


def test_the_page_shows_the_same_recommendations_and_takes_a_thumbs_down(corpus, alice):
    save_paper(alice, corpus["Keyword_Spotting"][0])
    client = Client()
    client.force_login(alice)
    page = client.get("/for-you/").content.decode()
    first = recommend(alice, limit=1)[0]
    assert first.paper.arxiv_id in page and "Because you saved" in page
    client.post(f"/recommendations/not-for-me/{first.paper.arxiv_id}/")
    assert first.paper not in [r.paper for r in recommend(alice, limit=50)]
    client.post("/recommendations/reset/")
    assert recommend(alice) == []


def test_the_api_returns_the_same_recommendations_to_a_token_holder(corpus, alice):
    save_paper(alice, corpus["Imitation_Learning"][0])
    _, secret = create_token(alice, "recs")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = client.get("/api/recommendations?limit=3").json()
    expected = recommend(alice, limit=3)
    assert [item["id"] for item in body] == [r.paper.arxiv_id for r in expected]
    assert body[0]["because"] == corpus["Imitation_Learning"][0].arxiv_id and body[0]["why"] == expected[0].why
    assert Client().get("/api/recommendations").status_code == 401


def test_a_digest_with_recommendations_carries_them_with_their_reasons(corpus, alice):
    save_paper(alice, corpus["Medical_Image_Segmentation"][0])
    bob_like = subscriber("alice@example.org", user=alice, recommendations=True, categories=[])
    [section] = compose_digest(bob_like, SLOT)
    assert section.title == "Recommended for you"
    assert corpus["Medical_Image_Segmentation"][0] not in [item.paper for item in section.items]  # saved: never sent
    assert all(item.reason.startswith("because you saved") for item in section.items)
    assert any("; words in common: " in item.reason for item in section.items)


def test_the_page_runs_the_same_number_of_queries_for_a_bigger_library(corpus, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(alice)
    counts = []
    for paper in corpus["Keyword_Spotting"][:2] + corpus["Imitation_Learning"][:6]:
        save_paper(alice, paper)
        assert client.get("/for-you/").status_code == 200  # trains (or not) and caches the model
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/for-you/").status_code == 200
        counts.append(len(queries))
    cold, trained = counts[: model.MIN_POSITIVES - 1], counts[model.MIN_POSITIVES - 1 :]
    assert len(set(cold)) == 1 and len(set(trained)) == 1, counts
    assert trained[0] == cold[0] + 1, counts  # the cached model: one query more than no model at all
