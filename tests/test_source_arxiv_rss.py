"""The arXiv RSS source: the day's announcements for categories, with their announcement day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paperfeed.papers.models import Paper
from paperfeed.papers.sources import arxiv_rss, make_client
from paperfeed.papers.sources.harvest import IngestFailed
from paperfeed.papers.sources.parsers.rss import parse_rss
from tests.upstream_server import Reply

pytestmark = pytest.mark.django_db

FEED = (Path(__file__).parent / "fixtures" / "arxiv_rss" / "cs.AI_2026-03-03.xml").read_bytes()


def fetch(category: str = "cs.AI"):
    return arxiv_rss.run({"category": category}, make_client(), lambda message: None)


def test_the_feed_of_the_categories_is_fetched_and_its_papers_stored_with_their_announcement_day(upstream):
    upstream.route("/rss/cs.AI+cs.CL", Reply(FEED))
    result = fetch("cs.AI+cs.CL")
    expected = parse_rss(FEED)
    assert result.added == len(expected.records) == Paper.objects.count()
    assert set(Paper.objects.values_list("announced_on", flat=True)) == {dt.date(2026, 3, 3)}


def test_the_summary_counts_each_kind_of_announcement(upstream):
    upstream.route("/rss/cs.AI", Reply(FEED))
    kinds = set(parse_rss(FEED).announce_types.values())
    summary = fetch().summary()
    assert "2026-03-03" in summary
    for kind in kinds:
        assert kind in summary


def test_fetching_the_same_feed_again_changes_nothing(upstream):
    upstream.route("/rss/cs.AI", Reply(FEED))
    fetch()
    result = fetch()
    assert (result.added, result.updated) == (0, 0)


def test_a_malformed_feed_ends_with_a_clear_error_and_stores_nothing(upstream):
    upstream.route("/rss/cs.AI", Reply(FEED[: len(FEED) // 2]))
    with pytest.raises(IngestFailed, match=r"arxiv-rss category=cs\.AI"):
        fetch()
    assert Paper.objects.count() == 0
