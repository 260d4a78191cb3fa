"""The search page `/search/`: mode toggle, filters, snippets, pagination, and no index yet."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers
from tests.conftest import import_day
from tests.personas import add_paper

pytestmark = pytest.mark.django_db


def articles(html: str) -> list[str]:
    return re.findall(r'<article id="([^"]+)">', html)


@pytest.fixture
def indexed_day(data_dir: object) -> None:
    """A real day's listing (2 March 2026) with a keyword index (no vectors: hybrid falls back to keywords)."""
    import_day("2026-03-02")
    index_papers(embed=False)


def test_a_search_shows_matching_papers_with_marked_snippets(client: Client, indexed_day: None) -> None:
    html = client.get("/search/", {"q": "reinforcement learning", "mode": "keyword"}).content.decode()
    found = articles(html)
    assert found and all(Paper.objects.filter(arxiv_id=arxiv_id).exists() for arxiv_id in found)
    assert "<mark>" in html and 'value="keyword" checked' in html


def test_the_category_filter_keeps_only_that_category(client: Client, indexed_day: None) -> None:
    html = client.get("/search/", {"q": "learning", "mode": "keyword", "category": "cs.CV"}).content.decode()
    found = articles(html)
    assert found
    assert all("cs.CV" in Paper.objects.get(arxiv_id=arxiv_id).categories for arxiv_id in found)


def test_results_are_paged_twenty_at_a_time(client: Client, indexed_day: None) -> None:
    first = articles(client.get("/search/", {"q": "learning", "mode": "keyword"}).content.decode())
    second = articles(client.get("/search/", {"q": "learning", "mode": "keyword", "page": 2}).content.decode())
    assert len(first) == 20 and second and not set(first) & set(second)


def test_hidden_papers_are_left_out_of_results(client: Client, indexed_day: None) -> None:
    query = {"q": "reinforcement learning", "mode": "keyword"}
    top = articles(client.get("/search/", query).content.decode())[0]
    Paper.objects.filter(arxiv_id=top).update(is_hidden=True)
    assert top not in articles(client.get("/search/", query).content.decode())


def test_a_bad_filter_gets_a_clear_message(client: Client, indexed_day: None) -> None:
    response = client.get("/search/", {"q": "learning", "category": "not a category!"})
    assert response.status_code == 400 and "category" in response.content.decode()


def test_without_an_index_the_page_says_it_is_not_built(client: Client, data_dir: object) -> None:
    response = client.get("/search/", {"q": "anything"})
    assert "search index is not built" in response.content.decode()


def test_the_empty_search_page_shows_the_form_and_modes(client: Client) -> None:
    html = client.get("/search/").content.decode()
    assert 'name="q"' in html and 'value="hybrid" checked' in html and 'name="has_code"' in html


FORMULA = r"The loss $\mathcal{L}_{capture} \le e^{\epsilon_0}$"


def test_a_snippet_never_shows_half_a_formula(client: Client, data_dir: object) -> None:
    filler = "We study robust estimation of sparse signals in noisy high dimensional settings. " * 4
    add_paper(
        title="Private capture bounds",
        abstract=filler + FORMULA + " bounds every capture attempt. " + filler,
    )
    index_papers(embed=False)
    html = client.get("/search/", {"q": "capture attempt", "mode": "keyword"}).content.decode()
    snippet = re.search(r'<p class="abstract snippet">(.*?)</p>', html, re.DOTALL)
    assert snippet is not None
    assert "<math" in snippet.group(1) and "<mark>" in snippet.group(1)
    assert "e^{" not in snippet.group(1) and "{capture}" not in snippet.group(1) and "$" not in snippet.group(1)


def test_counts_on_the_page_have_thousands_separators(client: Client, data_dir: object) -> None:
    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10"):
        import_day(day)
    index_papers(embed=False)
    without = Paper.objects.count()
    assert without >= 1000
    html = client.get("/search/", {"q": "learning"}).content.decode()
    assert f"{without:,} papers are not yet searchable by meaning" in html
