"""The worker's search job kinds: the keyword index (main lane) and embedding (embed lane)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from paperfeed.jobs.kinds import DEFAULT_JOBS, EMBED, EMBED_IDLE, KINDS, embed_papers, index_new_papers
from paperfeed.papers.store import upsert_records
from paperfeed.search import indexing
from paperfeed.search.indexing import VectorRefresh, embed_for_a_while, embed_next_batch, index_papers
from paperfeed.search.models import PaperVector
from paperfeed.search.service import search
from paperfeed.search.snapshot import current_generation
from tests.conftest import import_day
from tests.search_support import embedder, record

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def three_days() -> None:
    """Two papers on each of three days, stored oldest day first."""
    upsert_records(
        [
            record(f"2603.0000{n}", f"Paper {n} on graph learning", abstract="We study graphs.", announced_on=day)
            for n, day in enumerate([dt.date(2026, 3, d) for d in (1, 1, 2, 2, 3, 3)], start=1)
        ],
        source="test",
    )


def vectored() -> set[str]:
    return set(PaperVector.objects.values_list("paper__arxiv_id", flat=True))


def test_the_index_job_makes_new_papers_keyword_searchable_without_embedding():
    import_day()
    said: list[str] = []
    result = index_new_papers({}, said.append)
    assert PaperVector.objects.count() == 0  # vectors are the embed lane's
    assert "0 embedded" in result.notes[0] and said == result.notes
    assert search("learning", mode="keyword").hits
    said.clear()
    index_new_papers({}, said.append)
    again = index_new_papers({}, said.append)
    assert again.idle and said == []  # every few seconds: an idle step says nothing in the log


def test_pending_papers_are_embedded_newest_day_first():
    three_days()
    assert embed_next_batch(embedder(), 2) == 2
    assert vectored() == {"2603.00005", "2603.00006"}
    assert embed_next_batch(embedder(), 2) == 2
    assert vectored() >= {"2603.00003", "2603.00004"} and "2603.00001" not in vectored()


def test_the_embed_job_embeds_every_pending_paper_then_refreshes_the_vector_index():
    three_days()
    index_papers(embed=False)
    result = embed_papers({}, lambda message: None, threading.Event())
    assert result.notes == ["6 papers embedded"]
    assert len(vectored()) == 6
    found = search("graph learning", mode="semantic")
    assert found.mode == "semantic" and found.papers_without_vectors == 0


def test_the_embed_job_stops_between_batches_when_asked(settings):
    settings.EMBEDDING_BATCH_SIZE = 2
    three_days()
    index_papers(embed=False)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # the stop comes during the first batch

    assert embed_for_a_while(stop, lambda message: None, seconds=600, refresh_seconds=600) == 2
    assert vectored() == {"2603.00005", "2603.00006"}
    assert search("graph", mode="semantic").papers_without_vectors == 4  # the index got what was done


def test_the_embed_job_ends_its_slice_on_time_and_is_due_again_at_once(settings):
    settings.EMBEDDING_BATCH_SIZE = 2
    three_days()
    now = [0.0]

    def a_batch_takes_a_minute() -> bool:
        now[0] += 60
        return False

    done = embed_for_a_while(a_batch_takes_a_minute, print, seconds=120, refresh_seconds=600, clock=lambda: now[0])
    assert done == 2 and len(vectored()) == 2  # at 60 s one more batch; at 120 s the slice is over
    now = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
    assert KINDS["search-embed"].next_run_at(now) == now


def test_the_embed_job_waits_a_minute_when_no_paper_waits():
    now = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
    assert KINDS["search-embed"].next_run_at(now) == now + EMBED_IDLE == now + dt.timedelta(minutes=1)


def test_the_newest_day_reaches_the_vector_index_as_soon_as_it_is_embedded(settings, monkeypatch):
    settings.EMBEDDING_BATCH_SIZE = 2
    three_days()
    counts: list[int] = []
    monkeypatch.setattr(indexing, "refresh_node_vectors", lambda: counts.append(PaperVector.objects.count()) or True)
    embed_for_a_while(lambda: False, lambda message: None, seconds=600, refresh_seconds=600)
    assert counts == [2, 6]  # after the newest day's batch (long before the timer), and at the end


def test_the_vector_index_is_rewritten_at_most_once_per_interval(monkeypatch):
    refreshed: list[float] = []
    now = [0.0]
    monkeypatch.setattr(indexing, "refresh_node_vectors", lambda: refreshed.append(now[0]) or True)
    refresh = VectorRefresh(60, clock=lambda: now[0])
    for now[0] in (10.0, 30.0, 59.0, 61.0, 100.0, 125.0):
        refresh.after_batch()
    assert refreshed == [61.0, 125.0]


def test_the_index_job_runs_again_after_index_seconds(settings):
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert KINDS["search-index"].next_run_at(now) == now + dt.timedelta(seconds=2)
    settings.INDEX_SECONDS = 30
    assert KINDS["search-index"].next_run_at(now) == now + dt.timedelta(seconds=30)


def test_an_idle_index_step_reads_no_paper_and_writes_nothing(django_assert_max_num_queries):
    three_days()
    index_papers(embed=False)
    generation = current_generation()
    assert generation is not None
    index_papers(embed=False)  # the first full check is recorded
    stamp = (generation / "state.json").stat().st_mtime_ns
    with django_assert_max_num_queries(3):  # the newest paper change (keyword), it and the newest vector: no count
        report = index_papers(embed=False, count=False)
    assert report.idle and report.without_vectors is None
    assert (generation / "state.json").stat().st_mtime_ns == stamp
    upsert_records([record("2603.09999", "Quokka locomotion", announced_on=dt.date(2026, 3, 3))], "test")
    report = index_papers(embed=False, count=False)
    assert report.keyword_written >= 1 and not report.idle
    assert [hit.arxiv_id for hit in search("quokka", mode="keyword").hits] == ["2603.09999"]


def test_the_job_kinds_are_registered_for_the_worker():
    assert KINDS["search-index"].run is index_new_papers
    assert KINDS["search-embed"].run is embed_papers
    assert KINDS["search-embed"].lane == EMBED and KINDS["search-embed"].per_node
    assert DEFAULT_JOBS["search-index"][0] == "search-index"
    assert DEFAULT_JOBS["search-embed"][0] == "search-embed"


def test_a_step_reads_back_a_short_overlap_and_the_full_check_a_long_one(monkeypatch):
    """After a large import, a step every few seconds must not write the whole import again for ten minutes."""
    three_days()
    index_papers(embed=False)
    later = dt.timedelta(minutes=2)  # the six papers were stamped two minutes before the next change
    from django.utils import timezone

    from paperfeed.papers.models import Paper

    Paper.objects.update(changed_at=timezone.now() - later)
    generation = current_generation()
    assert generation is not None
    state = indexing.read_state(generation)
    state.keyword_watermark = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    indexing.write_state(generation, state)
    upsert_records([record("2603.09998", "Numbat foraging", announced_on=dt.date(2026, 3, 3))], "test")
    assert indexing.update_keyword(generation) == 1  # the new paper; not the six within ten minutes
    monkeypatch.setattr(indexing, "FULL_CHECK", dt.timedelta(0))
    upsert_records([record("2603.09997", "Bilby burrows", announced_on=dt.date(2026, 3, 3))], "test")
    assert indexing.update_keyword(generation) == 8  # the full check reads the long overlap back
