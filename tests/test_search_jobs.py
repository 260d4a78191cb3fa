"""The worker's search-index job (paperfeed.search.jobs), registered in paperfeed.jobs.kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from paperfeed.search.jobs import EVERY, index_new_papers, next_index_at
from paperfeed.search.models import PaperVector
from paperfeed.search.service import search
from tests.search_support import import_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def test_the_job_indexes_new_papers_and_embeds_a_bounded_slice():
    import_day()
    said: list[str] = []
    result = index_new_papers({"embed_limit": 3}, said.append)
    assert PaperVector.objects.count() == 3
    assert "3 embedded" in result.notes[0] and said == result.notes
    assert search("learning", mode="keyword").hits


def test_the_job_runs_again_ten_minutes_later():
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert next_index_at(now) == now + EVERY == now + dt.timedelta(minutes=10)


def test_the_job_kind_is_registered_for_the_worker():
    from paperfeed.jobs.kinds import DEFAULT_JOBS, KINDS

    assert KINDS["search-index"].run is index_new_papers
    assert DEFAULT_JOBS["search-index"][0] == "search-index"
