"""paperfeed search "QUERY" [--mode M] [--limit N] [--offset N] [--json]"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.lib.argtypes import int_range
from paperfeed.search.service import MODES, SearchError, SearchResults, search

MAX_LIMIT = 1000
MAX_OFFSET = 10_000


class Command(BaseCommand):
    help = "Search papers by keyword, by meaning or both (query syntax: docs/search.md)."
    # A read-only query: skip the system checks, which import every URL and the API (~0.3 s).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", metavar="QUERY")
        parser.add_argument("--mode", choices=MODES, default="hybrid")
        parser.add_argument("--limit", type=int_range(1, MAX_LIMIT), default=20, help=f"1 to {MAX_LIMIT} (default 20)")
        parser.add_argument("--offset", type=int_range(0, MAX_OFFSET), default=0, help=f"0 to {MAX_OFFSET} (default 0)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of hits, best first")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = search(options["query"], mode=options["mode"], limit=options["limit"], offset=options["offset"])
        except SearchError as error:
            self.stderr.write(str(error))
            sys.exit(1)
        self.stdout.write(render_json(results) if options["json"] else render_text(results))


def render_json(results: SearchResults) -> str:
    hits = [{"id": hit.arxiv_id, **{k: v for k, v in asdict(hit).items() if k != "arxiv_id"}} for hit in results.hits]
    return json.dumps(hits, ensure_ascii=False, indent=1)


def render_text(results: SearchResults) -> str:
    lines = [f"{hit.score:8.4f}  {hit.arxiv_id}  {hit.title}" for hit in results.hits]
    lines.append(f"{len(results.hits)} shown of {results.total} ({results.mode})")
    if results.papers_without_vectors and results.mode != "keyword":
        how = "were not searched" if results.mode == "semantic" else "were searched by keyword only"
        lines.append(f"{results.papers_without_vectors} papers have no vectors yet and {how}")
    return "\n".join(lines)
