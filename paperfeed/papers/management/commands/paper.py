"""paperfeed paper ID [--json | --markdown] : one stored paper."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.exporting import canonical_dict
from paperfeed.papers.fulltext.document import paper_markdown
from paperfeed.papers.models import FullText, Paper


class Command(BaseCommand):
    help = "Show one stored paper by arXiv id (a version suffix or abs URL is accepted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arxiv_id", metavar="ID")
        shape = parser.add_mutually_exclusive_group()
        shape.add_argument("--json", action="store_true", help="print the canonical JSON record")
        shape.add_argument(
            "--markdown",
            action="store_true",
            help="print the paper as markdown: its full text once fetched, else its abstract",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            arxiv_id = parse_arxiv_id(options["arxiv_id"]).base
        except InvalidArxivId as error:
            self._fail(str(error))
        paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
        if paper is None:
            self._fail(f"no paper {arxiv_id} in the store (import it first: paperfeed import FILE)")
        if options["markdown"]:
            self.stdout.write(paper_markdown(paper, FullText.objects.filter(paper=paper).first()), ending="")
            return
        record = canonical_dict(paper)
        if options["json"]:
            self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(record))

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(1)


def render_text(record: dict[str, Any]) -> str:
    version = f"v{record['version']}" if record.get("version") else ""
    lines = [f"{record['id']}{version}  {record['title']}", ", ".join(record["authors"])]
    labels = {
        "categories": "Categories",
        "published": "Published",
        "updated": "Updated",
        "announced_on": "Announced",
        "comment": "Comment",
        "journal_ref": "Journal-ref",
        "doi": "DOI",
        "license": "License",
        "upvotes": "Upvotes",
        "github_stars": "GitHub stars",
        "code_links": "Code",
        "project_page": "Project page",
        "abs_url": "Abstract page",
        "pdf_url": "PDF",
    }
    for key, label in labels.items():
        value = record.get(key)
        if value not in (None, "", []):
            lines.append(f"{label + ':':<15}{' '.join(value) if isinstance(value, list) else value}")
    return "\n".join([*lines, "", record["abstract"]])
