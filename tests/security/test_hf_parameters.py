"""Hostile parameters on the Hugging Face-shaped API (daily papers, search, paper info): huge or
negative pages and limits, far dates, control characters, bad ids, huge queries. Each gets a 4xx
with a ``detail``, never a 500, and the ``X-Error-Message`` header that Hugging Face's client
reads stays one printable line of at most 300 characters whatever the input held (a newline in
a header would make Django refuse the response: a 500)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import add_paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HOSTILE = [
    ("/api/daily_papers", {"p": "9" * 30}),
    ("/api/daily_papers", {"p": "-1"}),
    ("/api/daily_papers", {"limit": "0"}),
    ("/api/daily_papers", {"limit": "1e9"}),
    ("/api/daily_papers", {"date": "9999-12-31"}),
    ("/api/daily_papers", {"date": "0001-01-01"}),
    ("/api/daily_papers", {"date": "2026-03-02\x00"}),
    ("/api/daily_papers", {"date": "x" * 10_000}),
    ("/api/daily_papers", {"week": "9999-W52"}),
    ("/api/daily_papers", {"week": "2026-W99"}),
    ("/api/daily_papers", {"month": "0000-01"}),
    ("/api/daily_papers", {"submitter": "alice\r\nX-Injected: 1"}),
    ("/api/daily_papers", {"submitter": "a" * 1000}),
    ("/api/daily_papers", {"sort": "trending\n"}),
    ("/api/papers/search", {"q": "x" * 100_000}),
    ("/api/papers/search", {"q": "energy", "limit": "-5"}),
    ("/api/papers/search", {"q": "energy", "offset": "9" * 12}),
    ("/api/papers/search", {"q": "energy", "mode": "psychic\r\nX-Injected: 1"}),
    ("/api/papers/search", {"q": "energy date:99999"}),
    ("/api/papers/search", {"q": "energy cat:cs.Ωmega\u2028"}),
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": "x" * 100_000}),
    ("/api/papers/2603.01234\r\nX-Injected: 1", {}),
    ("/api/papers/" + "9" * 5000, {}),
    ("/api/papers/2603.01234v0", {}),
    ("/api/papers/\x1b[31mred", {}),
]


@pytest.mark.parametrize(("path", "query"), HOSTILE)
def test_hostile_parameters_get_a_4xx_with_a_detail_and_a_one_line_header(
    client: Client, path: str, query: dict[str, str]
) -> None:
    from paperfeed.search.indexing import index_papers

    add_paper()
    index_papers(embed=False)
    response = client.get(path, query)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response.json()["detail"]
    header = response["X-Error-Message"]
    assert header.isprintable() and header.isascii() and 0 < len(header) <= 300
    assert "X-Injected" not in response.headers


def test_an_id_is_quoted_back_cut_to_80_characters(client: Client) -> None:
    detail = client.get("/api/papers/" + "9" * 5000).json()["detail"]
    assert detail == f"{'9' * 80!r} is not an arXiv id"


def test_pages_and_filters_past_the_end_are_empty_lists_not_errors(client: Client) -> None:
    add_paper()
    for query in ({"p": "10000", "limit": "100"}, {"submitter": "nobody"}, {"submitter": "x", "sort": "trending"}):
        response = client.get("/api/daily_papers", query)
        assert response.status_code == 200 and response.json() == [], query
