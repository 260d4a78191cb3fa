"""The arXiv API (Atom): a search query or a list of ids, paged with start and max_results.

A search stops at ``--max`` results, at the end of the results, or after a few pages in a
row that add or change nothing (PAPERFEED_ARXIV_API_IDLE_PAGES): a query sorted by date
needs no more once it reaches papers already stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from paperfeed.lib.argtypes import int_range
from paperfeed.lib.http import HttpClient
from paperfeed.papers.sources.harvest import Harvest, IngestResult, Page, Progress, base_url, run_harvest
from paperfeed.papers.sources.parsers.atom import parse_atom

NAME = "arxiv-api"
HELP = "fetch papers from the arXiv API by search query (--query) or by id (--id)"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--query", help="arXiv search query, e.g. 'cat:cs.LG' or 'au:del_maestro'")
    parser.add_argument("--id", dest="ids", type=_id_list, help="comma-separated arXiv ids")
    parser.add_argument("--max", dest="max_results", type=int_range(1), help="stop after this many results")
    parser.add_argument("--restart", action="store_true", help="ignore an unfinished checkpoint")


def _id_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def run(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    query, ids = options.get("query") or "", list(options.get("ids") or [])
    if not query and not ids:
        raise ValueError("arxiv-api needs --query or --id")
    limit = options.get("max_results")
    size = min(settings.ARXIV_API_PAGE_SIZE, limit or settings.ARXIV_API_PAGE_SIZE)
    request = {"search_query": query, "id_list": ",".join(ids), "sortBy": "submittedDate", "sortOrder": "descending"}
    url = base_url("ARXIV_API_URL")

    def fetch(cursor: str) -> Page:
        start = int(cursor or 0)
        page = fetch_page(client, url, {**request, "start": start, "max_results": size})
        page.next_cursor = next_start(start, len(page.records) + len(page.rejected), page.expected, limit)
        return page

    key = f"query={query} ids={request['id_list']} max={limit or ''}"
    idle = settings.ARXIV_API_IDLE_PAGES if query else None
    return run_harvest(Harvest(NAME, key, fetch, progress, idle_pages=idle, restart=bool(options.get("restart"))))


def fetch_page(client: HttpClient, url: str, params: Mapping[str, str | int]) -> Page:
    # The API answers a bad query with HTTP 400 and an error feed, which the parser explains.
    response = client.get(url, params, accept=(200, 400))
    parsed = parse_atom(response.content)
    return Page(parsed.records, None, parsed.rejected, parsed.total_results)


def next_start(start: int, received: int, total: int | None, limit: int | None) -> str | None:
    """The start index of the next page, or None when this one was the last."""
    following = start + received
    if received == 0 or (total is not None and following >= total) or (limit is not None and following >= limit):
        return None
    return str(following)
