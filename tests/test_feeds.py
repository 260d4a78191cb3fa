"""Atom feeds: the latest day, trending, a category and a saved search, each read back with feedparser."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.test import Client

from paperfeed.feed.feeds import FEED_AUTHORS
from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers

pytestmark = pytest.mark.django_db


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
    assert entry.authors[0].name == paper.authors[0] and entry.updated


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


def entries_by_id(client: Client) -> dict[str, feedparser.FeedParserDict]:
    return {entry.id: entry for entry in parse(client, "/feeds/daily.atom").entries}


def test_an_entry_is_published_at_the_first_version_and_updated_at_the_latest(client: Client) -> None:
    from tests.personas import add_paper

    first, latest = dt.datetime(2026, 3, 1, 17, 59, 58, tzinfo=dt.UTC), dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
    revised = add_paper(published=first, updated=latest)
    once = add_paper(published=first, updated=None)
    entries = entries_by_id(client)
    assert entries[revised.abs_url].published_parsed[:6] == (2026, 3, 1, 17, 59, 58)
    assert entries[revised.abs_url].updated_parsed[:6] == (2026, 3, 20, 9, 0, 0)
    assert entries[once.abs_url].updated_parsed == entries[once.abs_url].published_parsed


def test_an_entry_without_version_dates_is_published_and_updated_on_its_listing_day(
    client: Client, real_day: list[Paper]
) -> None:
    paper = real_day[0]
    assert paper.published is None and paper.updated is None  # the daily listings carry no version dates
    entry = entries_by_id(client)[paper.abs_url]
    assert entry.published_parsed[:6] == (*paper.day.timetuple()[:3], 0, 0, 0)
    assert entry.updated_parsed == entry.published_parsed


def test_each_author_is_an_author_of_the_entry_up_to_twenty_then_et_al(client: Client) -> None:
    from tests.personas import add_paper

    few = add_paper(authors=["Ada Lovelace", "Alan Turing", "Grace Hopper"])
    many = add_paper(authors=[f"Author Number {n}" for n in range(1, 31)])
    entries = entries_by_id(client)
    assert [author.name for author in entries[few.abs_url].authors] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    named = [author.name for author in entries[many.abs_url].authors]
    assert len(named) == FEED_AUTHORS + 1
    assert named[:FEED_AUTHORS] == many.authors[:FEED_AUTHORS] and named[-1] == "et al."
