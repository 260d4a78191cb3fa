"""The arXiv API source: search paging with start and max_results, id lookups, error feeds."""

from __future__ import annotations

import pytest

from paperfeed.papers.models import HarvestCheckpoint, Paper
from paperfeed.papers.sources import arxiv_api, make_client
from paperfeed.papers.sources.harvest import IngestFailed
from tests.conftest import shared
from tests.upstream_server import Reply, arxiv_api_recordings

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(upstream, settings):
    settings.ARXIV_API_PAGE_SIZE = 10  # the recorded search pages hold 10 results
    upstream.route("/api/query", arxiv_api_recordings())
    return upstream


def fetch(**options):
    return arxiv_api.run(options, make_client(), lambda message: None)


def starts(upstream) -> list[str]:
    return [r.params["start"] for r in upstream.hits("/api/query")]


def test_a_search_pages_with_start_and_max_results_until_max(api):
    result = fetch(query="testing", max_results=30)
    assert starts(api) == ["0", "10", "20"]
    assert {r.params["max_results"] for r in api.requests} == {"10"}
    assert result.pages == 3
    assert result.added + result.updated == Paper.objects.count() > 20


def test_a_search_stops_after_a_few_pages_with_nothing_new(api, settings):
    settings.ARXIV_API_IDLE_PAGES = 2
    fetch(query="testing", max_results=30)
    api.requests.clear()
    result = fetch(query="testing", max_results=60)
    assert starts(api) == ["0", "10"]
    assert "nothing new" in result.summary()


def test_a_search_goes_on_past_known_papers_while_pages_bring_new_ones(api, settings):
    settings.ARXIV_API_IDLE_PAGES = 2
    fetch(query="testing", max_results=10)
    api.requests.clear()
    fetch(query="testing", max_results=40)
    assert starts(api) == ["0", "10", "20", "30"]


def test_ids_are_looked_up_in_one_request(api, settings):
    settings.ARXIV_API_PAGE_SIZE = 100
    result = fetch(ids=["0808.05394", "1707.08567"])
    assert api.requests[0].params["id_list"] == "0808.05394,1707.08567"
    assert result.added == 1  # 0808.05394 does not exist: arXiv returns only the other one
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["1707.08567"]


def test_an_old_style_id_is_stored_under_its_own_form(api, settings):
    settings.ARXIV_API_PAGE_SIZE = 100
    fetch(ids=["astro-ph/0601001"])
    assert Paper.objects.filter(arxiv_id="astro-ph/0601001").exists()


def test_an_invalid_id_ends_with_arxivs_own_explanation(api, settings):
    settings.ARXIV_API_PAGE_SIZE = 100
    with pytest.raises(IngestFailed, match="incorrect id format for abc"):
        fetch(ids=["abc"])
    assert HarvestCheckpoint.objects.get(source="arxiv-api").status == "failed"
    assert Paper.objects.count() == 0


def test_the_2016_format_is_read_too(upstream):
    body = shared("arxiv-api-atom-arxivpy", "legacy_2016", "search_au_del_maestro.xml").read_bytes()
    upstream.route("/api/query", Reply(body))
    result = fetch(query="au:del_maestro", max_results=10)
    assert result.added == 10


def test_a_query_or_ids_are_required(api):
    with pytest.raises(ValueError, match="--query or --id"):
        fetch()
