"""Hugging Face's page paths (paperfeed/feed/hf_paths.py): a huggingface.co/papers link with the host
swapped lands on paperfeed's page for the same paper, day, week, month or search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.personas import add_paper

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hf_path", "ours"),
    [
        ("/papers/2603.01234", "/paper/2603.01234/"),
        ("/papers/2603.01234v2", "/paper/2603.01234v2/"),
        ("/papers/hep-th/9901001", "/paper/hep-th/9901001/"),
        ("/papers/date/2026-03-02", "/day/2026-03-02/"),
        ("/papers/week/2026-W10", "/week/2026-W10/"),
        ("/papers/month/2026-03", "/month/2026-03/"),
        ("/papers/trending", "/trending/"),
        ("/papers/trending?window=month", "/trending/?window=month"),
        ("/papers/date/2026-03-02?page=2", "/day/2026-03-02/?page=2"),
        ("/papers", "/"),
        ("/papers?date=2026-03-02", "/day/2026-03-02/"),
        ("/papers?week=2026-W10", "/week/2026-W10/"),
        ("/papers?month=2026-03", "/month/2026-03/"),
        ("/papers?q=graph+networks", "/search/?q=graph+networks"),
    ],
)
def test_each_hugging_face_path_redirects_to_paperfeeds_page(client: Client, hf_path: str, ours: str) -> None:
    response = client.get(hf_path)
    assert response.status_code == 302 and response["Location"] == ours


def test_the_redirect_lands_on_the_page_of_the_same_paper_and_day(client: Client) -> None:
    add_paper("2603.01234", title="Swapped host", announced_on=dt.date(2026, 3, 2))
    add_paper("hep-th/9901001", title="Old style id")
    for path, title in [("/papers/2603.01234", "Swapped host"), ("/papers/hep-th/9901001", "Old style id")]:
        page = client.get(path, follow=True)
        assert page.status_code == 200 and title in page.content.decode()
    assert "Swapped host" in client.get("/papers/date/2026-03-02", follow=True).content.decode()
    assert "Swapped host" in client.get("/papers/week/2026-W10", follow=True).content.decode()


def test_paperfeeds_own_paths_keep_working(client: Client) -> None:
    add_paper("2603.01234", announced_on=dt.date(2026, 3, 2))
    for path in ["/", "/day/2026-03-02/", "/week/2026-W10/", "/month/2026-03/", "/trending/", "/paper/2603.01234/"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "path",
    [
        "/papers/2603.01234.md",  # the markdown route's, never this alias's
        "/papers/hep-th/9901001.md",
        "/papers/not-an-id",
        "/papers/2603.01234/extra",
        "/papers/date/",
    ],
)
def test_what_is_not_an_arxiv_id_is_never_redirected_to_a_paper_page(client: Client, path: str) -> None:
    response = client.get(path)
    assert not (response.status_code == 302 and response["Location"].startswith("/paper/")), path


def test_a_hostile_period_in_the_query_string_stays_on_this_site(client: Client) -> None:
    for query in ["//evil.example/x", "https://evil.example/", "a\r\nSet-Cookie: x=1", "x" * 5000]:
        response = client.get("/papers", {"date": query})
        assert response.status_code == 302, query
        assert response["Location"].startswith("/") and not response["Location"].startswith("//"), query
        assert "\n" not in response["Location"]
