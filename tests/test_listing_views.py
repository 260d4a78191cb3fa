"""Week and month pages (`/week/`, `/month/`), and what every listing page shares: hidden papers
vanish, anonymous visitors get no CSRF token, and the number of queries does not grow with rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paperfeed.feed.periods import parse_period
from paperfeed.papers.models import Paper, Vote
from tests.conftest import call, daily_file
from tests.personas import add_paper, add_papers, signed_in

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def articles(html: str) -> list[str]:
    return re.findall(r'<article id="([^"]+)">', html)


def test_a_week_lists_its_days_papers_most_upvoted_first(client: Client) -> None:
    low = add_paper(title="Low", upvotes=1, announced_on=MONDAY)
    high = add_paper(title="High", upvotes=40, announced_on=TUESDAY)
    add_paper(title="Next week", upvotes=99, announced_on=MONDAY + dt.timedelta(days=7))
    html = client.get("/week/2026-W10/").content.decode()
    assert articles(html) == [high.arxiv_id, low.arxiv_id]
    assert "Papers announced in the week of 2 March 2026 (2)" in html
    assert '<a rel="next" href="/week/2026-W11/">' in html


def test_a_month_of_real_listings_is_paged_fifty_at_a_time(client: Client) -> None:
    assert call("import", str(daily_file("2026-03-02")))[0] == 0
    total = Paper.objects.filter(announced_on__month=3).count()
    first = client.get("/month/2026-03/").content.decode()
    second = client.get("/month/2026-03/?page=2").content.decode()
    assert f"Papers announced in March 2026 ({total})" in first
    assert len(articles(first)) == 50 and not set(articles(first)) & set(articles(second))
    assert "Page 1 of" in first


def test_the_week_and_month_pages_default_to_the_latest_day(client: Client) -> None:
    add_paper(announced_on=TUESDAY)
    assert "week of 2 March 2026" in client.get("/week/").content.decode()
    assert "in March 2026" in client.get("/month/").content.decode()


@pytest.mark.parametrize("path", ["/week/2026-W99/", "/week/2026-10/", "/month/2026-13/", "/month/2025-01/"])
def test_a_bad_or_empty_period_is_not_found(client: Client, path: str) -> None:
    add_paper(announced_on=TUESDAY)
    assert client.get(path).status_code == 404


def test_periods_parse_and_print_their_url_form() -> None:
    assert parse_period("week", "2026-W10").start == MONDAY
    assert parse_period("month", "2026-02").end == dt.date(2026, 2, 28)
    assert parse_period("week", "2026-W01").slug == "2026-W01"
    with pytest.raises(ValueError, match="YYYY-Www"):
        parse_period("week", "2026-10")


def test_hidden_papers_vanish_from_day_week_and_month(client: Client) -> None:
    shown = add_paper(title="Shown", announced_on=MONDAY)
    hidden = add_paper(title="Hidden", announced_on=MONDAY)
    Paper.objects.filter(pk=hidden.pk).update(is_hidden=True)
    for path in ("/", "/week/2026-W10/", "/month/2026-03/"):
        assert articles(client.get(path).content.decode()) == [shown.arxiv_id]


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(client: Client) -> None:
    add_paper()
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode() and not response.cookies


def test_a_signed_in_user_sees_their_own_votes_pressed(alice: User) -> None:
    voted, other = add_paper(), add_paper()
    Vote.objects.create(user=alice, paper=voted, created_at=voted.changed_at)
    html = signed_in(alice).get("/").content.decode()
    pressed = re.findall(r'action="/vote/([^/]+)/".*?aria-pressed="(\w+)"', html)
    assert dict(pressed) == {voted.arxiv_id: "true", other.arxiv_id: "false"}


@pytest.mark.parametrize("path", ["/week/2026-W10/", "/month/2026-03/", "/trending/?window=month"])
def test_list_pages_run_the_same_queries_however_many_papers(client: Client, alice: User, path: str) -> None:
    add_papers(3, announced_on=MONDAY, upvotes=3)
    signed = signed_in(alice)
    with CaptureQueriesContext(connection) as few:
        assert signed.get(path).status_code == 200
    papers = add_papers(40, announced_on=TUESDAY, upvotes=2)
    for paper in papers[:10]:
        Vote.objects.create(user=alice, paper=paper, created_at=paper.changed_at)
    with CaptureQueriesContext(connection) as many:
        assert len(articles(signed.get(path).content.decode())) == 43
    assert len(many) == len(few)


@pytest.mark.parametrize("path", ["/week/2026-W10/", "/month/2026-03/"])
def test_a_period_without_any_vote_says_so_and_lists_the_newest_first(client: Client, path: str) -> None:
    older = add_paper(title="Older", announced_on=MONDAY)
    newer = add_paper(title="Newer", announced_on=TUESDAY)
    html = client.get(path).content.decode()
    assert "No votes yet in this period: newest first." in html
    assert articles(html) == [newer.arxiv_id, older.arxiv_id]
    add_paper(title="Upvoted", upvotes=1, announced_on=MONDAY)
    assert "No votes yet" not in client.get(path).content.decode()
