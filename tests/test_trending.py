"""Trending (`/trending/`, rank_trending): real Hugging Face upvotes, community votes, star velocity, age."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.feed.trending import FORMULA, rank_trending, trending_score
from paperfeed.papers.models import MetricSnapshot, Paper, Vote
from paperfeed.papers.sources.parsers.hf_daily import parse_daily_papers
from paperfeed.papers.store import upsert_records
from tests.hf_fixtures import daily_papers_json
from tests.personas import add_paper, make_user

pytestmark = pytest.mark.django_db

DAYS = ("2026-02-02", "2026-02-03", "2026-02-04")


@pytest.fixture
def hf_days() -> list[Paper]:
    """Three real days of Hugging Face Daily Papers with their upvotes, announced on the day featured."""
    for day in DAYS:
        records = parse_daily_papers(daily_papers_json(day)).records
        announced = [dataclasses.replace(r, announced_on=dt.date.fromisoformat(day)) for r in records]
        upsert_records(announced, source="hf-daily")
    return list(Paper.objects.all())


def test_the_score_rises_with_votes_and_stars_and_falls_with_age() -> None:
    assert trending_score(10, 0, 0, 0) < trending_score(10, 1, 0, 0) < trending_score(10, 1, 4, 0)
    assert trending_score(10, 0, 0, 3) < trending_score(10, 0, 0, 0)


def test_the_day_window_ranks_the_latest_day_by_upvotes(hf_days: list[Paper]) -> None:
    ranked = rank_trending("day", limit=5)
    latest = [p for p in hf_days if p.announced_on == dt.date(2026, 2, 4)]
    expected = sorted(latest, key=lambda p: -(p.upvotes or 0))[:5]
    assert ranked.start == ranked.end == dt.date(2026, 2, 4)
    assert [entry.upvotes for entry in ranked.entries] == [p.upvotes for p in expected]


def test_the_week_window_lets_a_newer_paper_beat_an_older_one_with_as_many_upvotes(hf_days: list[Paper]) -> None:
    ranked = rank_trending("week", limit=1000)
    by_day = {(e.paper.announced_on, e.upvotes): e.score for e in ranked.entries}
    older = [(day, up) for (day, up) in by_day if day == dt.date(2026, 2, 2)]
    newer = {up: score for (day, up), score in by_day.items() if day == dt.date(2026, 2, 4)}
    same = [(day, up) for day, up in older if up in newer and up > 0]
    assert same, "the real days share some upvote counts"
    assert all(by_day[(day, up)] < newer[up] for day, up in same)


def test_community_votes_add_to_hugging_face_upvotes(hf_days: list[Paper]) -> None:
    before = rank_trending("day", limit=1000).entries[-1]
    for name in ("alice", "bob", "charlie"):
        Vote.objects.create(user=make_user(name), paper=before.paper, created_at=before.paper.changed_at)
    after = next(e for e in rank_trending("day", limit=1000).entries if e.paper.pk == before.paper.pk)
    assert after.votes == 3 and after.score == trending_score(before.upvotes, 3, 0, 0) > before.score


def test_star_velocity_comes_from_metric_snapshots() -> None:
    day = dt.date(2026, 3, 5)
    starred, plain = add_paper(announced_on=day, upvotes=1), add_paper(announced_on=day, upvotes=1)
    MetricSnapshot.objects.create(paper=starred, taken_on=day - dt.timedelta(days=2), github_stars=10)
    MetricSnapshot.objects.create(paper=starred, taken_on=day, github_stars=50)
    entries = rank_trending("week").entries
    assert [e.paper.pk for e in entries] == [starred.pk, plain.pk]
    assert entries[0].stars_per_day == 20.0 and entries[1].stars_per_day == 0.0


def test_hidden_papers_never_trend(hf_days: list[Paper]) -> None:
    top = rank_trending("day", limit=1).entries[0].paper
    Paper.objects.filter(pk=top.pk).update(is_hidden=True)
    assert top.pk not in [e.paper.pk for e in rank_trending("day", limit=1000).entries]


def test_the_trending_page_shows_the_window_and_links_the_formula(client: Client, hf_days: list[Paper]) -> None:
    html = client.get("/trending/?window=day").content.decode()
    top = rank_trending("day", limit=3).entries
    assert re.findall(r'<article id="([^"]+)">', html)[:3] == [e.paper.arxiv_id for e in top]
    assert 'href="/about/#trending"' in html and 'href="/subscribe/' in html


def test_an_unknown_window_is_a_clear_400(client: Client, alice: User) -> None:
    response = client.get("/trending/?window=year")
    assert response.status_code == 400 and "window must be one of day, week, month" in response.content.decode()


def test_the_about_page_shows_the_formula(client: Client) -> None:
    assert FORMULA in client.get("/about/").content.decode().replace("&amp;", "&")


def test_a_window_without_votes_or_stars_says_so_and_lists_the_newest_first(client: Client, settings: object) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]  # a vote alone does not renew cached pages
    older = add_paper(title="Older", announced_on=dt.date(2026, 3, 2))
    newer = add_paper(title="Newer", announced_on=dt.date(2026, 3, 4))
    html = client.get("/trending/?window=week").content.decode()
    assert "No votes yet in this period: newest first." in html
    assert re.findall(r'<article id="([^"]+)">', html) == [newer.arxiv_id, older.arxiv_id]
    Vote.objects.create(user=make_user("dora"), paper=older, created_at=older.changed_at)
    assert "No votes yet" not in client.get("/trending/?window=week").content.decode()
