"""Live ingestion sources: arXiv OAI-PMH, the arXiv API, arXiv RSS and Hugging Face Daily Papers.

Each source is a module of the same shape (``Source`` below) in the plain ``SOURCES`` registry;
``paperfeed ingest NAME`` and the worker's jobs both call ``run``. Sources fetch through the one
HTTP client (``make_client``), parse with the pure parsers in ``parsers/`` and store through
``paperfeed.papers.store.upsert_records`` under their own source name.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings

from paperfeed.lib.http import HttpClient, Politeness
from paperfeed.papers.sources import arxiv_api, arxiv_oai, arxiv_rss, hf_daily
from paperfeed.papers.sources.harvest import IngestResult, Progress


class Source(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: ArgumentParser) -> None: ...

    def run(self, options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult: ...


SOURCES: dict[str, Source] = {
    arxiv_oai.NAME: arxiv_oai,
    arxiv_api.NAME: arxiv_api,
    arxiv_rss.NAME: arxiv_rss,
    hf_daily.NAME: hf_daily,
}


def user_agent() -> str:
    try:
        release = version("paperfeed")
    except PackageNotFoundError:
        release = "dev"
    contact = settings.CONTACT_EMAIL
    who = f"mailto:{contact}" if contact else "contact not configured: set PAPERFEED_CONTACT_EMAIL"
    return f"paperfeed/{release} (self-hosted research-paper feed; {who}) httpx"


def arxiv_hosts() -> set[str]:
    urls = (settings.ARXIV_OAI_URL, settings.ARXIV_API_URL, settings.ARXIV_RSS_URL, settings.ARXIV_HTML_URL)
    return {urlsplit(url).hostname or "" for url in urls if url}


def make_client(**overrides: Any) -> HttpClient:
    """The HTTP client configured from settings; ``overrides`` (sleep, clock, ...) are for tests."""
    politeness = Politeness(
        user_agent=user_agent(),
        timeout=settings.HTTP_TIMEOUT,
        retries=settings.HTTP_RETRIES,
        backoff=settings.HTTP_BACKOFF,
        max_delay=settings.HTTP_MAX_DELAY,
        min_interval=settings.HTTP_MIN_INTERVAL,
        host_intervals=dict.fromkeys(arxiv_hosts(), settings.ARXIV_MIN_INTERVAL),
        max_bytes=settings.HTTP_MAX_BYTES,
    )
    return HttpClient(politeness, **overrides)
