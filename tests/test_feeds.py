"""Atom feeds: the latest day, trending, a category and a saved search, each read back with feedparser."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers
from tests.conftest import call, daily_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_day() -> list[Paper]:
    assert call("import", str(daily_file("2026-03-02")))[0] == 0
    return list(Paper.objects.all())


def parse(client: Client, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_daily_feed_has_every_paper_of_the_latest_day(client: Client, real_day: list[Paper]) -> None:
    feed = parse(client, "/feeds/daily.atom")
    stored = {paper.abs_url: paper for paper in real_day}
    assert len(feed.entries) == len(real_day)
    entry = feed.entries[0]
    paper = stored[entry.id]
    assert entry.title == paper.title and entry.link == f"http://testserver/paper/{paper.arxiv_id}/"
    assert entry.author.startswith(paper.authors[0]) and entry.updated


def test_the_trending_feed_follows_the_trending_ranking(client: Client, real_day: list[Paper]) -> None:
    Paper.objects.filter(pk=real_day[5].pk).update(upvotes=40)
    feed = parse(client, "/feeds/trending.atom?window=week")
    assert feed.entries[0].id == real_day[5].abs_url
    assert client.get("/feeds/trending.atom?window=never").status_code == 404


def test_a_category_feed_holds_only_that_category(client: Client, real_day: list[Paper]) -> None:
    feed = parse(client, "/feeds/category/cs.CV.atom")
    ids = {entry.id for entry in feed.entries}
    assert ids and ids == {paper.abs_url for paper in real_day if "cs.CV" in paper.categories}


def test_a_saved_search_is_a_feed_of_its_results(client: Client, real_day: list[Paper], data_dir: object) -> None:
    index_papers(embed=False)
    feed = parse(client, "/feeds/search.atom?q=reinforcement+learning&mode=keyword")
    assert feed.entries and "reinforcement learning" in feed.feed.title
    assert client.get("/feeds/search.atom").status_code == 404


def test_feed_titles_with_markup_stay_text(client: Client) -> None:
    from tests.personas import add_paper

    add_paper(title="<script>alert(1)</script> & more")
    feed = parse(client, "/feeds/daily.atom")
    assert feed.entries[0].title == "<script>alert(1)</script> & more"
    assert b"<script>" not in client.get("/feeds/daily.atom").content


def test_hidden_papers_leave_the_feeds(client: Client, real_day: list[Paper]) -> None:
    Paper.objects.filter(pk=real_day[0].pk).update(is_hidden=True)
    ids = {entry.id for entry in parse(client, "/feeds/daily.atom").entries}
    assert real_day[0].abs_url not in ids and len(ids) == len(real_day) - 1
