"""Far dates: one paper stored with the date 9999-12-31 (before import refused such dates) and
URLs or API parameters naming the year 9999. Pages answer 404 for a period outside the days
papers have, the API 400; the home, week and month pages stay up for everyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from paperfeed.feed.periods import parse_period, period_containing
from paperfeed.papers.models import Paper
from tests.personas import add_paper

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def paper_dated_9999(db: None) -> Paper:
    """A real-looking paper and one whose stored day is the calendar's last (written past the checks)."""
    add_paper(title="An ordinary paper", announced_on=MONDAY)
    far = add_paper(title="From the far future", announced_on=MONDAY)
    Paper.objects.filter(pk=far.pk).update(announced_on=dt.date(9999, 12, 31))
    return far


@pytest.mark.parametrize("path", ["/", "/week/", "/month/", "/feeds/daily.atom", "/api/daily_papers"])
def test_a_stored_paper_dated_9999_leaves_the_latest_pages_up(client: Client, paper_dated_9999: Paper, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert b"An ordinary paper" in response.content, "the latest real day is shown, not the year 9999"


@pytest.mark.parametrize(
    "path",
    [
        "/week/9999-W52/",
        "/month/9999-12/",
        "/day/9999-12-31/",
        "/week/1900-W01/",
        "/month/1985-11/",
        "/day/0001-01-01/",
    ],
)
def test_a_page_for_a_period_outside_the_days_papers_have_is_not_found(client: Client, paper_dated_9999, path: str):
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query", [{"week": "9999-W52"}, {"month": "9999-12"}, {"date": "9999-12-31"}, {"date": "1000-01-01"}]
)
def test_the_api_refuses_a_period_outside_the_days_papers_have(client: Client, paper_dated_9999, query: dict[str, str]):
    response = client.get("/api/daily_papers", query)
    assert response.status_code == 400
    assert "outside the days papers have" in response.json()["detail"]


def test_the_week_of_the_first_arxiv_day_and_next_years_month_are_still_periods() -> None:
    assert parse_period("week", "1986-W01").start == dt.date(1985, 12, 30)
    next_year = dt.date.today() + dt.timedelta(days=300)
    assert parse_period("month", f"{next_year:%Y-%m}").start == next_year.replace(day=1)


def test_the_periods_holding_the_calendars_last_day_end_on_it() -> None:
    last = dt.date.max
    assert period_containing("week", last).end == last
    assert period_containing("month", last).end == last
    assert period_containing("month", dt.date(2024, 2, 10)).end == dt.date(2024, 2, 29)
