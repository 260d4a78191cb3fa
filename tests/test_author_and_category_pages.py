"""Author pages (`/author/NAME/`) and category pages (`/category/CAT/`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import add_paper, add_papers

pytestmark = pytest.mark.django_db


def articles(html: str) -> list[str]:
    return re.findall(r'<article id="([^"]+)">', html)


def test_an_author_page_finds_papers_whatever_the_accents_and_case(client: Client) -> None:
    hers = add_paper(authors=["Balázs Kégl", "Someone Else"])
    also = add_paper(authors=["balazs kegl"])
    add_paper(authors=["Someone Else"])
    html = client.get("/author/Bal%C3%A1zs%20K%C3%A9gl/").content.decode()
    assert set(articles(html)) == {hers.arxiv_id, also.arxiv_id}
    assert "Papers by Balázs Kégl (2)" in html


def test_an_author_page_is_newest_day_first_whatever_dates_a_paper_has(client: Client) -> None:
    """Daily-listing papers carry no first-version time: their listing day orders them, as on every page."""
    listed_late = add_paper(authors=["Yang Li"], announced_on=dt.date(2026, 6, 2), published=None)
    only_published = add_paper(
        authors=["Yang Li"], announced_on=None, published=dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
    )
    listed_early = add_paper(authors=["Yang Li"], announced_on=dt.date(2024, 2, 1), published=None)
    html = client.get("/author/Yang%20Li/").content.decode()
    assert articles(html) == [listed_late.arxiv_id, only_published.arxiv_id, listed_early.arxiv_id]


def test_an_unknown_author_is_not_found(client: Client) -> None:
    assert client.get("/author/Nobody%20At%20All/").status_code == 404


def test_a_category_page_lists_papers_of_that_category_newest_first_with_its_feed(client: Client) -> None:
    old = add_paper(categories=["cs.CL"], announced_on=dt.date(2026, 3, 2))
    cross = add_paper(categories=["cs.LG", "cs.CL"], announced_on=dt.date(2026, 3, 3))
    add_paper(categories=["cs.CV"])
    html = client.get("/category/cs.CL/").content.decode()
    assert articles(html) == [cross.arxiv_id, old.arxiv_id]
    assert 'href="/feeds/category/cs.CL.atom"' in html and 'href="/subscribe/' in html


@pytest.mark.parametrize("path", ["/category/cs.CL/", "/author/Ada%20Lovelace/"])
def test_author_and_category_pages_run_the_same_queries_however_many_papers(client: Client, path: str) -> None:
    add_papers(2, categories=["cs.CL"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_papers(30, categories=["cs.CL"])
    client.get("/")  # a different page, so the cache of `path` does not answer
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert len(articles(client.get(path).content.decode())) == 32
    assert len(many) == len(few)


@pytest.mark.parametrize("path", ["/category/cs.CL/", "/author/Ada%20Lovelace/"])
def test_the_page_draws_one_bar_per_day_with_papers(client: Client, path: str) -> None:
    for day, count in ((2, 3), (3, 1), (5, 2)):
        add_papers(count, categories=["cs.CL"], announced_on=dt.date(2026, 3, day))
    html = client.get(path).content.decode()
    chart = re.search(r'<svg class="chart bars"[^>]*aria-label="Papers per day[^"]*">.*?</svg>', html)
    assert chart is not None
    bars = re.findall(r'<rect class="bar"[^>]*height="([\d.]+)"><title>([\d-]+): (\d+)</title>', chart.group(0))
    assert [(day, int(n)) for _, day, n in bars] == [("2026-03-02", 3), ("2026-03-03", 1), ("2026-03-05", 2)]
    assert float(bars[0][0]) > float(bars[2][0]) > float(bars[1][0])
    assert "style=" not in chart.group(0)
