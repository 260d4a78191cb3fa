"""OAI-PMH deletions are applied: a record whose header says status="deleted" takes its paper out
of every list, search and feed (stamped, never removed: votes and libraries keep their rows),
the keyword index drops it at its next incremental update, and a record sent again brings it back.

The pages are real arXiv OAI-PMH records (quant-ph, oai_dc; ../shared/data) with one header
marked deleted as arXiv marks them (<header status="deleted">)."""

from __future__ import annotations

import pytest
from django.test import Client

from paperfeed.papers.models import Paper
from paperfeed.papers.sources import arxiv_oai, make_client
from paperfeed.papers.sources.parsers.oai import parse_list_records
from paperfeed.papers.visible import visible_papers
from paperfeed.search.indexing import index_papers
from paperfeed.search.service import search
from tests.upstream_server import oai_dc_records, oai_pages, serve_oai_pages

pytestmark = pytest.mark.django_db

PAGES = oai_pages(oai_dc_records(12), 5)
WITH_A_DELETION = [PAGES[0].replace(b"<header>", b'<header status="deleted">', 1), *PAGES[1:]]
OPTIONS = {"set": "physics:quant-ph", "metadata_prefix": "oai_dc"}


def harvest(upstream, pages: list[bytes]):  # type: ignore[no-untyped-def]
    upstream.route("/oai", serve_oai_pages(pages))
    return arxiv_oai.run(OPTIONS, make_client(), lambda line: None)


def keyword_ids(query: str) -> list[str]:
    return [hit.arxiv_id for hit in search(query, mode="keyword", limit=20).hits]


def test_a_deleted_record_takes_its_paper_out_of_lists_and_search_and_a_new_one_brings_it_back(upstream, data_dir):  # type: ignore[no-untyped-def]
    harvest(upstream, PAGES)
    index_papers(embed=False)
    [gone_id] = parse_list_records(WITH_A_DELETION[0]).deleted
    gone = Paper.objects.get(arxiv_id=gone_id)
    assert gone_id in keyword_ids(f'"{gone.title}"')

    result = harvest(upstream, WITH_A_DELETION)
    assert result.deleted == 1 and "1 deleted upstream" in result.summary()
    assert Paper.objects.filter(arxiv_id=gone_id, deleted_upstream_at__isnull=False).exists()  # kept, stamped
    assert not visible_papers().filter(arxiv_id=gone_id).exists()
    assert visible_papers().count() == 11
    assert Client().get(f"/paper/{gone_id}/").status_code == 404
    index_papers(embed=False)  # the incremental update, no rebuild
    assert gone_id not in keyword_ids(f'"{gone.title}"')

    assert harvest(upstream, WITH_A_DELETION).deleted == 0  # told again: nothing changes
    harvest(upstream, PAGES)  # upstream sends the record again
    assert visible_papers().filter(arxiv_id=gone_id).exists()
    index_papers(embed=False)
    assert gone_id in keyword_ids(f'"{gone.title}"')
