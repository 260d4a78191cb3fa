"""paperfeed similar ID [--limit N] [--json]"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.lib.argtypes import int_range
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.search.management.commands.search import MAX_LIMIT, render_json, render_text
from paperfeed.search.service import SearchError, similar


class Command(BaseCommand):
    help = "Papers similar to one paper: nearest by meaning, fused with shared distinctive words."
    requires_system_checks: list[str] = []  # a read-only query, as `search`

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arxiv_id", metavar="ID")
        parser.add_argument("--limit", type=int_range(1, MAX_LIMIT), default=10, help=f"1 to {MAX_LIMIT} (default 10)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of hits, best first")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            arxiv_id = parse_arxiv_id(options["arxiv_id"]).base
            results = similar(arxiv_id, limit=options["limit"])
        except (InvalidArxivId, SearchError) as error:
            self.stderr.write(str(error))
            sys.exit(1)
        self.stdout.write(render_json(results) if options["json"] else render_text(results))
