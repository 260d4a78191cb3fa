"""The daily page: `/` is the latest announced day, `/day/YYYY-MM-DD/` any day.

Assertions are about what a reader sees (dates, links, papers, escaping, status codes), not
about markup, so the page's template can change freely.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paperfeed.papers.models import Paper
from paperfeed.papers.records import make_record
from paperfeed.papers.store import upsert_records
from tests.conftest import call, daily_file, read_lines

pytestmark = pytest.mark.django_db

WEDNESDAY, THURSDAY = "2026-03-04", "2026-03-05"
ID = re.compile(r"\b26\d{2}\.\d{5}\b")


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def two_days() -> dict[str, set[str]]:
    """The real listings of Wednesday 4 and Thursday 5 March 2026; the ids first announced on each."""
    ids = {}
    for day in (WEDNESDAY, THURSDAY):
        assert call("import", str(daily_file(day)))[0] == 0
        ids[day] = {json.loads(line)["id"] for line in read_lines(daily_file(day))}
    assert ids[THURSDAY] - ids[WEDNESDAY]
    return {WEDNESDAY: ids[WEDNESDAY], THURSDAY: ids[THURSDAY] - ids[WEDNESDAY]}


def add_papers(day: dt.date, count: int, start: int = 0, **fields: Any) -> list[str]:
    records = [
        make_record(
            f"2603.{start + n:05d}", f"Paper number {start + n}", abstract="An abstract.", announced_on=day, **fields
        )
        for n in range(count)
    ]
    upsert_records(records, source="test")
    return [r.arxiv_id for r in records]


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_front_page_shows_the_latest_day_with_a_link_to_the_day_before(
    client: Client, two_days: dict[str, set[str]]
) -> None:
    html = page(client, "/")
    assert "5 March 2026" in html
    shown = set(ID.findall(html))
    assert shown and shown <= two_days[THURSDAY]
    assert f'href="/day/{WEDNESDAY}/"' in html
    assert 'href="/day/2026-03-06/"' not in html


def test_a_day_page_shows_that_day_with_links_both_ways(client: Client, two_days: dict[str, set[str]]) -> None:
    add_papers(dt.date(2026, 3, 3), 1, start=90000)
    html = page(client, f"/day/{WEDNESDAY}/")
    assert "4 March 2026" in html
    shown = set(ID.findall(html))
    assert shown and shown <= two_days[WEDNESDAY]
    assert 'href="/day/2026-03-03/"' in html
    assert f'href="/day/{THURSDAY}/"' in html


def test_a_day_page_lists_exactly_that_days_papers(client: Client) -> None:
    monday = add_papers(dt.date(2026, 3, 2), 4)
    tuesday = add_papers(dt.date(2026, 3, 3), 3, start=100)
    assert set(ID.findall(page(client, "/day/2026-03-02/"))) == set(monday)
    assert set(ID.findall(page(client, "/"))) == set(tuesday)


@pytest.mark.parametrize("path", ["/day/2026-03-06/", "/day/2026-02-30/", "/day/yesterday/", "/day/2026-3-2/"])
def test_a_bad_or_empty_day_is_not_found(client: Client, two_days: dict[str, set[str]], path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_empty_store_still_answers(client: Client) -> None:
    assert client.get("/").status_code == 200


def test_titles_and_abstracts_are_html_escaped(client: Client) -> None:
    upsert_records(
        [
            make_record(
                "2603.00001",
                "<script>alert(1)</script> & co",
                abstract="x < y <b>bold</b>",
                announced_on=dt.date(2026, 3, 2),
            )
        ],
        source="test",
    )
    html = page(client, "/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html


@pytest.mark.parametrize("path", ["/", "/day/2026-03-02/"])
def test_the_page_runs_the_same_queries_however_many_papers_the_day_has(client: Client, path: str) -> None:
    day = dt.date(2026, 3, 2)
    add_papers(day - dt.timedelta(days=1), 2, start=50000, authors=["A. Author"], categories=["cs.CL"])
    add_papers(day, 3, authors=["A. Author"], categories=["cs.CL"])
    with CaptureQueriesContext(connection) as few:
        page(client, path)
    add_papers(day, 30, start=100, authors=["B. Author", "C. Author"], categories=["cs.CV", "cs.AI"])
    with CaptureQueriesContext(connection) as many:
        html = page(client, path)
    assert len(set(ID.findall(html))) == 33
    assert len(many) == len(few)


def test_the_biggest_real_day_comes_in_pages_under_150_kb_that_reach_every_paper(client: Client) -> None:
    day = "2026-06-02"  # the largest listing in the shared data (`ls -S .../daily | head -1`)
    assert call("import", str(daily_file(day)))[0] == 0
    path, seen, sizes = f"/day/{day}/", set(), []
    while path:
        response = client.get(path)
        sizes.append(len(response.content))
        html = response.content.decode()
        seen |= set(ID.findall(re.sub(r'href="https://arxiv.org[^"]*"', "", html)))
        following = re.search(r'<a href="\?page=(\d+)">Next', html)
        path = f"/day/{day}/?page={following.group(1)}" if following else ""
    expected = set(Paper.objects.filter(announced_on=dt.date.fromisoformat(day)).values_list("arxiv_id", flat=True))
    assert len(expected) > 300 and len(sizes) > 1
    assert max(sizes) <= 150_000, sizes
    assert expected <= seen
