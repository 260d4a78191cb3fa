"""How far semantic search is (paperfeed.search.progress): the line the search page, /healthz and status show."""

from __future__ import annotations

import datetime as dt

import pytest

from paperfeed.papers.models import Paper
from paperfeed.papers.store import upsert_records
from paperfeed.search.embedding import model_id
from paperfeed.search.models import PaperVector
from paperfeed.search.progress import EmbeddingProgress, embedding_progress
from tests.search_support import record

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)


def test_the_line_says_how_many_are_searchable_of_how_many_and_the_time_left():
    progress = EmbeddingProgress(searchable=12_345, total=27_081, per_second=17.5)
    assert progress.line() == "12,345 of 27,081 searchable by meaning, about 15 minutes left"
    assert progress.as_dict()["seconds_left"] == round(14_736 / 17.5)


def test_the_line_says_when_embedding_is_not_running_or_done():
    assert EmbeddingProgress(10, 20, None).line() == "10 of 20 searchable by meaning; embedding is not running"
    assert EmbeddingProgress(20, 20, None).line() == "all 20 papers searchable by meaning"
    assert EmbeddingProgress(0, 90_000, 2.0).line().endswith("about 12.5 hours left")


def stamp(papers: list[Paper], at: dt.datetime) -> None:
    model = model_id("")
    PaperVector.objects.bulk_create(
        PaperVector(
            paper=p, model_id=model, vector=b"\0" * 16, text_sha1="x", paper_changed_at=p.changed_at, computed_at=at
        )
        for p in papers
    )


@pytest.mark.django_db
def test_the_rate_comes_from_the_vectors_computed_in_the_last_minutes(settings):
    settings.EMBEDDING_MODEL = ""
    upsert_records([record(f"2603.{n:05d}", f"Paper {n}") for n in range(1, 41)], source="test")
    papers = list(Paper.objects.order_by("arxiv_id"))
    stamp(papers[:10], NOW - dt.timedelta(hours=2))  # long ago: not part of the rate
    stamp(papers[10:20], NOW - dt.timedelta(seconds=20))  # the first recent batch marks the start
    stamp(papers[20:30], NOW - dt.timedelta(seconds=10))
    progress = embedding_progress(NOW)
    assert (progress.searchable, progress.total) == (30, 40)
    assert progress.per_second == pytest.approx(1.0)  # 10 papers in the 10 s after the first batch
    assert progress.line() == "30 of 40 searchable by meaning, about a minute left"


@pytest.mark.django_db
def test_with_no_recent_vectors_the_rate_is_unknown():
    upsert_records([record("2603.00001", "A paper")], source="test")
    stamp(list(Paper.objects.all()), NOW - dt.timedelta(minutes=3))
    upsert_records([record("2603.00002", "Another paper")], source="test")
    assert embedding_progress(NOW).per_second is None


@pytest.mark.django_db
def test_after_the_first_batch_of_a_fresh_lane_embedding_has_started_not_stopped():
    """One batch shares one stamp: no rate yet, but /healthz and status must not say "not running"."""
    upsert_records([record(f"2603.{n:05d}", f"Paper {n}") for n in range(1, 21)], source="test")
    stamp(list(Paper.objects.order_by("arxiv_id")[:10]), NOW - dt.timedelta(seconds=5))
    progress = embedding_progress(NOW)
    assert progress.per_second is None and progress.started
    assert progress.line() == "10 of 20 searchable by meaning; embedding has started, time left known in a minute"
    assert not embedding_progress(NOW + dt.timedelta(minutes=3)).started  # and then nothing more came
