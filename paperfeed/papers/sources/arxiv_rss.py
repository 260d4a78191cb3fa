"""arXiv's RSS feed of a day's announcements (new, cross-lists, replacements) for categories."""

from __future__ import annotations

from argparse import ArgumentParser
from collections import Counter
from collections.abc import Mapping
from typing import Any

from paperfeed.lib.http import HttpClient
from paperfeed.papers.sources.harvest import Harvest, IngestResult, Page, Progress, base_url, run_harvest
from paperfeed.papers.sources.parsers.rss import parse_rss

NAME = "arxiv-rss"
HELP = "fetch the day's announcements from arXiv's RSS feed for categories (cs.LG+cs.CL)"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--category", dest="category", default="cs", help="categories joined by +, e.g. cs.LG+cs.CL")


def run(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    category = str(options.get("category") or "cs").strip()
    url = f"{base_url('ARXIV_RSS_URL')}/{category}"

    def fetch(cursor: str) -> Page:
        parsed = parse_rss(client.get(url).content)
        kinds = Counter(parsed.announce_types.values())
        note = f"{parsed.day or 'undated'}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        return Page(parsed.records, None, parsed.rejected, note=note)

    return run_harvest(Harvest(NAME, f"category={category}", fetch, progress, restart=True))
